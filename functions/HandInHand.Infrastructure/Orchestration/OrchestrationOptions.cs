namespace HandInHand.Infrastructure.Orchestration;

/// <summary>
/// Settings of the referral orchestrations: the task hub on Azure Storage and how long a caller
/// waits for a command's outcome. Under the Functions app, host.json's <c>durableTask</c> section
/// configures the hub instead; the names match.
/// </summary>
public sealed class OrchestrationOptions
{
    public const string SectionName = "Orchestration";

    /// <summary>The task hub: its queues, tables and lease container are named after it (3–45 letters and digits, starting with a letter).</summary>
    public string TaskHubName { get; set; } = "HandInHand";

    /// <summary>Control-queue partitions: how many hosts can share the orchestrations (1–16).</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>
    /// This host's worker id. It must be stable across restarts, so that a restarted host takes its
    /// partition leases back at once instead of waiting for them to expire; two hosts running at
    /// once must have different ids. Empty: the machine name.
    /// </summary>
    public string WorkerId { get; set; } = string.Empty;

    /// <summary>The longest wait between two polls of an idle queue; the backend's default of 30 s would make timers that late.</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether an orchestration stays in memory between its steps (fewer history reads).</summary>
    public bool ExtendedSessionsEnabled { get; set; }

    /// <summary>
    /// The longest single durable timer; a longer wait is a chain of these. Durable Functions uses
    /// 6 days on Azure Storage (queue messages may be invisible for at most 7).
    /// </summary>
    public TimeSpan MaximumTimerInterval { get; set; } = TimeSpan.FromDays(6);

    /// <summary>
    /// How long a control-queue message (a command, a timer, an activity's result) stays hidden
    /// once a worker has taken it. A worker that dies holding it (SIGKILL, a lost machine) leaves it
    /// hidden this long before another start of the worker sees it again: the referral's next step
    /// waits that long, nothing is lost. The backend's default (5 minutes) is kept here.
    /// </summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The same for a work-item message (an activity to run): how long an activity taken by a dead worker waits to run again.</summary>
    public TimeSpan WorkItemQueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a staff or referrer request waits for its command's outcome before it answers 202 with a status address.</summary>
    public TimeSpan CommandWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the local host looks for referral orchestrations that failed and starts them again
    /// (<see cref="FailedOrchestrations"/>). Under the Functions app the RecoveryRun timer does it,
    /// every five minutes.
    /// </summary>
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether this process runs the orchestration worker (a process that only sends commands may leave it to others).</summary>
    public bool WorkerEnabled { get; set; } = true;

    public string EffectiveWorkerId() => string.IsNullOrWhiteSpace(WorkerId) ? Environment.MachineName : WorkerId;
}
