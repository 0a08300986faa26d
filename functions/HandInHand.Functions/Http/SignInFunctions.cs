using HandInHand.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace HandInHand.Functions.Http;

/// <summary>
/// Entra ID sign-in's callbacks, answered by the app's OpenID Connect handler (in the pipeline, not an endpoint), so they appear in no route table;
/// and signing out, which ends there.
/// Each function is one route template of docs/routes.md with its methods, anonymous to the host:
/// it hands the request to the app's pipeline, whose own policies authorize it.
/// </summary>
public sealed class SignInFunctions(ApplicationPipeline pipeline)
{
    [Function("SigninOidc")]
    public Task<IActionResult> SigninOidc(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "signin-oidc")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("SignoutCallbackOidc")]
    public Task<IActionResult> SignoutCallbackOidc(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signout-callback-oidc")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("AccountSignOut")]
    public Task<IActionResult> AccountSignOut(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "account/sign-out")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);

    [Function("AccountSignedOut")]
    public Task<IActionResult> AccountSignedOut(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "account/signed-out")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        pipeline.ServeAsync(request, client);
}
