using System.Text;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Host.Referrals;
using HandInHand.Host.Web;
using HandInHand.Infrastructure.Surveys;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Workflow;
using Microsoft.AspNetCore.Antiforgery;
using static HandInHand.Host.Web.Html;

namespace HandInHand.Host.Surveys;

/// <summary>
/// The end-of-support survey for the young person (<c>/survey/{token}</c>) and the feedback form
/// for the referrer (<c>/feedback/{token}</c>). Opening a link (GET or HEAD, as a mail scanner's
/// prefetch does) changes nothing; only the POST of the answers uses it, and the referral takes
/// one set of answers, so of two simultaneous submissions exactly one is taken. An unknown,
/// expired or used link shows one neutral page. The pages say nothing about the young person or
/// about what the service is for.
/// </summary>
public static class SurveyPages
{
    private const int MaxFormBytes = 16 * 1024;

    private static readonly (string Field, string Question)[] YoungPersonQuestions =
    [
        ("trustedWorker", "Could you trust your worker?"),
        ("feltListenedTo", "Did you feel listened to?"),
        ("feltSafe", "Did you feel safe when you met?"),
        ("wouldRecommend", "Would you tell a friend to come to us?"),
    ];

    private static readonly (string Field, string Question)[] PartnerQuestions =
    [
        ("wouldRecommend", "Would you recommend the service to colleagues?"),
        ("improvedCapacity", "Has working with the service improved your capacity to support young people?"),
        ("improvedUnderstanding", "Has it improved your understanding of the young person's needs?"),
        ("improvedResponse", "Has it improved how you respond to young people?"),
    ];

    private static readonly (string Value, string Label, Answer Answer)[] Choices =
    [
        ("yes", "Yes", Answer.Yes),
        ("not-sure", "Not sure", Answer.NotSure),
        ("no", "No", Answer.No),
    ];

    public static IEndpointRouteBuilder MapSurveyPages(this IEndpointRouteBuilder app)
    {
        foreach (var audience in Enum.GetValues<SurveyAudience>())
        {
            var path = PathOf(audience) + "/{token}";
            app.MapMethods(path, [HttpMethods.Get, HttpMethods.Head], (string token, HttpContext context, IAntiforgery antiforgery, SurveyTokens tokens, ReferralWorkflowStore store, TimeProvider clock, CancellationToken cancellationToken) =>
                    ShowAsync(audience, token, context, antiforgery, tokens, store, clock, cancellationToken))
                .ExcludeFromDescription().WithMetadata(new PublicEndpointAttribute()).AllowAnonymous();
            app.MapPost(path, (string token, HttpContext context, IAntiforgery antiforgery, SurveyTokens tokens, ReferralWorkflowStore store, ReferralCommands commands, TimeProvider clock, CancellationToken cancellationToken) =>
                    SubmitAsync(audience, token, context, antiforgery, tokens, store, commands, clock, cancellationToken))
                .ExcludeFromDescription().WithMetadata(new PublicEndpointAttribute()).AllowAnonymous();
        }

        return app;
    }

    private static string PathOf(SurveyAudience audience) => audience == SurveyAudience.YoungPerson ? "/survey" : "/feedback";

    private static async Task<IResult> ShowAsync(
        SurveyAudience audience, string token, HttpContext context, IAntiforgery antiforgery, SurveyTokens tokens, ReferralWorkflowStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var ticket = await OpenTicketAsync(audience, token, tokens, store, clock, cancellationToken);
        return ticket is null ? Unavailable() : FormPage(audience, token, context, antiforgery, [], new FormCollection([]), StatusCodes.Status200OK);
    }

    private static async Task<IResult> SubmitAsync(
        SurveyAudience audience,
        string token,
        HttpContext context,
        IAntiforgery antiforgery,
        SurveyTokens tokens,
        ReferralWorkflowStore store,
        ReferralCommands commands,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var ticket = await OpenTicketAsync(audience, token, tokens, store, clock, cancellationToken);
        if (ticket is null)
        {
            return Unavailable();
        }

        var form = await ReferralPages.ReadFormAsync(context, MaxFormBytes, cancellationToken);
        if (form is null)
        {
            return Page("Answers too long", "<h1>Your answers are too long</h1>\n<p>Go back, shorten the longest answer and send it again.</p>", StatusCodes.Status413PayloadTooLarge, neutral: true);
        }

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return FormPage(audience, token, context, antiforgery, [new("form", "The page had expired. Check your answers and send them again.")], form, StatusCodes.Status400BadRequest);
        }

        var errors = new List<FieldError>();
        var questions = audience == SurveyAudience.YoungPerson ? YoungPersonQuestions : PartnerQuestions;
        var answers = questions.Select(q => AnswerOf(form, q.Field, errors)).ToArray();
        var ideas = audience == SurveyAudience.YoungPerson ? (string?)form["ideas"] : null;
        if (ideas is { Length: > SurveyAnswers.IdeasMaxLength })
        {
            errors.Add(new("ideas", $"Ideas can be at most {SurveyAnswers.IdeasMaxLength} characters."));
        }

        if (errors.Count > 0)
        {
            return FormPage(audience, token, context, antiforgery, errors, form, StatusCodes.Status400BadRequest);
        }

        var now = clock.GetUtcNow();
        ReferralCommand command = audience == SurveyAudience.YoungPerson
            ? new ReferralCommand.AnswerSurvey(new Actor("survey-link", Role.YoungPerson), now, new SurveyAnswers(answers[0], answers[1], answers[2], answers[3], ideas))
            : new ReferralCommand.GivePartnerFeedback(new Actor("feedback-link", Role.Referrer), now, new PartnerFeedback(answers[0], answers[1], answers[2], answers[3]));
        try
        {
            await commands.SendAsync(ticket.Reference, command, cancellationToken: cancellationToken);
            await tokens.MarkUsedAsync(ticket, now, cancellationToken);
        }
        catch (CommandPendingException)
        {
            // The answers are queued and will be recorded: the link has done its work.
            await tokens.MarkUsedAsync(ticket, now, cancellationToken);
        }
        catch (CommandRejectedException)
        {
            // Answered a moment ago by another submission, or closed meanwhile: the same neutral page.
            return Unavailable();
        }

        return Page("Thank you", "<h1>Thank you</h1>\n<p>Your answers have been sent. You can close this page.</p>", StatusCodes.Status200OK, neutral: true);
    }

    /// <summary>The ticket when the link is ours, for this form, unexpired and its survey still takes answers; otherwise null.</summary>
    private static async Task<SurveyTicket?> OpenTicketAsync(
        SurveyAudience audience, string token, SurveyTokens tokens, ReferralWorkflowStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var ticket = await tokens.FindAsync(token, cancellationToken);
        var now = clock.GetUtcNow();
        if (ticket is null || ticket.Audience != audience || ticket.UsedAt is not null || now > ticket.ExpiresAt)
        {
            return null;
        }

        var state = (await store.LoadAsync(ticket.Reference, cancellationToken))?.State;
        var (openUntil, answeredAt) = audience == SurveyAudience.YoungPerson
            ? (state?.SurveyOpenUntil, state?.SurveyAnsweredAt)
            : (state?.PartnerFeedbackOpenUntil, state?.PartnerFeedbackAt);
        return state is { Stage: Stage.Closed, ErasedAt: null } && openUntil >= now && answeredAt is null ? ticket : null;
    }

    private static Answer? AnswerOf(IFormCollection form, string field, List<FieldError> errors)
    {
        string? raw = form[field];
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        foreach (var choice in Choices)
        {
            if (raw == choice.Value)
            {
                return choice.Answer;
            }
        }

        errors.Add(new(field, "Choose yes, not sure or no, or leave the question out."));
        return null;
    }

    /// <summary>One page for every link that cannot be used, whatever the reason.</summary>
    private static IResult Unavailable() => Page(
        "Link not available",
        "<h1>This link is not available</h1>\n<p>It may have been used already, or it may be out of date. You do not need to do anything else.</p>",
        StatusCodes.Status404NotFound,
        neutral: true);

    private static IResult FormPage(
        SurveyAudience audience, string token, HttpContext context, IAntiforgery antiforgery, List<FieldError> errors, IFormCollection values, int status)
    {
        var antiforgeryTokens = antiforgery.GetAndStoreTokens(context);
        var youngPerson = audience == SurveyAudience.YoungPerson;
        var title = youngPerson ? "Tell us what you thought" : "Your feedback";
        var html = new StringBuilder();
        html.Append("<h1>").Append(E(title)).Append("</h1>\n");
        html.Append(youngPerson
            ? "<p>Your answers help us get better. Every question is optional. It takes about five minutes.</p>\n"
            : "<p>Four short questions about working with us. Every question is optional.</p>\n");
        if (errors.Count > 0)
        {
            html.Append("<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\">\n<h2 id=\"error-summary-title\">There is a problem</h2>\n<ul>\n");
            foreach (var error in errors)
            {
                html.Append("<li><a href=\"#").Append(E(error.Field)).Append("\">").Append(E(error.Message)).Append("</a></li>\n");
            }

            html.Append("</ul>\n</div>\n");
        }

        html.Append("<form method=\"post\" action=\"").Append(PathOf(audience)).Append('/').Append(E(token)).Append("\" novalidate>\n");
        html.Append("<input type=\"hidden\" name=\"").Append(E(antiforgeryTokens.FormFieldName)).Append("\" value=\"").Append(E(antiforgeryTokens.RequestToken)).Append("\">\n");
        foreach (var (field, question) in youngPerson ? YoungPersonQuestions : PartnerQuestions)
        {
            var error = errors.FirstOrDefault(e => e.Field == field);
            html.Append("<fieldset id=\"").Append(field).Append('"').Append(error is null ? string.Empty : $" aria-describedby=\"{field}-error\"").Append(">\n<legend>").Append(E(question)).Append("</legend>\n");
            if (error is not null)
            {
                html.Append("<p class=\"error-message\" id=\"").Append(field).Append("-error\">").Append(E(error.Message)).Append("</p>\n");
            }

            foreach (var (value, label, _) in Choices)
            {
                var id = field + "-" + value;
                var isChecked = values[field] == value ? " checked" : string.Empty;
                html.Append("<div class=\"option\"><input type=\"radio\" id=\"").Append(id).Append("\" name=\"").Append(field).Append("\" value=\"").Append(value).Append('"').Append(isChecked)
                    .Append("><label for=\"").Append(id).Append("\">").Append(label).Append("</label></div>\n");
            }

            html.Append("</fieldset>\n");
        }

        if (youngPerson)
        {
            var error = errors.FirstOrDefault(e => e.Field == "ideas");
            html.Append("<label for=\"ideas\">Do you have any ideas for how we could do better?</label>\n<p class=\"hint\" id=\"ideas-hint\">Optional. Please do not write names or other personal details.</p>\n");
            if (error is not null)
            {
                html.Append("<p class=\"error-message\" id=\"ideas-error\">").Append(E(error.Message)).Append("</p>\n");
            }

            html.Append("<textarea id=\"ideas\" name=\"ideas\" maxlength=\"").Append(SurveyAnswers.IdeasMaxLength).Append("\" aria-describedby=\"ideas-hint").Append(error is null ? string.Empty : " ideas-error").Append("\">")
                .Append(E(values["ideas"])).Append("</textarea>\n");
        }

        html.Append("<p><button type=\"submit\">Send my answers</button></p>\n</form>");
        return Page(errors.Count > 0 ? "Error: " + title : title, html.ToString(), status, neutral: true);
    }
}
