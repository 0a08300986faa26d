using System.Text;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Host.Audit;
using HandInHand.Host.Referrals;
using HandInHand.Host.Security;
using HandInHand.Host.Web;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Retention;
using HandInHand.Infrastructure.Workflow;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using static HandInHand.Host.Web.Html;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// The manager's retention reviews: the records whose retention period has ended, and for each
/// the three decisions (erase the personal data, place a legal hold, release one). Each decision
/// has its own confirmation page, which says in plain words what will happen; only its POST acts,
/// through <see cref="ReferralCommands"/> as the API's command does, and is audited as the API's
/// is. The pages carry the API's list policy (the manager's), and the decider has the last word.
/// Nothing personal is shown: the reference, the stage, the dates and whether a hold is in place.
/// </summary>
public static class RetentionPages
{
    public const string ListPath = "/staff/retention";

    public const string EraseAction = "erase";
    public const string HoldAction = "legal-hold";
    public const string ReleaseAction = "legal-hold/release";

    /// <summary>The reason field of the legal hold form, as the API's request names it.</summary>
    public const string ReasonField = "reason";

    private const string DoneQuery = "done";

    private static readonly IReadOnlyDictionary<string, string> Notices = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["erased"] = "The personal data was erased.",
        ["held"] = "The legal hold was placed.",
        ["released"] = "The legal hold was released.",
    };

    public static string ConfirmPath(string reference, string action) => ListPath + "/" + Uri.EscapeDataString(reference) + "/" + action;

    public static IEndpointRouteBuilder MapRetentionPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup(ListPath).ExcludeFromDescription().RequireAuthorization(Policies.Management);
        pages.MapGet("", ShowListAsync).WithQueryParameter(DoneQuery, "erased", "The decision just taken, to say so at the top.");
        foreach (var action in new[] { EraseAction, HoldAction, ReleaseAction })
        {
            pages.MapGet("{reference}/" + action, (string reference, HttpContext context, IAntiforgery antiforgery, ReferralWorkflowStore store, TimeProvider clock, IOptions<IntakeOptions> intake, CancellationToken cancellationToken) =>
                ShowConfirmAsync(reference, action, context, antiforgery, store, clock, intake.Value, cancellationToken)).WithMetadata(new AuditedAttribute());
            pages.MapPost("{reference}/" + action, (string reference, HttpContext context, IAntiforgery antiforgery, ReferralWorkflowStore store, ReferralCommands commands, TimeProvider clock, IOptions<IntakeOptions> intake, CancellationToken cancellationToken) =>
                DecideAsync(reference, action, context, antiforgery, store, commands, clock, intake.Value, cancellationToken)).WithMetadata(new AuditedAttribute());
        }

        return app;
    }

    /// <summary>GET /staff/retention: the records due for review, longest waiting first.</summary>
    public static async Task<IResult> ShowListAsync(
        HttpContext context, IAntiforgery antiforgery, RetentionService retention, ReferralWorkflowStore store, TimeProvider clock, IOptions<IntakeOptions> intake,
        CancellationToken cancellationToken)
    {
        var query = QueryValues.Of(context.Request);
        var done = query.Code(DoneQuery, [.. Notices.Keys]);
        if (!query.IsValid)
        {
            return StaffLayout.QueryErrorPage(context, antiforgery, "Retention reviews", query);
        }

        var reviews = (await RetentionApi.ListAsync(retention, store, cancellationToken)).Value!;
        var page = new CasePage(TimeZoneInfo.FindSystemTimeZoneById(intake.Value.TimeZone), clock.GetUtcNow(), string.Empty, string.Empty);
        var main = new StringBuilder("<h1>Retention reviews</h1>\n");
        if (done is not null)
        {
            main.Append("<div class=\"notice\" role=\"status\" id=\"notice\"><p>").Append(E(Notices[done])).Append("</p></div>\n");
        }

        main.Append("<p>These records were closed long enough ago that their retention period has ended. For each, decide whether to erase the personal data, or keep it under a legal hold. Times are UK time.</p>\n");
        if (reviews.Count == 0)
        {
            main.Append("<p id=\"no-reviews\">No record is waiting for a retention review.</p>\n");
            return StaffLayout.Page(context, antiforgery, "Retention reviews", main.ToString());
        }

        var rows = new StringBuilder();
        foreach (var r in reviews)
        {
            var stage = Enum.TryParse<Stage>(r.Stage, out var s) ? PlainWords.Of(s) : "Unknown";
            rows.Append("<tr><th scope=\"row\"><a href=\"").Append(E(StaffLayout.CasePath(r.Reference))).Append("\">").Append(E(r.Reference)).Append("</a></th>")
                .Append("<td>").Append(E(stage)).Append("</td>")
                .Append("<td>").Append(r.ClosedAt is { } closed ? E(page.Local(closed)) : "Not closed").Append("</td>")
                .Append("<td>").Append(E(page.Local(r.ReviewDueAt))).Append("</td>")
                .Append("<td>").Append(r.LegalHold ? "Yes" : "No").Append("</td><td>");
            if (r.LegalHold)
            {
                rows.Append(ActionLink(r.Reference, ReleaseAction, "Release the legal hold"));
            }
            else
            {
                rows.Append(ActionLink(r.Reference, EraseAction, "Erase")).Append("<br>").Append(ActionLink(r.Reference, HoldAction, "Place a legal hold"));
            }

            rows.Append("</td></tr>\n");
        }

        main.Append(StaffLayout.ScrollingTable("retention-caption",
            "<table id=\"retention-reviews\">\n<caption id=\"retention-caption\">Records due for a retention review, longest waiting first</caption>\n"
            + "<thead><tr><th scope=\"col\">Reference</th><th scope=\"col\">Stage</th><th scope=\"col\">Closed</th><th scope=\"col\">Review due</th><th scope=\"col\">Legal hold</th><th scope=\"col\">Decision</th></tr></thead>\n"
            + $"<tbody>\n{rows}</tbody>\n</table>\n"));
        return StaffLayout.Page(context, antiforgery, "Retention reviews", main.ToString());
    }

    /// <summary>GET /staff/retention/{reference}/{action}: what the decision will do, and the button that does it.</summary>
    public static async Task<IResult> ShowConfirmAsync(
        string reference, string action, HttpContext context, IAntiforgery antiforgery, ReferralWorkflowStore store, TimeProvider clock, IntakeOptions intake, CancellationToken cancellationToken)
    {
        var loaded = await StaffPages.LoadOpenToCallerAsync(reference, context, store, cancellationToken);
        return loaded is null
            ? StaffPages.NotFoundPage(context, antiforgery)
            : ConfirmPage(context, antiforgery, loaded.State, action, clock, intake, null, Guid.NewGuid().ToString("N"), null, null, StatusCodes.Status200OK);
    }

    /// <summary>POST /staff/retention/{reference}/{action}: the decision, checked, then sent as the API sends it.</summary>
    public static async Task<IResult> DecideAsync(
        string reference, string action, HttpContext context, IAntiforgery antiforgery, ReferralWorkflowStore store, ReferralCommands commands, TimeProvider clock,
        IntakeOptions intake, CancellationToken cancellationToken)
    {
        var loaded = await StaffPages.LoadOpenToCallerAsync(reference, context, store, cancellationToken);
        if (loaded is null)
        {
            return StaffPages.NotFoundPage(context, antiforgery);
        }

        var actor = ActorHeaders.From(context.Request)!;
        var form = await ReferralPages.ReadFormAsync(context, 8192, cancellationToken);
        string? reason = form?[ReasonField];
        string? commandKey = form?[FirstContactInput.CommandKeyField];
        var key = IdempotencyKeys.Check(commandKey) is null ? commandKey! : Guid.NewGuid().ToString("N");
        if (form is null || !await antiforgery.IsRequestValidAsync(context))
        {
            return ConfirmPage(context, antiforgery, loaded.State, action, clock, intake, reason, key, null,
                "The page had expired. Check the details and confirm again.", StatusCodes.Status400BadRequest);
        }

        if (action == HoldAction && (string.IsNullOrWhiteSpace(reason) || reason.Length > 2000))
        {
            return ConfirmPage(context, antiforgery, loaded.State, action, clock, intake, reason, key, "Give the reason for the legal hold, in up to 2000 characters.", null, StatusCodes.Status400BadRequest);
        }

        var at = clock.GetUtcNow();
        ReferralCommand command = action switch
        {
            EraseAction => new ReferralCommand.ConfirmErasure(actor, at),
            HoldAction => new ReferralCommand.PlaceLegalHold(actor, at, reason!),
            _ => new ReferralCommand.ReleaseLegalHold(actor, at),
        };

        try
        {
            await commands.SendAsync(reference, command, key, cancellationToken);
            var done = action switch { EraseAction => "erased", HoldAction => "held", _ => "released" };
            return Results.Redirect($"{ListPath}?{DoneQuery}={done}");
        }
        catch (CommandPendingException)
        {
            return StaffLayout.Page(context, antiforgery, "Being recorded",
                "<h1>The decision is being recorded</h1>\n<p>It can take a moment. Open <a href=\"" + ListPath + "\">the retention reviews</a> again shortly to see it.</p>\n",
                StatusCodes.Status202Accepted);
        }
        catch (ReferralNotFoundException)
        {
            return StaffPages.NotFoundPage(context, antiforgery);
        }
        catch (CommandRejectedException ex) when (ex.Kind == RejectionKind.Invalid)
        {
            return ConfirmPage(context, antiforgery, loaded.State, action, clock, intake, reason, Guid.NewGuid().ToString("N"), ex.Message, null, StatusCodes.Status400BadRequest);
        }
        catch (CommandRejectedException ex) when (ex.Kind == RejectionKind.NotAllowed)
        {
            return StaffLayout.Page(context, antiforgery, "Not allowed",
                "<h1>You cannot take this decision</h1>\n<p>Your role may not take this step.</p>\n", StatusCodes.Status403Forbidden);
        }
        catch (CommandRejectedException)
        {
            // Not at this step: under a hold, not yet due, or decided by someone else meanwhile.
            var now = (await store.LoadAsync(reference, cancellationToken) ?? loaded).State;
            return ConfirmPage(context, antiforgery, now, action, clock, intake, reason, Guid.NewGuid().ToString("N"), null, CannotNow(action, now), StatusCodes.Status409Conflict);
        }
    }

    /// <summary>Why a decision does not fit the record as it stands, in plain words.</summary>
    private static string CannotNow(string action, ReferralState state) => action switch
    {
        EraseAction when state.LegalHold => "The personal data cannot be erased: the record is under a legal hold. Release the hold first.",
        EraseAction when state.IsOpen => "The personal data cannot be erased: the case is still open.",
        EraseAction => "The personal data cannot be erased yet: the record's retention period has not ended.",
        _ => "This decision does not fit the record as it stands now.",
    };

    private static IResult ConfirmPage(
        HttpContext context, IAntiforgery antiforgery, ReferralState state, string action, TimeProvider clock, IntakeOptions intake, string? reason, string commandKey,
        string? reasonError, string? notice, int status)
    {
        var page = new CasePage(TimeZoneInfo.FindSystemTimeZoneById(intake.TimeZone), clock.GetUtcNow(), string.Empty, string.Empty);
        var tokens = antiforgery.GetAndStoreTokens(context);
        var (heading, button) = action switch
        {
            EraseAction => ("Erase the personal data of " + state.Reference, "Erase the personal data"),
            HoldAction => ("Place a legal hold on " + state.Reference, "Place the legal hold"),
            _ => ("Release the legal hold on " + state.Reference, "Release the legal hold"),
        };
        var main = new StringBuilder("<h1>").Append(E(heading)).Append("</h1>\n");
        if (reasonError is not null)
        {
            main.Append(StaffLayout.ErrorSummary([("hold-reason", reasonError)]));
        }

        if (notice is not null)
        {
            main.Append("<div class=\"notice\" role=\"status\" id=\"notice\"><p>").Append(E(notice)).Append("</p></div>\n");
        }

        main.Append("<dl id=\"record\">\n")
            .Append("<div><dt>Reference</dt><dd>").Append(E(state.Reference)).Append("</dd></div>\n")
            .Append("<div><dt>Stage</dt><dd>").Append(E(PlainWords.Of(state.Stage))).Append("</dd></div>\n")
            .Append("<div><dt>Closed</dt><dd>").Append(state.ClosedAt is { } closed ? E(page.Local(closed)) : "Not closed").Append("</dd></div>\n")
            .Append("<div><dt>Legal hold</dt><dd id=\"legal-hold\">").Append(state.LegalHold ? "Yes" : "No").Append("</dd></div>\n")
            .Append("</dl>\n<h2>What will happen</h2>\n")
            .Append(action switch
            {
                EraseAction => "<p id=\"what-happens\">The young person's and the referrer's details, how to contact them, the concerns, the case notes and the survey answers are erased for good. Nobody can see them again, and this cannot be undone.</p>\n"
                    + "<p>The anonymous figures in the reports stay, and so does the audit record that you erased the data.</p>\n",
                HoldAction => "<p id=\"what-happens\">The record is kept as it is, and cannot be erased, until someone releases the hold. Use this when the record is needed for legal proceedings or an investigation.</p>\n"
                    + "<p>The reason is kept in the record's history and the audit log.</p>\n",
                _ => "<p id=\"what-happens\">The record can be erased again once its retention period has ended. Nothing is erased now: erasing is a separate decision, confirmed on its own page.</p>\n",
            });

        main.Append("<form method=\"post\" action=\"").Append(E(ConfirmPath(state.Reference, action))).Append("\" novalidate>\n")
            .Append("<input type=\"hidden\" name=\"").Append(E(tokens.FormFieldName)).Append("\" value=\"").Append(E(tokens.RequestToken)).Append("\">\n")
            .Append("<input type=\"hidden\" name=\"").Append(FirstContactInput.CommandKeyField).Append("\" value=\"").Append(E(commandKey)).Append("\">\n");
        if (action == HoldAction)
        {
            main.Append(reasonError is null ? "<div class=\"field\">\n" : "<div class=\"field field-error\">\n")
                .Append("<label for=\"hold-reason\">Why is the record held?</label>\n")
                .Append("<p class=\"hint\" id=\"hold-reason-hint\">For example, the court order or the request that needs it. Do not write the young person's details here. Up to 2000 characters.</p>\n");
            if (reasonError is not null)
            {
                main.Append("<p class=\"error-message\" id=\"hold-reason-error\"><span class=\"visually-hidden\">Error: </span>").Append(E(reasonError)).Append("</p>\n");
            }

            main.Append("<textarea id=\"hold-reason\" name=\"").Append(ReasonField).Append("\" rows=\"4\" aria-describedby=\"hold-reason-hint")
                .Append(reasonError is null ? "\"" : " hold-reason-error\" aria-invalid=\"true\"").Append('>').Append(E(reason)).Append("</textarea>\n</div>\n");
        }

        main.Append("<button type=\"submit\">").Append(E(button)).Append("</button>\n</form>\n")
            .Append("<p><a href=\"").Append(ListPath).Append("\">Back to the retention reviews, without deciding</a></p>\n");
        return StaffLayout.Page(context, antiforgery, (reasonError is null ? string.Empty : "Error: ") + heading, main.ToString(), status);
    }

    private static string ActionLink(string reference, string action, string label) =>
        $"<a href=\"{E(ConfirmPath(reference, action))}\">{E(label)}<span class=\"visually-hidden\"> for {E(reference)}</span></a>";
}
