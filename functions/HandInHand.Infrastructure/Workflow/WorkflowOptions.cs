namespace HandInHand.Infrastructure.Workflow;

/// <summary>Settings of the workflow engine and its dispatcher.</summary>
public sealed class WorkflowOptions
{
    public const string SectionName = "Workflow";

    /// <summary>How often a step is re-decided after losing a race with a concurrent step.</summary>
    public int CommitAttempts { get; set; } = 8;

    /// <summary>
    /// How long an index row may wait for the step that wrote it to land before it is judged
    /// stale; also how long after a step its outbox is left to the process that made it.
    /// </summary>
    public TimeSpan CommitGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Partitions of the due-time index.</summary>
    public int IndexShards { get; set; } = 4;

    /// <summary>How long a dispatcher holds a due row before another may take it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Most rows a tick takes per index partition.</summary>
    public int TickBatch { get; set; } = 500;

    /// <summary>How many referrals a tick works at once (each referral's own rows in order).</summary>
    public int TickParallelism { get; set; } = 16;

    /// <summary>Whether the standalone host runs the dispatcher loop (the Functions host calls the tick instead).</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>The dispatcher loop's interval.</summary>
    public TimeSpan DispatcherInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a caseload place may stay taken without its referral being allocated before it is freed.</summary>
    public TimeSpan PlaceGrace { get; set; } = TimeSpan.FromMinutes(5);
}
