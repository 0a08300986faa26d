namespace HandInHand.Infrastructure.Workflow;

/// <summary>The tables of the workflow engine (before the configured prefix).</summary>
public static class WorkflowTables
{
    /// <summary>Notifications sent by the orchestrations' notify activity, one row per message id.</summary>
    public const string Notifications = "Notifications";

    /// <summary>Practitioners: regions and capacity, seeded from configuration.</summary>
    public const string Practitioners = "Practitioners";

    /// <summary>
    /// The caseload ledger: one partition, a row per place held and a count per practitioner
    /// (<see cref="CaseloadLedger"/>). Until 2026-12-02 the places were in <c>Caseloads</c>, a
    /// partition per practitioner and no counts; no deployment held any then.
    /// </summary>
    public const string Caseloads = "CaseloadLedger";

    /// <summary>The waiting list: one partition per region, rows ordered by risk, then arrival.</summary>
    public const string WaitingList = "WaitingList";

    public static readonly IReadOnlyList<string> All = [Notifications, Practitioners, Caseloads, WaitingList];
}
