using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;

namespace HandInHand.Functions.Hosting;

/// <summary>
/// The server of the app's pipeline under the Functions worker: it opens no socket. Starting the
/// app hands it the app's whole request handling (hosting, the middleware, the endpoints), which
/// <see cref="ServeAsync"/> runs for each request the worker's own server received.
/// </summary>
public sealed class InMemoryServer : IServer
{
    private Func<IFeatureCollection, Task>? _handle;

    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        ArgumentNullException.ThrowIfNull(application);
        _handle = async features =>
        {
            // As a server does: one context per request, disposed whatever happens, with the failure if there was one.
            var completed = new CompletionCallbacks(features.Get<IHttpResponseFeature>() ?? throw new InvalidOperationException("The request has no response."));
            features.Set<IHttpResponseFeature>(completed);
            var context = application.CreateContext(features);
            try
            {
                await application.ProcessRequestAsync(context).ConfigureAwait(false);

                // The app's starting callbacks (the security headers, cookies) hold its request,
                // which is disposed below: the worker's server must not run them after that, so
                // the response starts now, as the app's own server would start it at its end.
                if (!completed.HasStarted && features.Get<IHttpResponseBodyFeature>() is { } body)
                {
                    await body.StartAsync().ConfigureAwait(false);
                }

                await completed.RunAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                application.DisposeContext(context, ex);
                throw;
            }

            application.DisposeContext(context, null);
        };
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _handle = null;
        return Task.CompletedTask;
    }

    /// <summary>Runs one request, given by its server features, through the app.</summary>
    /// <exception cref="InvalidOperationException">The app has not started, or has stopped.</exception>
    public Task ServeAsync(IFeatureCollection features) =>
        (_handle ?? throw new InvalidOperationException("The app's pipeline has not started."))(features);

    public void Dispose() => _handle = null;
}
