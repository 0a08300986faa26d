using HandInHand.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace HandInHand.Functions.Http;

/// <summary>
/// The pages, the stylesheet, the icon, the health check and the API description.
/// Each function is one route template of docs/routes.md with its methods, anonymous to the host:
/// it hands the request to the app's pipeline, whose own policies authorize it.
/// </summary>
public sealed class PageFunctions(ApplicationPipeline pipeline)
{
    [Function("AssetsSiteCss")]
    public Task<IActionResult> AssetsSiteCss(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "assets/site.css")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("FaviconIco")]
    public Task<IActionResult> FaviconIco(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "favicon.ico")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("FeedbackByToken")]
    public Task<IActionResult> FeedbackByToken(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "post", Route = "feedback/{token}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("Health")]
    public Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("OpenapiByDocumentNameJson")]
    public Task<IActionResult> OpenapiByDocumentNameJson(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi/{documentName}.json")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ReferralsNew")]
    public Task<IActionResult> ReferralsNew(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "referrals/new")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ReferralsNewTrustedRelationships")]
    public Task<IActionResult> ReferralsNewTrustedRelationships(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "referrals/new/trusted-relationships")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ReferralsStatus")]
    public Task<IActionResult> ReferralsStatus(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "referrals/status")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ReferralsStatusInformation")]
    public Task<IActionResult> ReferralsStatusInformation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "referrals/status/information")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ReferralsStatusStillNeeded")]
    public Task<IActionResult> ReferralsStatusStillNeeded(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "referrals/status/still-needed")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("ReferralsStatusWithdraw")]
    public Task<IActionResult> ReferralsStatusWithdraw(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "referrals/status/withdraw")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("Reports")]
    public Task<IActionResult> Reports(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reports")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("StaffDashboard")]
    public Task<IActionResult> StaffDashboard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/dashboard")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("SurveyByToken")]
    public Task<IActionResult> SurveyByToken(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "post", Route = "survey/{token}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);
}
