namespace HandInHand.Domain.Tests.Lifecycle;

/// <summary>When things happen in the standard story. The referral arrives on a Monday morning.</summary>
internal static class Moments
{
    /// <summary>Monday 23 November 2026, 10:00 UTC: the referral is received.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Monday 11:00: the manager triages (accepts, declines or asks for more).</summary>
    public static readonly DateTimeOffset TriagedAt = T0.AddHours(1);

    /// <summary>Monday 12:00: nobody has capacity, the referral joins the waiting list.</summary>
    public static readonly DateTimeOffset WaitingAt = T0.AddHours(2);

    /// <summary>Monday 13:00: allocated to practitioner p-1.</summary>
    public static readonly DateTimeOffset AllocatedAt = T0.AddHours(3);

    /// <summary>Monday 16:00: the practitioner speaks to the young person.</summary>
    public static readonly DateTimeOffset ContactedAt = T0.AddHours(6);

    /// <summary>Monday 17:00: the practitioner records that first contact.</summary>
    public static readonly DateTimeOffset ContactRecordedAt = T0.AddHours(7);

    /// <summary>Wednesday 23 December 2026: the practitioner closes the case.</summary>
    public static readonly DateTimeOffset ClosedAt = T0.AddDays(30);

    /// <summary>Friday 11 June 2027, 10:00: long after everything in any history.</summary>
    public static readonly DateTimeOffset Later = new(2027, 6, 11, 10, 0, 0, TimeSpan.Zero);
}
