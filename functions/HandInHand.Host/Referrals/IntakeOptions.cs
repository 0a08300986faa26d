namespace HandInHand.Host.Referrals;

/// <summary>Settings of the intake endpoints (the intake rules themselves are the domain's <c>IntakePolicy</c>).</summary>
public sealed class IntakeOptions
{
    public const string SectionName = "Intake";

    /// <summary>The reference prefix: <c>HH</c> gives <c>HH-2026-00042</c>.</summary>
    public string ReferencePrefix { get; set; } = "HH";

    /// <summary>The reference prefix of Trusted Relationships referrals: <c>TR-2026-00007</c>.</summary>
    public string TrustedRelationshipsReferencePrefix { get; set; } = "TR";

    /// <summary>Largest accepted request body, in bytes; more gets 413.</summary>
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Base64 key (at least 32 bytes) for the service's keyed hashes: each referral's access code
    /// is derived from it (so a retried submission can hand back the same code although only its
    /// hash is stored), and so are the keys of the young-person index. A secret: Key Vault in
    /// Azure, a fixed development value locally.
    /// </summary>
    public string? SecretKey { get; set; }

    /// <summary>The decoded <see cref="SecretKey"/>.</summary>
    /// <exception cref="InvalidOperationException">It is missing, not Base64 or shorter than 32 bytes.</exception>
    public byte[] SecretKeyBytes()
    {
        if (string.IsNullOrWhiteSpace(SecretKey))
        {
            throw new InvalidOperationException("Intake:SecretKey is not configured.");
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(SecretKey);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("Intake:SecretKey is not valid Base64.");
        }

        return key.Length >= 32 ? key : throw new InvalidOperationException("Intake:SecretKey must hold at least 32 bytes.");
    }

    /// <summary>The time zone whose calendar decides a referral's date (and so the young person's age).</summary>
    public string TimeZone { get; set; } = "Europe/London";
}
