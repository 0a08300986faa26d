namespace HandInHand.Host.Functions;

/// <summary>What a scheduled job reports: one line for the host's log (counts and times only) and its report.</summary>
public sealed record ScheduledJobOutcome(string Summary, object? Report);

/// <summary>
/// A job that a timer function runs. Jobs are registered under their function's name
/// (<see cref="ScheduledJobs.AddScheduledJob{TJob}"/>); the function's handler finds the job by that
/// name, and answers a failure when none is registered, so an unwired timer is never a silent success.
/// </summary>
public interface IScheduledJob
{
    Task<ScheduledJobOutcome> RunAsync(CancellationToken cancellationToken = default);
}

/// <summary>Registration of scheduled jobs by function name.</summary>
public static class ScheduledJobs
{
    /// <summary>Runs <typeparamref name="TJob"/> when the timer function <paramref name="functionName"/> fires.</summary>
    public static IServiceCollection AddScheduledJob<TJob>(this IServiceCollection services, string functionName)
        where TJob : class, IScheduledJob
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        if (!FunctionNames.Scheduled.Contains(functionName, StringComparer.Ordinal))
        {
            throw new ArgumentException($"There is no timer function called {functionName}.", nameof(functionName));
        }

        return services.AddKeyedSingleton<IScheduledJob, TJob>(functionName);
    }
}
