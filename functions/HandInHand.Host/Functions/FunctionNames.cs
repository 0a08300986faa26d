namespace HandInHand.Host.Functions;

/// <summary>
/// The app's non-HTTP functions. Each is a folder <c>functionapp/{name}/function.json</c>; the
/// Functions host posts each invocation to <c>/{name}</c> on the app. The HTTP functions' routes
/// never reach these paths (a test proves it).
/// </summary>
public static class FunctionNames
{
    /// <summary>Timer, every 15 minutes: the daily digests once their local send time has come.</summary>
    public const string DigestRun = nameof(DigestRun);

    /// <summary>Timer, daily: the retention review (its job is registered by the retention code).</summary>
    public const string RetentionRun = nameof(RetentionRun);

    /// <summary>
    /// Timer, every 5 minutes: records the notifications queue's dead letters, read with the Service Bus
    /// SDK (an isolated-worker app has no Service Bus trigger on a dead-letter subqueue to rely on).
    /// </summary>
    public const string DrainDeadLetters = nameof(DrainDeadLetters);

    /// <summary>Service Bus queue trigger (notifications): sends one notification's email.</summary>
    public const string SendNotificationEmail = nameof(SendNotificationEmail);

    /// <summary>The timer functions, each run by the <see cref="IScheduledJob"/> registered under its name.</summary>
    public static readonly IReadOnlyList<string> Scheduled = [DigestRun, RetentionRun, DrainDeadLetters];

    /// <summary>The Service Bus triggered functions.</summary>
    public static readonly IReadOnlyList<string> Messages = [SendNotificationEmail];

    /// <summary>Every non-HTTP function.</summary>
    public static IEnumerable<string> NonHttp => Scheduled.Concat(Messages);
}
