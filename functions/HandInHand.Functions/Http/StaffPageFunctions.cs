using HandInHand.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace HandInHand.Functions.Http;

/// <summary>
/// The staff pages: the staff home, "My cases", a case and its forms for first contact and the steps of support; the
/// manager's triage queue, waiting list, triage and allocation forms, retention reviews, emails that did not go and
/// practitioners; and the Trusted Relationships panel's queue, decision and strand allocation.
/// Each function is one route template of docs/routes.md with its methods, anonymous to the host:
/// it hands the request to the app's pipeline, whose own policies authorize it.
/// </summary>
public sealed class StaffPageFunctions(ApplicationPipeline pipeline)
{
    [Function("Staff")]
    public Task<IActionResult> Staff(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffCases")]
    public Task<IActionResult> StaffCases(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/cases")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffCasesByReference")]
    public Task<IActionResult> StaffCasesByReference(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/cases/{reference}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffCasesByReferenceFirstContact")]
    public Task<IActionResult> StaffCasesByReferenceFirstContact(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/cases/{reference}/first-contact")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffTriage")]
    public Task<IActionResult> StaffTriage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/triage")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffWaitingList")]
    public Task<IActionResult> StaffWaitingList(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/waiting-list")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffCasesByReferenceAccept")]
    public Task<IActionResult> StaffCasesByReferenceAccept(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/cases/{reference}/accept")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffCasesByReferenceDecline")]
    public Task<IActionResult> StaffCasesByReferenceDecline(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/cases/{reference}/decline")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffCasesByReferenceRequestInformation")]
    public Task<IActionResult> StaffCasesByReferenceRequestInformation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/cases/{reference}/request-information")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffCasesByReferenceAllocate")]
    public Task<IActionResult> StaffCasesByReferenceAllocate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/cases/{reference}/allocate")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffPanel")]
    public Task<IActionResult> StaffPanel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/panel")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffCasesByReferencePanelDecision")]
    public Task<IActionResult> StaffCasesByReferencePanelDecision(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/cases/{reference}/panel-decision")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffCasesByReferenceStrandAllocation")]
    public Task<IActionResult> StaffCasesByReferenceStrandAllocation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/cases/{reference}/strand-allocation")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffCasesByReferenceSession")]
    public Task<IActionResult> StaffCasesByReferenceSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/cases/{reference}/session")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffCasesByReferenceReview")]
    public Task<IActionResult> StaffCasesByReferenceReview(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/cases/{reference}/review")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffCasesByReferenceContactChannel")]
    public Task<IActionResult> StaffCasesByReferenceContactChannel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/cases/{reference}/contact-channel")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffCasesByReferenceSurveyOptOut")]
    public Task<IActionResult> StaffCasesByReferenceSurveyOptOut(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/cases/{reference}/survey-opt-out")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffCasesByReferenceClose")]
    public Task<IActionResult> StaffCasesByReferenceClose(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/cases/{reference}/close")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffRetention")]
    public Task<IActionResult> StaffRetention(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/retention")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffRetentionByReferenceErase")]
    public Task<IActionResult> StaffRetentionByReferenceErase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "staff/retention/{reference}/erase")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffRetentionByReferenceLegalHold")]
    public Task<IActionResult> StaffRetentionByReferenceLegalHold(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "staff/retention/{reference}/legal-hold")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffRetentionByReferenceLegalHoldRelease")]
    public Task<IActionResult> StaffRetentionByReferenceLegalHoldRelease(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "staff/retention/{reference}/legal-hold/release")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffEmails")]
    public Task<IActionResult> StaffEmails(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/emails")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffEmailsRetry")]
    public Task<IActionResult> StaffEmailsRetry(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/emails/retry")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffPractitioners")]
    public Task<IActionResult> StaffPractitioners(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/practitioners")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffPractitionersById")]
    public Task<IActionResult> StaffPractitionersById(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "staff/practitioners/{id}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffNewPractitioner")]
    public Task<IActionResult> StaffNewPractitioner(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "staff/new-practitioner")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);
}
