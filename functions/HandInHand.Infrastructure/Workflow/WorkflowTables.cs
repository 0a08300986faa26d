namespace HandInHand.Infrastructure.Workflow;

/// <summary>The tables of the workflow engine (before the configured prefix).</summary>
public static class WorkflowTables
{
    /// <summary>Notifications sent by the orchestrations' notify activity, one row per message id.</summary>
    public const string Notifications = "Notifications";

    /// <summary>Practitioners: regions and capacity, seeded from configuration.</summary>
    public const string Practitioners = "Practitioners";

    /// <summary>Caseload places: one partition per practitioner, one row per referral held.</summary>
    public const string Caseloads = "Caseloads";

    /// <summary>The waiting list: one partition per region, rows ordered by risk, then arrival.</summary>
    public const string WaitingList = "WaitingList";

    public static readonly IReadOnlyList<string> All = [Notifications, Practitioners, Caseloads, WaitingList];
}
