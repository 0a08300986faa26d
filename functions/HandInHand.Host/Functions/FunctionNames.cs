namespace HandInHand.Host.Functions;

/// <summary>
/// The app's timer functions. The Functions app (functions/HandInHand.Functions) has a timer
/// function of each name, which runs the <see cref="IScheduledJob"/> registered under it.
/// </summary>
public static class FunctionNames
{
    /// <summary>Timer, every 15 minutes: the daily digests once their local send time has come.</summary>
    public const string DigestRun = nameof(DigestRun);

    /// <summary>Timer, daily: the retention review (its job is registered by the retention code).</summary>
    public const string RetentionRun = nameof(RetentionRun);

    /// <summary>Timer, every 5 minutes: starts again any referral orchestration that failed.</summary>
    public const string RecoveryRun = nameof(RecoveryRun);

    /// <summary>The timer functions, each run by the <see cref="IScheduledJob"/> registered under its name.</summary>
    public static readonly IReadOnlyList<string> Scheduled = [DigestRun, RetentionRun, RecoveryRun];
}
