namespace HandInHand.Host.Security;

/// <summary>
/// The authorization policies. Every endpoint names one (or allows anonymous access explicitly);
/// the fallback policy denies anything that forgot to.
/// </summary>
public static class Policies
{
    /// <summary>
    /// Staff acting on one referral; the decider and the object rules decide the rest. Referrers are
    /// not staff: their power over a referral is its access code, on the public status routes.
    /// </summary>
    public const string CaseWork = "case-work";

    /// <summary>Staff reading a referral's workflow: manager, panel (its own pathway), or the practitioner holding the case.</summary>
    public const string CaseReading = "case-reading";

    /// <summary>
    /// The views a decider needs to triage and allocate: the manager's, and the panel's for the
    /// Trusted Relationships referrals it decides (the handlers narrow what the panel sees).
    /// </summary>
    public const string Triage = "triage";

    /// <summary>The manager's service-wide and data-controller views and settings.</summary>
    public const string Management = "management";

    /// <summary>Operations: the dispatcher tick and scheduled jobs.</summary>
    public const string Operations = "operations";

    /// <summary>Aggregate reports only.</summary>
    public const string Reports = "reports";
}

/// <summary>The role names as they appear in tokens (Entra app roles) and in the development sign-in.</summary>
public static class RoleNames
{
    public const string Manager = "manager";
    public const string Practitioner = "practitioner";
    public const string Panel = "panel";
    public const string Analyst = "analyst";
    public const string Admin = "admin";
    public const string Referrer = "referrer";
}
