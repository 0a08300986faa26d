namespace HandInHand.Domain.Lifecycle;

/// <summary>
/// Why a referral was not taken on, as the service reports it (PRODUCT.md §5: capacity, criteria,
/// declined by the young person). The free-text reason beside it is for the record; reports count
/// only this category.
/// </summary>
public enum NotTakenReason
{
    /// <summary>No practitioner had capacity (declined at triage, or withdrawn while waiting).</summary>
    Capacity,

    /// <summary>The referral did not meet the criteria (age, area, type of concern).</summary>
    Criteria,

    /// <summary>The young person did not want support: withdrawn for that reason, or no consent at first contact.</summary>
    DeclinedByYoungPerson,

    /// <summary>Support was no longer needed, or was found elsewhere.</summary>
    NoLongerNeeded,

    /// <summary>The referrer did not answer a request for more information in time.</summary>
    NoResponse,

    Other,
}

/// <summary>Which categories each command may give.</summary>
public static class NotTakenReasons
{
    public static readonly IReadOnlyList<NotTakenReason> ForDecline = [NotTakenReason.Criteria, NotTakenReason.Capacity, NotTakenReason.Other];

    public static readonly IReadOnlyList<NotTakenReason> ForWithdrawal =
        [NotTakenReason.Capacity, NotTakenReason.DeclinedByYoungPerson, NotTakenReason.NoLongerNeeded, NotTakenReason.Other];
}
