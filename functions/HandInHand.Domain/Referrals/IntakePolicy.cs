namespace HandInHand.Domain.Referrals;

/// <summary>
/// The service's intake rules. Every value is a setting an administrator can change (bound from
/// configuration by the host); the defaults are those of the product brief.
/// </summary>
public sealed class IntakePolicy
{
    /// <summary>Youngest age accepted, where there is need (brief §1: as young as 8).</summary>
    public int MinimumAge { get; set; } = 8;

    /// <summary>Oldest age accepted for young people with additional needs (brief §1: up to 21).</summary>
    public int MaximumAge { get; set; } = 21;

    /// <summary>Oldest age accepted without additional needs (brief §1: 10 to 18 as the rule).</summary>
    public int MaximumAgeWithoutAdditionalNeeds { get; set; } = 18;

    /// <summary>Whether the Trusted Relationships pathway takes referrals in this deployment.</summary>
    public bool TrustedRelationshipsEnabled { get; set; } = true;

    /// <summary>Referrer types that may refer to Trusted Relationships: case-holders in Children and Families services.</summary>
    public IList<string> TrustedRelationshipsReferrerTypes { get; set; } = [];

    public IReadOnlyList<string> EffectiveTrustedRelationshipsReferrerTypes =>
        TrustedRelationshipsReferrerTypes.Count > 0 ? [.. TrustedRelationshipsReferrerTypes] : ["social-care"];

    /// <summary>The areas the service covers; a referral names one of them.</summary>
    public IList<string> Regions { get; set; } = [];

    /// <summary>Default regions: the five practitioner areas of North Yorkshire and the City of York.</summary>
    public static readonly IReadOnlyList<string> DefaultRegions =
    [
        "City of York",
        "Craven and Harrogate",
        "Hambleton and Richmondshire",
        "Scarborough, Whitby and Ryedale",
        "Selby",
    ];

    /// <summary>The configured regions, or the defaults when none are configured.</summary>
    public IReadOnlyList<string> EffectiveRegions => Regions.Count > 0 ? [.. Regions] : DefaultRegions;
}
