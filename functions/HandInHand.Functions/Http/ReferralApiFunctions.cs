using HandInHand.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace HandInHand.Functions.Http;

/// <summary>
/// The referral API (<c>/api/referrals…</c>): intake, case work, and the referrer's status routes.
/// Each function is one route template of docs/routes.md with its methods, anonymous to the host:
/// it hands the request to the app's pipeline, whose own policies authorize it.
/// </summary>
public sealed class ReferralApiFunctions(ApplicationPipeline pipeline)
{
    [Function("ApiReferrals")]
    public Task<IActionResult> ApiReferrals(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReference")]
    public Task<IActionResult> ApiReferralsByReference(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/referrals/{reference}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceAccept")]
    public Task<IActionResult> ApiReferralsByReferenceAccept(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{reference}/accept")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceAllocate")]
    public Task<IActionResult> ApiReferralsByReferenceAllocate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{reference}/allocate")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceAudit")]
    public Task<IActionResult> ApiReferralsByReferenceAudit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/referrals/{reference}/audit")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceClose")]
    public Task<IActionResult> ApiReferralsByReferenceClose(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{reference}/close")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceCommandsByCommandId")]
    public Task<IActionResult> ApiReferralsByReferenceCommandsByCommandId(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/referrals/{reference}/commands/{commandId}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceConfirmStillNeeded")]
    public Task<IActionResult> ApiReferralsByReferenceConfirmStillNeeded(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{reference}/confirm-still-needed")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceContactChannel")]
    public Task<IActionResult> ApiReferralsByReferenceContactChannel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/referrals/{reference}/contact-channel")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceDecline")]
    public Task<IActionResult> ApiReferralsByReferenceDecline(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{reference}/decline")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceErase")]
    public Task<IActionResult> ApiReferralsByReferenceErase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{reference}/erase")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceFirstContact")]
    public Task<IActionResult> ApiReferralsByReferenceFirstContact(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{reference}/first-contact")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceLegalHold")]
    public Task<IActionResult> ApiReferralsByReferenceLegalHold(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{reference}/legal-hold")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceLegalHoldRelease")]
    public Task<IActionResult> ApiReferralsByReferenceLegalHoldRelease(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{reference}/legal-hold/release")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceReceiveInformation")]
    public Task<IActionResult> ApiReferralsByReferenceReceiveInformation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{reference}/receive-information")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceReopen")]
    public Task<IActionResult> ApiReferralsByReferenceReopen(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{reference}/reopen")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceRequestInformation")]
    public Task<IActionResult> ApiReferralsByReferenceRequestInformation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{reference}/request-information")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceSessions")]
    public Task<IActionResult> ApiReferralsByReferenceSessions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{reference}/sessions")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceReviews")]
    public Task<IActionResult> ApiReferralsByReferenceReviews(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{reference}/reviews")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceStatus")]
    public Task<IActionResult> ApiReferralsByReferenceStatus(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/referrals/{reference}/status")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceStatusInformation")]
    public Task<IActionResult> ApiReferralsByReferenceStatusInformation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{reference}/status/information")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceStatusStillNeeded")]
    public Task<IActionResult> ApiReferralsByReferenceStatusStillNeeded(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{reference}/status/still-needed")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceStatusWithdraw")]
    public Task<IActionResult> ApiReferralsByReferenceStatusWithdraw(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{reference}/status/withdraw")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceSubjectAccessExport")]
    public Task<IActionResult> ApiReferralsByReferenceSubjectAccessExport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/referrals/{reference}/subject-access-export")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceSurveyOptOut")]
    public Task<IActionResult> ApiReferralsByReferenceSurveyOptOut(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{reference}/survey-opt-out")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceTimeline")]
    public Task<IActionResult> ApiReferralsByReferenceTimeline(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/referrals/{reference}/timeline")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReferralsByReferenceWithdraw")]
    public Task<IActionResult> ApiReferralsByReferenceWithdraw(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{reference}/withdraw")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);
}
