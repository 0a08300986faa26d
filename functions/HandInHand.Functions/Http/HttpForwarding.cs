using HandInHand.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;

namespace HandInHand.Functions.Http;

/// <summary>How every HTTP function answers: the app's pipeline serves the request and writes the response.</summary>
public static class HttpForwarding
{
    /// <summary>
    /// Serves <paramref name="request"/> through the app; the function's own result then adds
    /// nothing (an <see cref="EmptyResult"/>), since the app has written the whole response.
    /// </summary>
    public static async Task<IActionResult> ServeAsync(this ApplicationPipeline pipeline, HttpRequest request, DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(request);
        await pipeline.ServeAsync(request.HttpContext, client).ConfigureAwait(false);
        return new EmptyResult();
    }
}
