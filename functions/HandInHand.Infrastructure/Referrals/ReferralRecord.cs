using HandInHand.Domain.Referrals;

namespace HandInHand.Infrastructure.Referrals;

/// <summary>A referral as stored: the validated form and what intake added to it.</summary>
/// <param name="Reference">The human-friendly reference, also the referral's partition key.</param>
/// <param name="Status">Where the referral is in its lifecycle.</param>
/// <param name="ReceivedAt">When the service accepted it (UTC).</param>
/// <param name="FirstContactDueAt">When first contact is due: received plus the first-contact window.</param>
/// <param name="AccessCodeHash">SHA-256 of the referrer's access code; the code itself is never stored.</param>
/// <param name="Fingerprint">SHA-256 of the validated form, to tell a retried submission from a different one.</param>
/// <param name="Form">The validated referral form.</param>
public sealed record ReferralRecord(
    string Reference,
    ReferralStatus Status,
    DateTimeOffset ReceivedAt,
    DateTimeOffset FirstContactDueAt,
    string AccessCodeHash,
    string Fingerprint,
    ReferralForm Form);

/// <summary>What an idempotency key was used for: the referral it created and that referral's fingerprint.</summary>
public sealed record IntakeKeyRecord(string KeyHash, string Reference, string Fingerprint, DateTimeOffset ReceivedAt);
