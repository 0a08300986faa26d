using System.Net;
using System.Reflection;
using HandInHand.Functions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Functions.Tests;

/// <summary>
/// The Functions app's <see cref="ApplicationPipeline"/> against the test run's Azurite (tables of
/// its own), in the environment given, with a recorder of the endpoint each request reached. Its
/// functions are invoked as the worker would: the function class built with the pipeline, the
/// method called with the worker's request.
/// </summary>
internal sealed class TestPipeline : IAsyncDisposable
{
    public const string StorageVariable = "HANDINHAND_TEST_STORAGE";

    private readonly EndpointRecorder _recorder = new();

    public TestPipeline(string environment, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var storage = Environment.GetEnvironmentVariable(StorageVariable)
            ?? throw new InvalidOperationException($"{StorageVariable} is not set. Run the tests with ./scripts/test.sh, which starts Azurite and sets it.");
        var prefix = "f" + Guid.NewGuid().ToString("N")[..10];
        Pipeline = new ApplicationPipeline(environment, builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = storage,
                ["Storage:TablePrefix"] = prefix,
                ["RateLimits:PerClientPermits"] = "100000",
                ["RateLimits:TotalPermits"] = "100000",
                ["Notifications:DevelopmentMailboxPath"] = Path.Combine(Path.GetTempPath(), "handinhand-mailbox-" + prefix),
            });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }

            builder.Services.AddSingleton<IStartupFilter>(_recorder);
        });
    }

    private static readonly object BodyKey = new();

    public ApplicationPipeline Pipeline { get; }

    /// <summary>What the app wrote into the worker's response body.</summary>
    public static string BodyOf(HttpContext received) =>
        System.Text.Encoding.UTF8.GetString(((MemoryStream)received.Items[BodyKey]!).ToArray());

    /// <summary>The endpoint the last request reached in the app's pipeline (null: none matched).</summary>
    public Endpoint? LastEndpoint => _recorder.Last;

    public Task StartAsync() => Pipeline.StartAsync();

    /// <summary>
    /// Invokes the function <paramref name="function"/> as the worker would with a request for
    /// <paramref name="method"/> <paramref name="path"/>, and returns the worker's HttpContext once
    /// the app has answered into it.
    /// </summary>
    public async Task<HttpContext> InvokeAsync(FunctionEntry function, string method, string path, IReadOnlyDictionary<string, string>? headers = null, Action<HttpContext>? prepare = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        var received = new DefaultHttpContext();
        received.Request.Method = method;
        received.Request.Scheme = "http";
        received.Request.Host = new HostString("localhost", 7071);
        received.Request.Path = path;
        received.Connection.RemoteIpAddress = IPAddress.Loopback;
        received.Connection.LocalIpAddress = IPAddress.Loopback;
        received.Response.Body = new MemoryStream();
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            received.Request.Headers[name] = value;
        }

        // As a server does, the response's starting callbacks (where the security headers are set) run before it is sent.
        var response = new StartingResponseFeature(received.Response.Body);
        received.Items[BodyKey] = received.Response.Body;
        received.Features.Set<IHttpResponseFeature>(response);
        received.Features.Set<IHttpResponseBodyFeature>(response);
        prepare?.Invoke(received);
        var split = function.EntryPoint.LastIndexOf('.');
        var type = typeof(ApplicationPipeline).Assembly.GetType(function.EntryPoint[..split], throwOnError: true)!;
        var instance = Activator.CreateInstance(type, Pipeline);
        var target = type.GetMethod(function.EntryPoint[(split + 1)..], BindingFlags.Public | BindingFlags.Instance)!;
        await (Task)target.Invoke(instance, [received.Request, new UnusedDurableTaskClient()])!;
        Assert.True(response.HasStarted, "The app's response was never started.");
        return received;
    }

    public async ValueTask DisposeAsync()
    {
        await Pipeline.StopAsync();
        await Pipeline.DisposeAsync();
    }

    /// <summary>
    /// The worker's response as Kestrel keeps it: the starting callbacks run, last registered first,
    /// when the response starts (its first write, or an explicit start), and never after.
    /// </summary>
    private sealed class StartingResponseFeature(Stream body) : HttpResponseFeature, IHttpResponseBodyFeature
    {
        private readonly Stack<(Func<object, Task> Callback, object State)> _starting = new();
        private bool _started;

        public override bool HasStarted => _started;

        public Stream Stream => new StartingStream(this, body);

        public System.IO.Pipelines.PipeWriter Writer => System.IO.Pipelines.PipeWriter.Create(Stream);

        public override void OnStarting(Func<object, Task> callback, object state) => _starting.Push((callback, state));

        public async Task StartAsync(CancellationToken cancellationToken = default)
        {
            if (_started)
            {
                return;
            }

            while (_starting.TryPop(out var entry))
            {
                await entry.Callback(entry.State);
            }

            _started = true;
        }

        public Task CompleteAsync() => StartAsync();

        public void DisableBuffering()
        {
        }

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        /// <summary>Starts the response on its first write.</summary>
        private sealed class StartingStream(StartingResponseFeature response, Stream inner) : Stream
        {
            public override bool CanRead => false;

            public override bool CanSeek => false;

            public override bool CanWrite => true;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override void Flush() => inner.Flush();

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count)
            {
                response.StartAsync().GetAwaiter().GetResult();
                inner.Write(buffer, offset, count);
            }

            public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                await response.StartAsync(cancellationToken);
                await inner.WriteAsync(buffer.AsMemory(offset, count), cancellationToken);
            }

            public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            {
                await response.StartAsync(cancellationToken);
                await inner.WriteAsync(buffer, cancellationToken);
            }
        }
    }

    /// <summary>Records, after the whole pipeline has run, the endpoint its routing chose.</summary>
    private sealed class EndpointRecorder : IStartupFilter
    {
        public Endpoint? Last { get; private set; }

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                Last = null;
                await inner(context);
                Last = context.GetEndpoint();
            });
            next(app);
        };
    }

    /// <summary>The invocation's durable client, for requests that never send a command: any use fails the test.</summary>
    private sealed class UnusedDurableTaskClient() : DurableTaskClient("unused")
    {
        private static InvalidOperationException Unused() => new("This request was not expected to reach the task hub.");

        public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default) => throw Unused();

        public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) => throw Unused();

        public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw Unused();

        public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw Unused();

        public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) => throw Unused();

        public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw Unused();

        public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw Unused();

        public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw Unused();

        public override Microsoft.DurableTask.AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => throw Unused();

        public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) => throw Unused();

        public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) => throw Unused();

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
