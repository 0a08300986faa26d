namespace HandInHand.Domain.Lifecycle;

/// <summary>The steps of a referral's lifecycle (PRODUCT.md §3).</summary>
public enum Stage
{
    /// <summary>Not yet received: the state before the first event.</summary>
    None,
    AwaitingTriage,
    AwaitingInformation,
    AwaitingAllocation,
    WaitingList,
    /// <summary>Allocated; first contact not yet recorded.</summary>
    Allocated,
    Active,
    Closed,
    Declined,
    Withdrawn,
}

/// <summary>Which service's pathway a referral follows.</summary>
public enum ServicePathway
{
    /// <summary>The manager triages and allocates to a practitioner.</summary>
    HandInHand,
    /// <summary>Trusted Relationships (PRODUCT.md §6): a panel decides and allocates to a strand.</summary>
    TrustedRelationships,
}

/// <summary>The Trusted Relationships support strands.</summary>
public enum Strand
{
    /// <summary>Young people at risk of exploitation: relief workers or volunteer mentors.</summary>
    AtRisk,
    /// <summary>Young people subject to exploitation: a family network coordinator.</summary>
    SubjectTo,
}
