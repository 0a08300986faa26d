using Microsoft.AspNetCore.Http.Features;

namespace HandInHand.Functions.Hosting;

/// <summary>
/// The worker's response as the app sees it, except that the app's completion callbacks are kept
/// here and run by <see cref="InMemoryServer"/> once the app has answered, while the app's request
/// still exists; the worker's server would run them after the function returned, on a request the
/// app has already disposed.
/// </summary>
public sealed class CompletionCallbacks(IHttpResponseFeature response) : IHttpResponseFeature
{
    private readonly Stack<(Func<object, Task> Callback, object State)> _completed = new();

    public int StatusCode { get => response.StatusCode; set => response.StatusCode = value; }

    public string? ReasonPhrase { get => response.ReasonPhrase; set => response.ReasonPhrase = value; }

    public IHeaderDictionary Headers { get => response.Headers; set => response.Headers = value; }

    [Obsolete("Use IHttpResponseBodyFeature.Stream instead.")]
    public Stream Body { get => response.Body; set => response.Body = value; }

    public bool HasStarted => response.HasStarted;

    public void OnStarting(Func<object, Task> callback, object state) => response.OnStarting(callback, state);

    public void OnCompleted(Func<object, Task> callback, object state) => _completed.Push((callback, state));

    /// <summary>Runs the completion callbacks, the last registered first, as ASP.NET Core servers do.</summary>
    public async Task RunAsync()
    {
        while (_completed.TryPop(out var entry))
        {
            await entry.Callback(entry.State).ConfigureAwait(false);
        }
    }
}
