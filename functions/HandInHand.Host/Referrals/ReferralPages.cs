using System.Globalization;
using HandInHand.Domain.Referrals;
using HandInHand.Host.Web;
using HandInHand.Infrastructure.Referrals;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using static HandInHand.Host.Web.Html;

namespace HandInHand.Host.Referrals;

/// <summary>
/// The referral pages for people: the form (GET shows it, POST submits it), the confirmation with
/// the reference and access code, and the status page with the referrer's actions. Tokens never
/// travel in URLs: the status page and each action take the reference and code in a POSTed form.
/// </summary>
public static class ReferralPages
{
    /// <summary>The hidden form field that carries the idempotency key.</summary>
    public const string IdempotencyField = "idempotencyKey";

    /// <summary>The Trusted Relationships referral form (PRODUCT.md §6).</summary>
    public const string TrustedRelationshipsFormPath = "/referrals/new/trusted-relationships";

    public static IEndpointRouteBuilder MapReferralPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Redirect("/referrals/new")).ExcludeFromDescription().AllowAnonymous();
        var pages = app.MapGroup("referrals").ExcludeFromDescription().WithMetadata(new PublicEndpointAttribute()).AllowAnonymous();
        pages.MapGet("new", ShowReferralForm);
        pages.MapPost("new", SubmitReferralFormAsync);
        pages.MapGet("new/trusted-relationships", ShowTrustedRelationshipsForm);
        pages.MapPost("new/trusted-relationships", SubmitTrustedRelationshipsFormAsync);
        pages.MapGet("status", ShowStatusForm);
        pages.MapPost("status", ShowStatusAsync);
        pages.MapPost("status/withdraw", WithdrawAsync);
        pages.MapPost("status/information", AnswerInformationRequestAsync);
        pages.MapPost("status/still-needed", ConfirmStillNeededAsync);
        return app;
    }

    /// <summary>GET /referrals/new: an empty form with a fresh idempotency key.</summary>
    public static IResult ShowReferralForm(HttpContext context, IAntiforgery antiforgery, IOptions<IntakePolicy> policy) =>
        FormPage(context, antiforgery, policy.Value, new ReferralSubmission(), [], Guid.NewGuid().ToString("N"), StatusCodes.Status200OK);

    /// <summary>GET /referrals/new/trusted-relationships: the Trusted Relationships form, when the deployment takes such referrals.</summary>
    public static IResult ShowTrustedRelationshipsForm(HttpContext context, IAntiforgery antiforgery, IOptions<IntakePolicy> policy) =>
        policy.Value.TrustedRelationshipsEnabled
            ? FormPage(context, antiforgery, policy.Value, new ReferralSubmission(), [], Guid.NewGuid().ToString("N"), StatusCodes.Status200OK, trustedRelationships: true)
            : NoTrustedRelationshipsPage();

    /// <summary>POST /referrals/new: the confirmation page, or the form again with its values and the errors.</summary>
    public static Task<IResult> SubmitReferralFormAsync(
        HttpContext context,
        IAntiforgery antiforgery,
        ReferralIntake intake,
        IOptions<IntakePolicy> policy,
        IOptions<IntakeOptions> options,
        CancellationToken cancellationToken) =>
        SubmitAsync(context, antiforgery, intake, policy.Value, options.Value, trustedRelationships: false, cancellationToken);

    /// <summary>POST /referrals/new/trusted-relationships: as the referral form, for the Trusted Relationships pathway with its own intake rules.</summary>
    public static async Task<IResult> SubmitTrustedRelationshipsFormAsync(
        HttpContext context,
        IAntiforgery antiforgery,
        ReferralIntake intake,
        IOptions<IntakePolicy> policy,
        IOptions<IntakeOptions> options,
        CancellationToken cancellationToken) =>
        policy.Value.TrustedRelationshipsEnabled
            ? await SubmitAsync(context, antiforgery, intake, policy.Value, options.Value, trustedRelationships: true, cancellationToken)
            : NoTrustedRelationshipsPage();

    private static async Task<IResult> SubmitAsync(
        HttpContext context, IAntiforgery antiforgery, ReferralIntake intake, IntakePolicy policy, IntakeOptions options, bool trustedRelationships, CancellationToken cancellationToken)
    {
        var form = await ReadFormAsync(context, options.MaxRequestBytes, cancellationToken);
        if (form is null)
        {
            return Page("Referral too large", "<h1>The referral is too large</h1>\n<p>Shorten the longest answers and send it again.</p>", StatusCodes.Status413PayloadTooLarge);
        }

        // The pathway is the page's, never a posted field's.
        var submission = ToSubmission(form, trustedRelationships);
        string? key = form[IdempotencyField];
        var keyError = IdempotencyKeys.Check(key);
        if (keyError is not null || !await antiforgery.IsRequestValidAsync(context))
        {
            // An expired or missing token: show the form again with the answers kept, so nothing typed is lost.
            FieldError[] errors = [new("form", "The form had expired. Check your answers and send it again.")];
            return FormPage(context, antiforgery, policy, submission, errors, keyError is null ? key! : Guid.NewGuid().ToString("N"), StatusCodes.Status400BadRequest, trustedRelationships);
        }

        var result = await intake.SubmitAsync(submission, key!, cancellationToken);
        return result switch
        {
            IntakeResult.Created created => Confirmation(created.Referral, created.AccessCode),
            IntakeResult.Replayed replayed => Confirmation(replayed.Referral, replayed.AccessCode),
            IntakeResult.Invalid invalid => FormPage(context, antiforgery, policy, submission, invalid.Errors, key!, StatusCodes.Status400BadRequest, trustedRelationships),
            IntakeResult.KeyReused => FormPage(context, antiforgery, policy, submission, [new("form", "This form was already sent with different answers. Check your answers and send it again as a new referral.")], Guid.NewGuid().ToString("N"), StatusCodes.Status409Conflict, trustedRelationships),
            _ => throw new InvalidOperationException($"Unhandled intake result {result.GetType().Name}."),
        };
    }

    private static IResult NoTrustedRelationshipsPage() =>
        Page("Page not found", "<h1>Page not found</h1>\n<p>This service does not take Trusted Relationships referrals. <a href=\"/referrals/new\">Refer a young person</a> instead.</p>", StatusCodes.Status404NotFound);

    /// <summary>GET /referrals/status: asks for the reference and access code.</summary>
    public static IResult ShowStatusForm(HttpContext context, IAntiforgery antiforgery) =>
        StatusFormPage(context, antiforgery, null, null, StatusCodes.Status200OK);

    /// <summary>POST /referrals/status: the referral's status, or the same message for any unknown reference or wrong code.</summary>
    public static async Task<IResult> ShowStatusAsync(HttpContext context, IAntiforgery antiforgery, ReferrerActions actions, IOptions<IntakeOptions> options, CancellationToken cancellationToken)
    {
        var form = await ReadFormAsync(context, 4096, cancellationToken);
        if (form is null || !await antiforgery.IsRequestValidAsync(context))
        {
            return StatusFormPage(context, antiforgery, form?["reference"], "The page had expired. Enter the reference and access code again.", StatusCodes.Status400BadRequest);
        }

        string? reference = form["reference"];
        string? accessCode = form["accessCode"];
        var view = await actions.FindAsync(reference, accessCode, cancellationToken);
        return view is null
            ? NotFoundPage(context, antiforgery, reference)
            : StatusPage(context, antiforgery, options.Value, view, accessCode!);
    }

    /// <summary>POST /referrals/status/withdraw: the referrer withdraws the referral, with a reason and a category.</summary>
    public static Task<IResult> WithdrawAsync(HttpContext context, IAntiforgery antiforgery, ReferrerActions actions, IOptions<IntakeOptions> options, CancellationToken cancellationToken) =>
        ActAsync(context, antiforgery, actions, options.Value, form => new ReferrerAction.Withdraw(form["reason"].ToString(), ReferrerStatusPage.Category(form["category"])), "The referral has been withdrawn. The service will not work on it.", cancellationToken);

    /// <summary>POST /referrals/status/information: the referrer has given the information the service asked for.</summary>
    public static Task<IResult> AnswerInformationRequestAsync(HttpContext context, IAntiforgery antiforgery, ReferrerActions actions, IOptions<IntakeOptions> options, CancellationToken cancellationToken) =>
        ActAsync(context, antiforgery, actions, options.Value, _ => new ReferrerAction.AnswerInformationRequest(), "Thank you. The referral has gone back to the service to be reviewed.", cancellationToken);

    /// <summary>POST /referrals/status/still-needed: the referral waiting for a place is still needed.</summary>
    public static Task<IResult> ConfirmStillNeededAsync(HttpContext context, IAntiforgery antiforgery, ReferrerActions actions, IOptions<IntakeOptions> options, CancellationToken cancellationToken) =>
        ActAsync(context, antiforgery, actions, options.Value, _ => new ReferrerAction.ConfirmStillNeeded(), "Thank you. The referral stays on the waiting list.", cancellationToken);

    /// <summary>
    /// One referrer action from the status page: the antiforgery token, then the reference and code
    /// (a wrong one gets the look-up's own "not found"), then the action; the status page again with
    /// the outcome in plain words, or with the errors beside their fields.
    /// </summary>
    private static async Task<IResult> ActAsync(
        HttpContext context, IAntiforgery antiforgery, ReferrerActions actions, IntakeOptions options, Func<IFormCollection, ReferrerAction> toAction, string done, CancellationToken cancellationToken)
    {
        var form = await ReadFormAsync(context, 8192, cancellationToken);
        if (form is null || !await antiforgery.IsRequestValidAsync(context))
        {
            return StatusFormPage(context, antiforgery, form?["reference"], "The page had expired. Enter the reference and access code again.", StatusCodes.Status400BadRequest);
        }

        string? reference = form["reference"];
        string? accessCode = form["accessCode"];
        // The form's key makes a form sent twice (a reload, a double click) one action.
        string? key = form[IdempotencyField];
        var result = await actions.RunAsync(reference, accessCode, toAction(form), IdempotencyKeys.Check(key) is null ? key : null, cancellationToken);
        var view = result is ReferrerActionResult.NotFound ? null : await actions.FindAsync(reference, accessCode, cancellationToken);
        return (result, view) switch
        {
            (_, null) => NotFoundPage(context, antiforgery, reference),
            (ReferrerActionResult.Done, _) => StatusPage(context, antiforgery, options, view, accessCode!, done: done),
            (ReferrerActionResult.Pending, _) => StatusPage(context, antiforgery, options, view, accessCode!, done: "Your answer is being recorded. It can take a moment: check the referral again shortly to see it.", status: StatusCodes.Status202Accepted),
            (ReferrerActionResult.Invalid invalid, _) => StatusPage(context, antiforgery, options, view, accessCode!, errors: invalid.Errors, reason: form["reason"], category: form["category"], status: StatusCodes.Status400BadRequest),
            (ReferrerActionResult.NotNow, _) => StatusPage(context, antiforgery, options, view, accessCode!, notice: "That cannot be done now: the referral has moved on. Its status is below.", status: StatusCodes.Status409Conflict),
            _ => throw new InvalidOperationException($"Unhandled referrer action result {result.GetType().Name}."),
        };
    }

    private static IResult NotFoundPage(HttpContext context, IAntiforgery antiforgery, string? reference) =>
        StatusFormPage(context, antiforgery, reference, "We could not find a referral with that reference and access code. Check both and try again.", StatusCodes.Status404NotFound);

    private static IResult StatusPage(
        HttpContext context, IAntiforgery antiforgery, IntakeOptions options, ReferrerView view, string accessCode,
        string? done = null, string? notice = null, IReadOnlyList<FieldError>? errors = null, string? reason = null, string? category = null, int status = StatusCodes.Status200OK)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var page = new ReferrerStatusPage(tokens.FormFieldName, tokens.RequestToken!, TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone));
        var title = errors is { Count: > 0 } ? "Error: Referral status" : "Referral status";
        return Page(title, page.Render(view, accessCode, done, notice, errors, reason, category), status);
    }

    internal static ReferralSubmission ToSubmission(IFormCollection form, bool trustedRelationships = false)
    {
        string? Value(string name) => form.TryGetValue(name, out var v) ? v.ToString() : null;
        bool? YesNo(string name) => Value(name) switch { "yes" => true, "no" => false, _ => null };
        return new ReferralSubmission
        {
            Service = trustedRelationships ? "trusted-relationships" : null,
            TrustedRelationships = trustedRelationships
                ? new TrustedRelationshipsSubmission
                {
                    ReferrerIsCaseHolder = YesNo("trustedRelationships.referrerIsCaseHolder"),
                    CeraCompletedOn = Value("trustedRelationships.ceraCompletedOn"),
                    MultiAgencyDiscussion = Value("trustedRelationships.multiAgencyDiscussion"),
                    MultiAgencyDiscussionOn = Value("trustedRelationships.multiAgencyDiscussionOn"),
                }
                : null,
            YoungPerson = new YoungPersonSubmission
            {
                FirstName = Value("youngPerson.firstName"),
                LastName = Value("youngPerson.lastName"),
                DateOfBirth = Value("youngPerson.dateOfBirth"),
                Gender = Value("youngPerson.gender"),
                Ethnicity = Value("youngPerson.ethnicity"),
                Region = Value("youngPerson.region"),
                SchoolOrSetting = Value("youngPerson.schoolOrSetting"),
                SafeContact = Value("youngPerson.safeContact"),
                Phone = Value("youngPerson.phone"),
            },
            Concerns = [.. form["concerns"]],
            ConcernDetails = Value("concernDetails"),
            RiskLevel = Value("riskLevel"),
            AdditionalNeeds = Value("additionalNeeds"),
            OtherAgencies = Value("otherAgencies"),
            YoungPersonKnowsAboutReferral = YesNo("youngPersonKnowsAboutReferral"),
            YoungPersonAgreesToReferral = YesNo("youngPersonAgreesToReferral"),
            Referrer = new ReferrerSubmission
            {
                Name = Value("referrer.name"),
                Organisation = Value("referrer.organisation"),
                Type = Value("referrer.type"),
                Email = Value("referrer.email"),
                Phone = Value("referrer.phone"),
            },
        };
    }

    internal static async Task<IFormCollection?> ReadFormAsync(HttpContext context, int maxBytes, CancellationToken cancellationToken)
    {
        if (!context.Request.HasFormContentType)
        {
            return new FormCollection([]);
        }

        var body = await RequestBody.ReadLimitedAsync(context.Request, maxBytes, cancellationToken);
        if (body is null)
        {
            return null;
        }

        context.Request.Body = new MemoryStream(body);
        return await context.Request.ReadFormAsync(cancellationToken);
    }

    private static IResult FormPage(HttpContext context, IAntiforgery antiforgery, IntakePolicy policy, ReferralSubmission values, IReadOnlyList<FieldError> errors, string key, int status, bool trustedRelationships = false)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var page = new ReferralFormPage(policy.EffectiveRegions, tokens.FormFieldName, tokens.RequestToken!, key)
        {
            TrustedRelationshipsReferrerTypes = trustedRelationships ? policy.EffectiveTrustedRelationshipsReferrerTypes : null,
            OffersTrustedRelationships = policy.TrustedRelationshipsEnabled,
        };
        var title = trustedRelationships ? "Refer a young person to Trusted Relationships" : "Refer a young person";
        return Page(errors.Count > 0 ? "Error: " + title : title, page.Render(values, errors), status);
    }

    private static IResult StatusFormPage(HttpContext context, IAntiforgery antiforgery, string? reference, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var errorHtml = error is null ? string.Empty : $"<div class=\"error-summary\" role=\"alert\"><p>{E(error)}</p></div>\n";
        return Page("Check a referral", $"""
            <h1>Check a referral</h1>
            <p>Enter the reference and the access code you were given when you sent the referral.</p>
            {errorHtml}<form method="post" action="/referrals/status">
            <input type="hidden" name="{E(tokens.FormFieldName)}" value="{E(tokens.RequestToken)}">
            <label for="reference">Reference</label>
            <p class="hint" id="reference-hint">For example HH-2026-00042.</p>
            <input type="text" id="reference" name="reference" value="{E(reference)}" aria-describedby="reference-hint" autocomplete="off">
            <label for="accessCode">Access code</label>
            <input type="text" id="accessCode" name="accessCode" value="" autocomplete="off" spellcheck="false">
            <button type="submit">Check status</button>
            </form>
            """, status);
    }

    private static IResult Confirmation(ReferralRecord referral, string? accessCode)
    {
        var codeHtml = accessCode is null
            ? "<p>This referral was already received. Use the access code you were given then to check its status.</p>"
            : $"""
              <h2>Your access code</h2>
              <p class="code" id="access-code">{E(accessCode)}</p>
              <p>Keep the reference and this code safe: together they let you check the referral's status. We do not show the code again, and we never send it by email.</p>
              """;
        return Page("Referral received", $"""
            <div class="panel" role="status"><h1>Referral received</h1><p>Your reference is</p><strong id="reference">{E(referral.Reference)}</strong></div>
            <p>Thank you. We aim to contact the young person within 24 hours. Do not include their details if you email us: quote the reference instead.</p>
            {codeHtml}
            <p><a href="/referrals/status">Check the status of a referral</a></p>
            """);
    }
}
