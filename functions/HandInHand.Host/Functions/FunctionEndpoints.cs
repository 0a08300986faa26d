using HandInHand.Host.Security;
using HandInHand.Infrastructure.Messaging;
using HandInHand.Infrastructure.Notifications;

namespace HandInHand.Host.Functions;

/// <summary>
/// The handlers the Functions host posts non-HTTP invocations to: <c>POST /{FunctionName}</c> with
/// <see cref="FunctionInvocation"/>, answered with <see cref="FunctionResult"/>. Only the Functions host
/// may call them (<see cref="Policies.FunctionsHost"/>), and no HTTP function's route reaches them.
/// </summary>
public static partial class FunctionEndpoints
{
    /// <summary>The Service Bus trigger's binding name in the message function's function.json.</summary>
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {Function} failed ({Error})")]
    private static partial void LogFailed(ILogger logger, string function, string error);
}
