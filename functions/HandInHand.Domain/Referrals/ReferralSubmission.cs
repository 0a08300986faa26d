namespace HandInHand.Domain.Referrals;

/// <summary>
/// The referral form exactly as submitted: every field optional and untyped, so that validation
/// can report each problem against its field instead of failing on the first.
/// </summary>
public sealed record ReferralSubmission
{
    /// <summary>Which service the referral is for: <c>hand-in-hand</c> (the default) or <c>trusted-relationships</c>.</summary>
    public string? Service { get; init; }

    /// <summary>What the Trusted Relationships pathway requires; only for that service.</summary>
    public TrustedRelationshipsSubmission? TrustedRelationships { get; init; }

    public YoungPersonSubmission? YoungPerson { get; init; }
    public IReadOnlyList<string?>? Concerns { get; init; }
    public string? ConcernDetails { get; init; }
    public string? RiskLevel { get; init; }
    public string? AdditionalNeeds { get; init; }
    public string? OtherAgencies { get; init; }
    public bool? YoungPersonKnowsAboutReferral { get; init; }
    public bool? YoungPersonAgreesToReferral { get; init; }
    public ReferrerSubmission? Referrer { get; init; }
}

/// <summary>The young person's part of the form, as submitted.</summary>
public sealed record YoungPersonSubmission
{
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    /// <summary>ISO 8601 calendar date, <c>yyyy-MM-dd</c>.</summary>
    public string? DateOfBirth { get; init; }
    public string? Gender { get; init; }
    public string? Ethnicity { get; init; }
    public string? Region { get; init; }
    public string? SchoolOrSetting { get; init; }
    /// <summary>How the young person can be contacted safely (who, when, which channel).</summary>
    public string? SafeContact { get; init; }
    public string? Phone { get; init; }
}

/// <summary>The referrer's part of the form, as submitted.</summary>
public sealed record ReferrerSubmission
{
    public string? Name { get; init; }
    public string? Organisation { get; init; }
    public string? Type { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
}

/// <summary>The Trusted Relationships pathway's extra intake (PRODUCT.md §6), as submitted.</summary>
public sealed record TrustedRelationshipsSubmission
{
    /// <summary>The referrer holds the young person's case in Children and Families services.</summary>
    public bool? ReferrerIsCaseHolder { get; init; }

    /// <summary>When the Child Exploitation Risk Assessment was completed (yyyy-MM-dd).</summary>
    public string? CeraCompletedOn { get; init; }

    /// <summary>The multi-agency discussion that recommended the referral: <c>mast</c> (North Yorkshire) or <c>macem</c> (York).</summary>
    public string? MultiAgencyDiscussion { get; init; }

    /// <summary>When that discussion took place (yyyy-MM-dd).</summary>
    public string? MultiAgencyDiscussionOn { get; init; }
}
