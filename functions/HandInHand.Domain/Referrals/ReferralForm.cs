namespace HandInHand.Domain.Referrals;

/// <summary>A referral form that passed validation: trimmed, typed and complete.</summary>
public sealed record ReferralForm(
    Lifecycle.ServicePathway Pathway,
    TrustedRelationshipsDetails? TrustedRelationships,
    YoungPerson YoungPerson,
    IReadOnlyList<string> Concerns,
    string? ConcernDetails,
    RiskLevel RiskLevel,
    string? AdditionalNeeds,
    string? OtherAgencies,
    bool YoungPersonKnowsAboutReferral,
    bool YoungPersonAgreesToReferral,
    Referrer Referrer);

/// <summary>The young person the referral is about.</summary>
public sealed record YoungPerson(
    string FirstName,
    string LastName,
    DateOnly DateOfBirth,
    string Gender,
    string Ethnicity,
    string Region,
    string? SchoolOrSetting,
    string SafeContact,
    string? Phone);

/// <summary>Who made the referral and how to reach them; at least one of email and phone is present.</summary>
public sealed record Referrer(
    string Name,
    string? Organisation,
    string Type,
    string? Email,
    string? Phone);

/// <summary>Risk level as judged by the referrer, and later by the practitioner.</summary>
public enum RiskLevel
{
    Standard,
    Medium,
    High,
}

/// <summary>The Trusted Relationships intake: a completed CERA and the multi-agency discussion that recommended the referral.</summary>
public sealed record TrustedRelationshipsDetails(DateOnly CeraCompletedOn, string MultiAgencyDiscussion, DateOnly MultiAgencyDiscussionOn);
