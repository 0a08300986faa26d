using HandInHand.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace HandInHand.Functions.Http;

/// <summary>
/// The staff and operations API: lists, practitioners, emails, reports, and the operations runs.
/// Each function is one route template of docs/routes.md with its methods, anonymous to the host:
/// it hands the request to the app's pipeline, whose own policies authorize it.
/// </summary>
public sealed class StaffApiFunctions(ApplicationPipeline pipeline)
{
    [Function("ApiAuditVerify")]
    public Task<IActionResult> ApiAuditVerify(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/audit/verify")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiDigestsRun")]
    public Task<IActionResult> ApiDigestsRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/digests/run")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReports")]
    public Task<IActionResult> ApiReports(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiReportsExportCsv")]
    public Task<IActionResult> ApiReportsExportCsv(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports/export.csv")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiRetentionRun")]
    public Task<IActionResult> ApiRetentionRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/retention/run")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiStaffCaseloads")]
    public Task<IActionResult> ApiStaffCaseloads(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/staff/caseloads")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiStaffDue")]
    public Task<IActionResult> ApiStaffDue(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/staff/due")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiStaffEmails")]
    public Task<IActionResult> ApiStaffEmails(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/staff/emails")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiStaffEmailsByReferenceByMessageIdRetry")]
    public Task<IActionResult> ApiStaffEmailsByReferenceByMessageIdRetry(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/staff/emails/{reference}/{messageId}/retry")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiStaffNotifications")]
    public Task<IActionResult> ApiStaffNotifications(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/staff/notifications")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiStaffPractitioners")]
    public Task<IActionResult> ApiStaffPractitioners(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/staff/practitioners")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiStaffPractitionersById")]
    public Task<IActionResult> ApiStaffPractitionersById(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/staff/practitioners/{id}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiStaffRetentionReviews")]
    public Task<IActionResult> ApiStaffRetentionReviews(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/staff/retention-reviews")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiStaffTriageQueue")]
    public Task<IActionResult> ApiStaffTriageQueue(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/staff/triage-queue")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ApiStaffWaitingList")]
    public Task<IActionResult> ApiStaffWaitingList(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/staff/waiting-list")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);
}
