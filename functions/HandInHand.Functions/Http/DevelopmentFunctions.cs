using HandInHand.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace HandInHand.Functions.Http;

/// <summary>
/// The Development-only pages (<c>/dev/…</c>). Outside Development the app maps none of them, so through these functions it answers as it does for any unmapped path.
/// Each function is one route template of docs/routes.md with its methods, anonymous to the host:
/// it hands the request to the app's pipeline, whose own policies authorize it.
/// </summary>
public sealed class DevelopmentFunctions(ApplicationPipeline pipeline)
{
    [Function("DevMailbox")]
    public Task<IActionResult> DevMailbox(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dev/mailbox")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("DevMailboxByMessageId")]
    public Task<IActionResult> DevMailboxByMessageId(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dev/mailbox/{messageId}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("DevNotifications")]
    public Task<IActionResult> DevNotifications(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dev/notifications")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("DevSignIn")]
    public Task<IActionResult> DevSignIn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "dev/sign-in")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("DevSignOut")]
    public Task<IActionResult> DevSignOut(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dev/sign-out")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);
}
