using System.Globalization;
using System.Text;
using HandInHand.Domain.Referrals;
using HandInHand.Host.Referrals;
using HandInHand.Host.Security;
using HandInHand.Host.Web;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Workflow;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using static HandInHand.Host.Web.Html;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// The manager's practitioners: each one's caseload against capacity, the areas they cover, a
/// form per practitioner to change their name, areas, capacity and whether they take cases, and a
/// form to add one by the staff id they sign in with. The forms are checked by the API's own rules
/// (<see cref="StaffApi.CheckPractitioner"/>) and saved as the API saves, so new or raised capacity
/// is offered to the waiting list at once; adding never replaces a practitioner already there.
/// </summary>
public static class PractitionerPages
{
    public const string ListPath = "/staff/practitioners";

    /// <summary>The query value the list takes after a practitioner was saved (a word, never data).</summary>
    private const string SavedQuery = "saved";

    private const string SavedValue = "yes";

    /// <summary>The value of <see cref="SavedQuery"/> after a practitioner was added.</summary>
    private const string AddedValue = "added";

    /// <summary>
    /// The page that adds a practitioner. Not <c>/staff/practitioners/new</c>: that path would be
    /// <c>/staff/practitioners/{id}</c> too, and the Functions host chooses between two overlapping
    /// routes by the functions' names, not by which is more specific; "new" is also a valid staff id.
    /// </summary>
    public const string NewPath = "/staff/new-practitioner";

    public const string IdField = "id";

    public const string NameField = "displayName";
    public const string RegionsField = "regions";
    public const string CapacityField = "capacity";
    public const string ActiveField = "active";

    public static string EditPath(string id) => ListPath + "/" + Uri.EscapeDataString(id);

    public static IEndpointRouteBuilder MapPractitionerPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup(ListPath).ExcludeFromDescription().RequireAuthorization(Policies.Management);
        pages.MapGet("", ShowListAsync).WithQueryParameter(SavedQuery, SavedValue, "Set after a practitioner was saved (yes) or added (added), to say so at the top.");
        pages.MapGet("{id}", ShowEditAsync);
        pages.MapPost("{id}", SaveAsync);
        var adding = app.MapGroup(NewPath).ExcludeFromDescription().RequireAuthorization(Policies.Management);
        adding.MapGet("", ShowNew);
        adding.MapPost("", AddAsync);
        return app;
    }

    /// <summary>GET /staff/practitioners: every practitioner, with cases held against capacity.</summary>
    public static async Task<IResult> ShowListAsync(HttpContext context, IAntiforgery antiforgery, PractitionerDirectory practitioners, CancellationToken cancellationToken)
    {
        var query = QueryValues.Of(context.Request);
        var saved = query.Code(SavedQuery, [SavedValue, AddedValue]);
        if (!query.IsValid)
        {
            return StaffLayout.QueryErrorPage(context, antiforgery, "Practitioners", query);
        }

        var items = await practitioners.ListWithCaseloadsAsync(cancellationToken);
        var main = new StringBuilder("<h1>Practitioners and caseloads</h1>\n");
        if (saved is not null)
        {
            main.Append("<div class=\"notice\" role=\"status\" id=\"notice\"><p>")
                .Append(saved == AddedValue ? "The practitioner was added." : "The practitioner's details were saved.")
                .Append("</p></div>\n");
        }

        var addLink = "<p><a href=\"" + NewPath + "\" id=\"add-practitioner\">Add a practitioner</a></p>\n";
        if (items.Count == 0)
        {
            main.Append("<p id=\"no-practitioners\">No practitioner is set up yet.</p>\n").Append(addLink);
            return StaffLayout.Page(context, antiforgery, "Practitioners and caseloads", main.ToString());
        }

        main.Append("<p>Each practitioner's cases against their capacity, and the areas they cover. A manager may allocate over capacity; such a caseload is marked. Open a practitioner to change their details.</p>\n")
            .Append(addLink);
        var rows = new StringBuilder();
        foreach (var (p, held) in items.OrderBy(c => c.Practitioner.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Practitioner.Id, StringComparer.Ordinal))
        {
            var free = Math.Max(0, p.Capacity - held);
            rows.Append("<tr><th scope=\"row\"><a href=\"").Append(E(EditPath(p.Id))).Append("\">").Append(E(p.DisplayName)).Append("</a></th>")
                .Append("<td>").Append(E(p.Id)).Append("</td>")
                .Append("<td>").Append(E(string.Join(", ", p.Regions))).Append("</td>")
                .Append("<td>").Append(held.ToString(CultureInfo.InvariantCulture)).Append(" of ").Append(p.Capacity.ToString(CultureInfo.InvariantCulture))
                .Append(held > p.Capacity ? " <span class=\"overdue\">Over capacity</span>" : string.Empty).Append("</td>")
                .Append("<td>").Append(free.ToString(CultureInfo.InvariantCulture)).Append("</td>")
                .Append("<td>").Append(p.Active ? "Yes" : "No").Append("</td></tr>\n");
        }

        main.Append(StaffLayout.ScrollingTable("practitioners-caption",
            "<table id=\"caseloads\">\n<caption id=\"practitioners-caption\">Practitioners, their areas and caseloads</caption>\n"
            + "<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Staff id</th><th scope=\"col\">Areas</th><th scope=\"col\">Cases held</th><th scope=\"col\">Free places</th><th scope=\"col\">Taking cases</th></tr></thead>\n"
            + $"<tbody>\n{rows}</tbody>\n</table>\n"));
        return StaffLayout.Page(context, antiforgery, "Practitioners and caseloads", main.ToString());
    }

    /// <summary>GET /staff/practitioners/{id}: the practitioner's details, to change.</summary>
    public static async Task<IResult> ShowEditAsync(string id, HttpContext context, IAntiforgery antiforgery, PractitionerDirectory practitioners, IOptions<IntakePolicy> policy, CancellationToken cancellationToken)
    {
        var practitioner = await FindAsync(id, practitioners, cancellationToken);
        if (practitioner is null)
        {
            return NotFoundPage(context, antiforgery);
        }

        return FormPage(context, antiforgery, practitioner, policy.Value, Input.Of(practitioner), [], null, StatusCodes.Status200OK);
    }

    /// <summary>GET /staff/new-practitioner: the empty form to add a practitioner.</summary>
    public static IResult ShowNew(HttpContext context, IAntiforgery antiforgery, IOptions<IntakePolicy> policy) =>
        FormPage(context, antiforgery, null, policy.Value, new Input(string.Empty, string.Empty, [], string.Empty, Active: true), [], null, StatusCodes.Status200OK);

    /// <summary>
    /// POST /staff/new-practitioner: checked by the API's rules, then added as the API adds; a staff
    /// id that is taken is a field error and changes nothing.
    /// </summary>
    public static async Task<IResult> AddAsync(
        HttpContext context, IAntiforgery antiforgery, PractitionerDirectory practitioners, AllocationService allocation, ReferralCommands commands, TimeProvider clock,
        IOptions<IntakePolicy> policy, CancellationToken cancellationToken)
    {
        var form = await ReferralPages.ReadFormAsync(context, 8192, cancellationToken);
        var input = form is null ? new Input(string.Empty, string.Empty, [], string.Empty, Active: true) : Input.From(form[IdField].ToString(), form);
        if (form is null || !await antiforgery.IsRequestValidAsync(context))
        {
            return FormPage(context, antiforgery, null, policy.Value, input, [], "The page had expired. Check the details and add the practitioner again.", StatusCodes.Status400BadRequest);
        }

        var id = input.Id.Trim();
        var (capacity, errors) = Check(id, input, policy.Value, null);
        if (errors.All(e => e.Field != IdField) && await practitioners.GetAsync(id, cancellationToken) is not null)
        {
            errors.Insert(0, Taken);
        }

        if (errors.Count > 0)
        {
            return FormPage(context, antiforgery, null, policy.Value, input, errors, null, StatusCodes.Status400BadRequest);
        }

        var practitioner = new Practitioner(id, input.DisplayName.Trim(), [.. input.Regions], capacity!.Value, input.Active);
        if (!await StaffApi.AddPractitionerAsync(practitioner, practitioners, allocation, commands, clock, cancellationToken))
        {
            // Added by someone else since the look-up above: theirs stands.
            return FormPage(context, antiforgery, null, policy.Value, input, [Taken], null, StatusCodes.Status400BadRequest);
        }

        return Results.Redirect($"{ListPath}?{SavedQuery}={AddedValue}");
    }

    private static readonly FieldError Taken = new(IdField, "There is already a practitioner with this staff id. Open them from the list of practitioners to change their details.");

    /// <summary>POST /staff/practitioners/{id}: checked by the API's rules, then saved as the API saves.</summary>
    public static async Task<IResult> SaveAsync(
        string id, HttpContext context, IAntiforgery antiforgery, PractitionerDirectory practitioners, AllocationService allocation, ReferralCommands commands, TimeProvider clock,
        IOptions<IntakePolicy> policy, CancellationToken cancellationToken)
    {
        var practitioner = await FindAsync(id, practitioners, cancellationToken);
        if (practitioner is null)
        {
            return NotFoundPage(context, antiforgery);
        }

        var form = await ReferralPages.ReadFormAsync(context, 8192, cancellationToken);
        var input = form is null ? Input.Of(practitioner) : Input.From(practitioner.Id, form);
        if (form is null || !await antiforgery.IsRequestValidAsync(context))
        {
            return FormPage(context, antiforgery, practitioner, policy.Value, input, [], "The page had expired. Check the details and save again.", StatusCodes.Status400BadRequest);
        }

        var (capacity, errors) = Check(id, input, policy.Value, practitioner);
        if (errors.Count > 0)
        {
            return FormPage(context, antiforgery, practitioner, policy.Value, input, errors, null, StatusCodes.Status400BadRequest);
        }

        var changed = practitioner with { DisplayName = input.DisplayName.Trim(), Regions = [.. input.Regions], Capacity = capacity!.Value, Active = input.Active };
        await StaffApi.SavePractitionerAsync(changed, practitioners, allocation, commands, clock, cancellationToken);
        return Results.Redirect($"{ListPath}?{SavedQuery}={SavedValue}");
    }

    /// <summary>The API's rules, and areas only from the form's list; the capacity as a number when it is one.</summary>
    private static (int? Capacity, List<FieldError> Errors) Check(string id, Input input, IntakePolicy policy, Practitioner? practitioner)
    {
        int? capacity = int.TryParse(input.Capacity.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : null;
        var errors = StaffApi.CheckPractitioner(id, input.DisplayName, input.Regions.Count == 0 ? null : input.Regions, capacity);
        var offered = Offered(policy, practitioner);
        if (input.Regions.Any(r => !offered.Contains(r, StringComparer.Ordinal)) && errors.All(e => e.Field != RegionsField))
        {
            errors.Add(new(RegionsField, "Choose the areas from the list."));
        }

        return (capacity, errors);
    }

    /// <summary>The practitioner with this staff id; null for none, or for an id no practitioner could have (it is not looked up).</summary>
    private static async Task<Practitioner?> FindAsync(string id, PractitionerDirectory practitioners, CancellationToken cancellationToken) =>
        StaffApi.CheckPractitioner(id, "-", ["-"], 0).Count == 0 ? await practitioners.GetAsync(id, cancellationToken) : null;

    /// <summary>The areas offered on the form: the service's, and any the practitioner (if there is one yet) already covers that are no longer among them.</summary>
    private static List<string> Offered(IntakePolicy policy, Practitioner? practitioner) =>
        [.. policy.EffectiveRegions.Concat((practitioner?.Regions ?? []).Where(r => !policy.EffectiveRegions.Contains(r, StringComparer.Ordinal)))];

    private static string IdOf(string field) => field switch
    {
        IdField => "staff-id",
        NameField => "display-name",
        RegionsField => "region-0",
        CapacityField => "capacity",
        _ => "display-name",
    };

    /// <summary>The form to change <paramref name="practitioner"/>, or, for null, the form to add one (which asks for the staff id too).</summary>
    private static IResult FormPage(
        HttpContext context, IAntiforgery antiforgery, Practitioner? practitioner, IntakePolicy policy, Input input, List<FieldError> errors, string? notice, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var byField = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.First().Message, StringComparer.Ordinal);
        var heading = practitioner is null ? "Add a practitioner" : "Practitioner " + practitioner.Id;
        var main = new StringBuilder("<h1>").Append(E(heading)).Append("</h1>\n");
        if (errors.Count > 0)
        {
            main.Append(StaffLayout.ErrorSummary(errors.Select(e => (IdOf(e.Field), e.Message))));
        }

        if (notice is not null)
        {
            main.Append("<div class=\"notice\" role=\"status\" id=\"notice\"><p>").Append(E(notice)).Append("</p></div>\n");
        }

        main.Append("<form method=\"post\" action=\"").Append(E(practitioner is null ? NewPath : EditPath(practitioner.Id))).Append("\" novalidate>\n")
            .Append("<input type=\"hidden\" name=\"").Append(E(tokens.FormFieldName)).Append("\" value=\"").Append(E(tokens.RequestToken)).Append("\">\n");

        if (practitioner is null)
        {
            var idError = byField.GetValueOrDefault(IdField);
            main.Append(idError is null ? "<div class=\"field\">\n" : "<div class=\"field field-error\">\n")
                .Append("<label for=\"staff-id\">Staff id</label>\n<p class=\"hint\" id=\"staff-id-hint\">The id they sign in with: their account's object id in Entra ID. Up to 64 letters, digits, '-' or '_'. It cannot be changed later.</p>\n");
            Error(main, "staff-id-error", idError);
            main.Append("<input type=\"text\" id=\"staff-id\" name=\"").Append(IdField).Append("\" value=\"").Append(E(input.Id)).Append("\" autocomplete=\"off\" spellcheck=\"false\" aria-describedby=\"staff-id-hint")
                .Append(idError is null ? "\"" : " staff-id-error\" aria-invalid=\"true\"").Append(">\n</div>\n");
        }

        var nameError = byField.GetValueOrDefault(NameField);
        main.Append(nameError is null ? "<div class=\"field\">\n" : "<div class=\"field field-error\">\n")
            .Append("<label for=\"display-name\">Name</label>\n<p class=\"hint\" id=\"display-name-hint\">As managers see it when they allocate a case. Up to 100 characters.</p>\n");
        Error(main, "display-name-error", nameError);
        main.Append("<input type=\"text\" id=\"display-name\" name=\"").Append(NameField).Append("\" value=\"").Append(E(input.DisplayName)).Append("\" autocomplete=\"off\" aria-describedby=\"display-name-hint")
            .Append(nameError is null ? "\"" : " display-name-error\" aria-invalid=\"true\"").Append(">\n</div>\n");

        var regionsError = byField.GetValueOrDefault(RegionsField);
        main.Append(regionsError is null ? "<div class=\"field\">\n" : "<div class=\"field field-error\">\n")
            .Append("<fieldset aria-describedby=\"regions-hint").Append(regionsError is null ? "\"" : " regions-error\"").Append(">\n")
            .Append("<legend>Areas covered</legend>\n<p class=\"hint\" id=\"regions-hint\">Cases in these areas are offered to this practitioner. Choose at least one.</p>\n");
        Error(main, "regions-error", regionsError);
        var offered = Offered(policy, practitioner);
        for (var i = 0; i < offered.Count; i++)
        {
            var regionId = "region-" + i.ToString(CultureInfo.InvariantCulture);
            main.Append("<div class=\"option\"><input type=\"checkbox\" id=\"").Append(regionId).Append("\" name=\"").Append(RegionsField).Append("\" value=\"").Append(E(offered[i])).Append('"')
                .Append(input.Regions.Contains(offered[i], StringComparer.Ordinal) ? " checked" : string.Empty).Append("><label for=\"").Append(regionId).Append("\">")
                .Append(E(offered[i])).Append("</label></div>\n");
        }

        main.Append("</fieldset>\n</div>\n");

        var capacityError = byField.GetValueOrDefault(CapacityField);
        main.Append(capacityError is null ? "<div class=\"field\">\n" : "<div class=\"field field-error\">\n")
            .Append("<label for=\"capacity\">Capacity</label>\n<p class=\"hint\" id=\"capacity-hint\">How many cases they can hold at once: a whole number from 0 to 100. ")
            .Append(practitioner is null ? "Their places are offered to the waiting list at once." : "A raised capacity is offered to the waiting list at once.").Append("</p>\n");
        Error(main, "capacity-error", capacityError);
        main.Append("<input type=\"text\" class=\"time\" inputmode=\"numeric\" id=\"capacity\" name=\"").Append(CapacityField).Append("\" value=\"").Append(E(input.Capacity)).Append("\" aria-describedby=\"capacity-hint")
            .Append(capacityError is null ? "\"" : " capacity-error\" aria-invalid=\"true\"").Append(">\n</div>\n");

        main.Append("<div class=\"option\"><input type=\"checkbox\" id=\"active\" name=\"").Append(ActiveField).Append("\" value=\"yes\"").Append(input.Active ? " checked" : string.Empty)
            .Append("><label for=\"active\">Taking new cases</label></div>\n")
            .Append("<button type=\"submit\">").Append(practitioner is null ? "Add the practitioner" : "Save the practitioner").Append("</button>\n</form>\n")
            .Append("<p><a href=\"").Append(ListPath).Append("\">Back to practitioners, without ").Append(practitioner is null ? "adding" : "saving").Append("</a></p>\n");
        return StaffLayout.Page(context, antiforgery, (errors.Count > 0 ? "Error: " : string.Empty) + heading, main.ToString(), status);
    }

    private static void Error(StringBuilder html, string id, string? message)
    {
        if (message is not null)
        {
            html.Append("<p class=\"error-message\" id=\"").Append(id).Append("\"><span class=\"visually-hidden\">Error: </span>").Append(E(message)).Append("</p>\n");
        }
    }

    private static IResult NotFoundPage(HttpContext context, IAntiforgery antiforgery) =>
        StaffLayout.Page(context, antiforgery, "Practitioner not found",
            "<h1>Practitioner not found</h1>\n<p>There is no practitioner with this staff id. Go back to <a href=\"" + ListPath + "\">the practitioners</a>.</p>\n",
            StatusCodes.Status404NotFound);

    /// <summary>The form as typed: kept whole, so a page sent back shows what was entered.</summary>
    private sealed record Input(string Id, string DisplayName, IReadOnlyList<string> Regions, string Capacity, bool Active)
    {
        public static Input Of(Practitioner p) => new(p.Id, p.DisplayName, p.Regions, p.Capacity.ToString(CultureInfo.InvariantCulture), p.Active);

        public static Input From(string id, IFormCollection form) =>
            new(id, form[NameField].ToString(), [.. form[RegionsField].Where(r => !string.IsNullOrEmpty(r)).Select(r => r!)], form[CapacityField].ToString(), form[ActiveField] == "yes");
    }
}
