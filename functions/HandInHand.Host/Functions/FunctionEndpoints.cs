using System.Globalization;
using System.Text.Json;
using HandInHand.Host.Security;
using HandInHand.Infrastructure.Messaging;
using HandInHand.Infrastructure.Notifications;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Functions;

/// <summary>
/// The handlers the Functions host posts non-HTTP invocations to: <c>POST /{FunctionName}</c> with
/// <see cref="FunctionInvocation"/>, answered with <see cref="FunctionResult"/>. Only the Functions host
/// may call them (<see cref="Policies.FunctionsHost"/>), and no HTTP function's route reaches them.
/// </summary>
public static partial class FunctionEndpoints
{
    /// <summary>The Service Bus trigger's binding name in both message functions' function.json.</summary>
    public const string MessageBinding = "message";

    public static IEndpointRouteBuilder MapFunctionHandlers(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        foreach (var name in FunctionNames.Scheduled)
        {
            app.MapPost("/" + name, (IServiceProvider services, ILoggerFactory logs, CancellationToken cancellationToken) => RunScheduledAsync(name, services, logs, cancellationToken))
                .RequireAuthorization(Policies.FunctionsHost).ExcludeFromDescription();
        }

        app.MapPost("/" + FunctionNames.SendNotificationEmail, SendNotificationEmailAsync).RequireAuthorization(Policies.FunctionsHost).ExcludeFromDescription();
        app.MapPost("/" + FunctionNames.RecordDeadLetter, RecordDeadLetterAsync).RequireAuthorization(Policies.FunctionsHost).ExcludeFromDescription();
        return app;
    }

    /// <summary>Runs the job registered for a timer function; a timer with no job registered fails loudly.</summary>
    public static async Task<IResult> RunScheduledAsync(string functionName, IServiceProvider services, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var job = services.GetKeyedService<IScheduledJob>(functionName);
        if (job is null)
        {
            return FunctionResult.Failed($"{functionName}: no job is registered for this timer.");
        }

        try
        {
            var outcome = await job.RunAsync(cancellationToken);
            return FunctionResult.Succeeded(outcome.Summary, outcome.Report);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logs.CreateLogger(typeof(FunctionEndpoints)), functionName, ex.GetType().Name);
            return FunctionResult.Failed($"{functionName} failed ({ex.GetType().Name}); the next run tries again.");
        }
    }

    /// <summary>
    /// One notification from the queue becomes one email (at most once per message id, whatever is
    /// delivered twice). A failure answers 500: the host abandons the message, Service Bus delivers it
    /// again, and after its maximum delivery count it is dead-lettered and recorded.
    /// </summary>
    public static async Task<IResult> SendNotificationEmailAsync(FunctionInvocation invocation, EmailDelivery delivery, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(delivery);
        var body = invocation.Text(MessageBinding);
        if (body is null)
        {
            return FunctionResult.Failed($"{FunctionNames.SendNotificationEmail}: the invocation has no '{MessageBinding}'.");
        }

        try
        {
            var notification = IntegrationMessages.ReadNotification(body);
            var status = await delivery.DeliverAsync(notification, cancellationToken);
            return FunctionResult.Succeeded($"Notification {notification.Kind} for {notification.Reference}: {status}", status.ToString());
        }
        catch (InvalidDataException ex)
        {
            return FunctionResult.Failed($"{FunctionNames.SendNotificationEmail}: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logs.CreateLogger(typeof(FunctionEndpoints)), FunctionNames.SendNotificationEmail, ex.GetType().Name);
            return FunctionResult.Failed($"{FunctionNames.SendNotificationEmail} failed ({ex.GetType().Name}); the message will be delivered again.");
        }
    }

    /// <summary>Records a message from the notifications queue's dead-letter subqueue, so the manager sees it.</summary>
    public static async Task<IResult> RecordDeadLetterAsync(FunctionInvocation invocation, DeadLetterLog log, IOptions<ServiceBusOptions> serviceBus, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(serviceBus);
        ArgumentNullException.ThrowIfNull(clock);
        var messageId = AsString(invocation.Meta("MessageId"));
        if (string.IsNullOrEmpty(messageId))
        {
            return FunctionResult.Failed($"{FunctionNames.RecordDeadLetter}: the invocation has no MessageId.");
        }

        string? reference = null;
        string? kind = null;
        if (invocation.Text(MessageBinding) is { } body)
        {
            try
            {
                var notification = IntegrationMessages.ReadNotification(body);
                reference = notification.Reference;
                kind = notification.Kind.ToString();
            }
            catch (InvalidDataException)
            {
                // Not one of our notifications (or unreadable): recorded by id alone.
            }
        }

        var reason = AsString(invocation.Meta("DeadLetterReason"));
        var description = AsString(invocation.Meta("DeadLetterErrorDescription"));
        var letter = new DeadLetter(
            serviceBus.Value.NotificationsQueue,
            messageId,
            reference,
            kind,
            description is null ? reason : $"{reason}: {description}",
            invocation.Meta("DeliveryCount") is { ValueKind: JsonValueKind.Number } count && count.TryGetInt32(out var n) ? n : 0,
            DateTimeOffset.TryParse(AsString(invocation.Meta("EnqueuedTimeUtc")), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var enqueued) ? enqueued : null,
            clock.GetUtcNow());
        await log.RecordAsync(letter, cancellationToken);
        return FunctionResult.Succeeded($"Dead letter recorded: {kind ?? "message"} for {reference ?? "no referral"}");
    }

    private static string? AsString(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { ValueKind: JsonValueKind.Number } e => e.GetRawText(),
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {Function} failed ({Error})")]
    private static partial void LogFailed(ILogger logger, string function, string error);
}
