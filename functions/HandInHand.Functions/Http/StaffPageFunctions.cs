using HandInHand.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace HandInHand.Functions.Http;

/// <summary>
/// The staff pages: the staff home, "My cases", a case and its first-contact form; the manager's triage queue,
/// waiting list and triage and allocation forms; and the Trusted Relationships panel's queue, decision and strand allocation.
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
}
