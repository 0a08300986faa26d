using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Azure.Core.Amqp;
using Azure.Messaging.ServiceBus;
using HandInHand.Host.Functions;
using HandInHand.Host.Setup;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Messaging;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Messaging;

/// <summary>
/// The <see cref="FunctionNames.DrainDeadLetters"/> timer's job against the SDK's receiver seam (no
/// broker runs here) and the real <see cref="DeadLetterLog"/> in Azurite: each dead letter is recorded
/// and only then completed, recorded once however often it is received, left on the queue when it
/// cannot be recorded, recorded by id alone when its body cannot be read, and a run stops at its bound.
/// </summary>
public sealed class DeadLetterDrainTests : IDisposable
{
    private static readonly DateTimeOffset Enqueued = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly List<HandInHandFactory> _factories = [];

    public void Dispose()
    {
        foreach (var factory in _factories)
        {
            factory.Dispose();
        }
    }

    [Fact]
    public async Task ADeadLetteredNotificationIsRecordedBeforeItIsCompletedAndShownInTheManagersView()
    {
        var app = Start(new ServiceBusHandInHandFactory());
        app.DeadLetters.IsRecorded = message => IsRecordedAsync(app, message);
        app.DeadLetters.Add(Notification("HH-2026-00999|n|7", "HH-2026-00999", sequence: 1));

        var outcome = await RunAsync(app);

        Assert.Equal([("notifications", SubQueue.DeadLetter, ServiceBusReceiveMode.PeekLock)], app.Client.Receivers);
        Assert.Equal(["HH-2026-00999|n|7"], app.DeadLetters.Completed);
        Assert.Equal([true], app.DeadLetters.RecordedWhenCompleted);
        Assert.Empty(app.DeadLetters.Abandoned);
        Assert.Equal(0, app.DeadLetters.Waiting);
        Assert.True(app.DeadLetters.Closed);
        Assert.Equal("Dead letters: 1 recorded (0 unreadable), 0 failed, 1 batches", outcome.Summary);
        var item = Assert.Single(await ViewAsync(app));
        Assert.Equal("notifications", item.GetProperty("entity").GetString());
        Assert.Equal("HH-2026-00999|n|7", item.GetProperty("messageId").GetString());
        Assert.Equal("HH-2026-00999", item.GetProperty("reference").GetString());
        Assert.Equal("TriageReminder", item.GetProperty("kind").GetString());
        Assert.Equal("MaxDeliveryCountExceeded: Message could not be consumed after 10 delivery attempts.", item.GetProperty("reason").GetString());
        Assert.Equal(10, item.GetProperty("deliveryCount").GetInt32());
        Assert.Equal(Enqueued, item.GetProperty("enqueuedAt").GetDateTimeOffset());
        Assert.Equal(HandInHandFactory.Start, item.GetProperty("recordedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task ADeadLetterReceivedAgainAfterItsCompletionWasLostIsRecordedOnce()
    {
        var app = Start(new ServiceBusHandInHandFactory());
        app.DeadLetters.Add(Notification("HH-2026-00998|n|1", "HH-2026-00998", sequence: 1));
        app.DeadLetters.CompleteFailure = new ServiceBusException("lock lost", ServiceBusFailureReason.MessageLockLost);

        var first = (DeadLetterDrainReport)(await RunAsync(app)).Report!;
        app.DeadLetters.CompleteFailure = null;
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = (DeadLetterDrainReport)(await RunAsync(app)).Report!;

        Assert.Equal((0, 1), (first.Recorded, first.Failed));
        Assert.Equal((1, 0), (second.Recorded, second.Failed));
        Assert.Equal(["HH-2026-00998|n|1"], app.DeadLetters.Completed);
        var item = Assert.Single(await ViewAsync(app));
        Assert.Equal(HandInHandFactory.Start, item.GetProperty("recordedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task ADeadLetterThatCannotBeRecordedIsAbandonedAndNotCompleted()
    {
        var app = Start(new UnreachableStorageFactory());
        app.DeadLetters.Add(Notification("HH-2026-00997|n|1", "HH-2026-00997", sequence: 1), Notification("HH-2026-00997|n|2", "HH-2026-00997", sequence: 2));

        var report = (DeadLetterDrainReport)(await RunAsync(app)).Report!;

        Assert.Empty(app.DeadLetters.Completed);
        Assert.Equal(["HH-2026-00997|n|1", "HH-2026-00997|n|2"], app.DeadLetters.Abandoned);
        Assert.Equal(2, app.DeadLetters.Waiting);
        Assert.Equal((0, 2, 1), (report.Recorded, report.Failed, report.Batches));
        Assert.Contains(app.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("HH-2026-00997|n|1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADeadLetterWhoseBodyCannotBeReadIsRecordedByIdWithoutItsBodyAndCompleted()
    {
        var app = Start(new ServiceBusHandInHandFactory());
        app.DeadLetters.IsRecorded = message => IsRecordedAsync(app, message);
        var notJson = Message("foreign-1", BinaryData.FromString("{\"name\":\"Robin Secret\","), sequence: 1);
        var notOurs = Message("foreign-2", BinaryData.FromString("{\"name\":\"Robin Secret\"}"), sequence: 2);
        var valueBody = Message("foreign-3", BinaryData.FromString("placeholder"), sequence: 3);
        valueBody.GetRawAmqpMessage().Body = AmqpMessageBody.FromValue("Robin Secret");
        var noId = Message(null, BinaryData.FromString("Robin Secret"), sequence: 4);
        app.DeadLetters.Add(notJson, notOurs, valueBody, noId);

        var report = (DeadLetterDrainReport)(await RunAsync(app)).Report!;

        Assert.Equal((4, 4, 0), (report.Recorded, report.Unreadable, report.Failed));
        Assert.Equal([true, true, true, true], app.DeadLetters.RecordedWhenCompleted);
        var view = await ViewAsync(app);
        Assert.Equal(["foreign-1", "foreign-2", "foreign-3", "sequence-4"], view.Select(i => i.GetProperty("messageId").GetString()).Order(StringComparer.Ordinal));
        Assert.All(view, i =>
        {
            Assert.Equal(JsonValueKind.Null, i.GetProperty("reference").ValueKind);
            Assert.Equal(JsonValueKind.Null, i.GetProperty("kind").ValueKind);
        });
        Assert.DoesNotContain(view, i => i.GetRawText().Contains("Robin", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("Robin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARunStopsAtItsBoundAndTheNextRunCarriesOn()
    {
        var app = Start(new ServiceBusHandInHandFactory());
        var total = (ServiceBusHandInHandFactory.BatchSize * ServiceBusHandInHandFactory.MaxBatches) + 1;
        app.DeadLetters.Add([.. Enumerable.Range(1, total).Select(i => Notification($"HH-2026-00996|n|{i}", "HH-2026-00996", sequence: i))]);

        var first = await RunAsync(app);
        var firstReport = (DeadLetterDrainReport)first.Report!;

        Assert.Equal(ServiceBusHandInHandFactory.MaxBatches, app.DeadLetters.Receives);
        Assert.Equal((ServiceBusHandInHandFactory.MaxBatches, total - 1, true), (firstReport.Batches, firstReport.Recorded, firstReport.StoppedAtBound));
        Assert.EndsWith(", stopped at the bound", first.Summary, StringComparison.Ordinal);
        Assert.Equal(1, app.DeadLetters.Waiting);

        var second = (DeadLetterDrainReport)(await RunAsync(app)).Report!;

        Assert.Equal((1, false), (second.Recorded, second.StoppedAtBound));
        Assert.Equal(0, app.DeadLetters.Waiting);
        Assert.Equal(total, (await ViewAsync(app)).Count);
    }

    [Fact]
    public async Task WithoutServiceBusTheTimerDoesNothingAndSaysSoAtDebugLevel()
    {
        var factory = Start(new DebugLoggingFactory());

        var outcome = await factory.Services.GetRequiredKeyedService<IScheduledJob>(FunctionNames.DrainDeadLetters).RunAsync();

        Assert.Equal(DrainDeadLettersJob.NotTheTransport, outcome.Summary);
        Assert.Null(outcome.Report);
        Assert.Null(factory.Services.GetService<DeadLetterDrain>());
        Assert.Contains(factory.Logs.Lines, l => l.StartsWith("Debug", StringComparison.Ordinal) && l.Contains("dead-letter drain does nothing", StringComparison.Ordinal));
    }

    private T Start<T>(T factory)
        where T : HandInHandFactory
    {
        _factories.Add(factory);
        _ = factory.Server;
        return factory;
    }

    private static Task<ScheduledJobOutcome> RunAsync(ServiceBusHandInHandFactory app) =>
        app.Services.GetRequiredKeyedService<IScheduledJob>(FunctionNames.DrainDeadLetters).RunAsync();

    private static async Task<bool> IsRecordedAsync(ServiceBusHandInHandFactory app, ServiceBusReceivedMessage message)
    {
        var id = string.IsNullOrEmpty(message.MessageId) ? "sequence-" + message.SequenceNumber : message.MessageId;
        return (await app.Services.GetRequiredService<DeadLetterLog>().ListAsync()).Any(l => l.MessageId == id);
    }

    private static async Task<List<JsonElement>> ViewAsync(ServiceBusHandInHandFactory app)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/staff/dead-letters");
        request.Headers.Add("X-Actor-Id", "manager-1");
        request.Headers.Add("X-Actor-Role", "manager");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await response.Content.ReadFromJsonAsync<JsonElement>();
        var items = view.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(items.Count, view.GetProperty("count").GetInt32());
        return items;
    }

    /// <summary>One of our notifications, dead-lettered after ten deliveries, as the broker hands it back.</summary>
    private static ServiceBusReceivedMessage Notification(string messageId, string reference, long sequence) =>
        Message(messageId, BinaryData.FromString(JsonSerializer.Serialize(new { messageId, reference, kind = "TriageReminder", recipientRole = "Manager", recipientId = (string?)null, deliveredAt = "2026-11-23T08:59:00Z" })), sequence);

    private static ServiceBusReceivedMessage Message(string? messageId, BinaryData body, long sequence) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: body,
            messageId: messageId,
            properties: new Dictionary<string, object>
            {
                ["DeadLetterReason"] = "MaxDeliveryCountExceeded",
                ["DeadLetterErrorDescription"] = "Message could not be consumed after 10 delivery attempts.",
            },
            lockTokenGuid: Guid.NewGuid(),
            deliveryCount: 10,
            sequenceNumber: sequence,
            enqueuedTime: Enqueued);

    /// <summary>The in-process transport (the default), with the drain's job logging at Debug level.</summary>
    private sealed class DebugLoggingFactory : HandInHandFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Logging:LogLevel:" + typeof(DrainDeadLettersJob).FullName, "Debug");
        }
    }

    /// <summary>Service Bus as the transport, the storage a loopback port where nothing listens.</summary>
    private sealed class UnreachableStorageFactory : ServiceBusHandInHandFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            builder.UseSetting("Storage:ConnectionString", $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;");
            builder.ConfigureServices(services => services.Remove(services.Single(d => d.ImplementationType == typeof(StorageInitializer))));
        }
    }
}
