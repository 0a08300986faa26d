using HandInHand.Domain.Referrals;
using HandInHand.Host.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace HandInHand.Host.Referrals;

/// <summary>
/// The referrer's actions beside the status resource: public like the status read, rate limited
/// with it, and opened by the same <see cref="ReferralApi.AccessCodeHeader"/>. A wrong code and an
/// unknown reference get the status read's 404; the answer is the status a referrer may see, never
/// the staff view of the referral.
/// </summary>
public static class ReferrerApi
{
    /// <summary>Maps the actions into the public referral group (anonymous, with the status read).</summary>
    public static void MapReferrerActions(RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        Map(group, "withdraw", nameof(WithdrawAsync), "Withdraw a referral with its access code", WithdrawAsync);
        Map(group, "information", nameof(AnswerInformationRequestAsync), "Tell the service the information it asked for has been given", AnswerInformationRequestAsync);
        Map(group, "still-needed", nameof(ConfirmStillNeededAsync), "Confirm that a referral waiting for a place is still needed", ConfirmStillNeededAsync);
    }

    /// <summary>POST /api/referrals/{reference}/status/withdraw: <c>{"reason": "…", "category": "no-longer-needed"}</c>.</summary>
    public static Task<Results<Ok<ReferralStatusView>, ValidationProblem, ProblemHttpResult>> WithdrawAsync(
        string reference, [FromHeader(Name = ReferralApi.AccessCodeHeader)] string? accessCode, HttpRequest request, ReferrerActions actions, ReferralIntake intake, CancellationToken cancellationToken) =>
        RunAsync(reference, accessCode, request, actions, intake, (ReferralCommandApi.CategorisedReasonRequest b) => new ReferrerAction.Withdraw(b.Reason, b.Category), cancellationToken);

    /// <summary>POST /api/referrals/{reference}/status/information: an empty body or <c>{}</c>.</summary>
    public static Task<Results<Ok<ReferralStatusView>, ValidationProblem, ProblemHttpResult>> AnswerInformationRequestAsync(
        string reference, [FromHeader(Name = ReferralApi.AccessCodeHeader)] string? accessCode, HttpRequest request, ReferrerActions actions, ReferralIntake intake, CancellationToken cancellationToken) =>
        RunAsync(reference, accessCode, request, actions, intake, (ReferralCommandApi.Empty _) => new ReferrerAction.AnswerInformationRequest(), cancellationToken);

    /// <summary>POST /api/referrals/{reference}/status/still-needed: an empty body or <c>{}</c>.</summary>
    public static Task<Results<Ok<ReferralStatusView>, ValidationProblem, ProblemHttpResult>> ConfirmStillNeededAsync(
        string reference, [FromHeader(Name = ReferralApi.AccessCodeHeader)] string? accessCode, HttpRequest request, ReferrerActions actions, ReferralIntake intake, CancellationToken cancellationToken) =>
        RunAsync(reference, accessCode, request, actions, intake, (ReferralCommandApi.Empty _) => new ReferrerAction.ConfirmStillNeeded(), cancellationToken);

    private static void Map(RouteGroupBuilder group, string action, string name, string summary, Delegate handler) =>
        group.MapPost("{reference}/status/" + action, handler)
            .WithName(name)
            .WithSummary(summary)
            .WithMetadata(new Audit.AuditedAttribute())
            .WithMetadata(new PublicEndpointAttribute());

    private static async Task<Results<Ok<ReferralStatusView>, ValidationProblem, ProblemHttpResult>> RunAsync<TBody>(
        string reference, string? accessCode, HttpRequest request, ReferrerActions actions, ReferralIntake intake, Func<TBody, ReferrerAction> toAction, CancellationToken cancellationToken)
        where TBody : class, new()
    {
        // The code before the body, so a caller without it learns nothing from the answer.
        if (await intake.FindForReferrerAsync(reference, accessCode, cancellationToken) is null)
        {
            return ReferralApi.NotFound();
        }

        var (body, problem) = await JsonBody.ReadAsync<TBody>(request, 16 * 1024, ReferralCommandApi.Json, "This field is missing, has the wrong type, or is not part of this request.", cancellationToken);
        switch (problem)
        {
            case ValidationProblem invalid:
                return invalid;
            case ProblemHttpResult refused:
                return refused;
        }

        string? key = request.Headers[ReferralApi.IdempotencyKeyHeader];
        var result = await actions.RunAsync(reference, accessCode, toAction(body!), IdempotencyKeys.Check(key) is null ? key : null, cancellationToken);
        return result switch
        {
            ReferrerActionResult.Done done => TypedResults.Ok(ReferralApi.StatusView(done.Referral)),
            ReferrerActionResult.Pending pending => TypedResults.Ok(ReferralApi.StatusView(pending.Referral)),
            ReferrerActionResult.Invalid invalid => Problems.Fields([.. invalid.Errors]),
            ReferrerActionResult.NotNow => Problems.Status(StatusCodes.Status409Conflict, "Not at this step", "The referral is not at a step where this can be done. Read its status to see where it is."),
            ReferrerActionResult.NotFound => ReferralApi.NotFound(),
            _ => throw new InvalidOperationException($"Unhandled referrer action result {result.GetType().Name}."),
        };
    }
}
