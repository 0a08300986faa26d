namespace HandInHand.Host.Referrals;

/// <summary>Settings of the intake endpoints (the intake rules themselves are the domain's <c>IntakePolicy</c>).</summary>
public sealed class IntakeOptions
{
    public const string SectionName = "Intake";

    /// <summary>The reference prefix: <c>HH</c> gives <c>HH-2026-00042</c>.</summary>
    public string ReferencePrefix { get; set; } = "HH";

    /// <summary>Largest accepted request body, in bytes; more gets 413.</summary>
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Base64 key (at least 32 bytes) from which each referral's access code is derived, so that a
    /// retried submission can hand back the same code although only its hash is stored. A secret:
    /// Key Vault in Azure, a fixed development value locally.
    /// </summary>
    public string? AccessCodeKey { get; set; }

    /// <summary>The time zone whose calendar decides a referral's date (and so the young person's age).</summary>
    public string TimeZone { get; set; } = "Europe/London";
}
