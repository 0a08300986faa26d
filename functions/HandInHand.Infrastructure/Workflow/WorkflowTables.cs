namespace HandInHand.Infrastructure.Workflow;

/// <summary>The tables of the workflow engine (before the configured prefix).</summary>
public static class WorkflowTables
{
    /// <summary>Notifications sent by the orchestrations' notify activity, one row per message id.</summary>
    public const string Notifications = "Notifications";

    /// <summary>
    /// The caseload ledger: one partition, a row per place held and a row per practitioner, which
    /// holds their count (<see cref="CaseloadLedger"/>) and their directory entry
    /// (<see cref="PractitionerDirectory"/>). Until 2026-12-02 the places were in <c>Caseloads</c>, a
    /// partition per practitioner and no counts; no deployment held any then.
    /// </summary>
    public const string Caseloads = "CaseloadLedger";

    /// <summary>The waiting list: one partition per region, rows ordered by risk, then arrival.</summary>
    public const string WaitingList = "WaitingList";

    public static readonly IReadOnlyList<string> All = [Notifications, Caseloads, WaitingList];
}
