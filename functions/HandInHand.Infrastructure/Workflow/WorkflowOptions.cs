namespace HandInHand.Infrastructure.Workflow;

/// <summary>Settings of allocation with capacity.</summary>
public sealed class WorkflowOptions
{
    public const string SectionName = "Workflow";

    /// <summary>How long a caseload place may stay taken without its referral being allocated before it is freed.</summary>
    public TimeSpan PlaceGrace { get; set; } = TimeSpan.FromMinutes(5);
}
