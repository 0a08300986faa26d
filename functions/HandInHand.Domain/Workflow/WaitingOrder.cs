using HandInHand.Domain.Referrals;

namespace HandInHand.Domain.Workflow;

/// <summary>
/// The order in which waiting referrals are offered a place (PRODUCT.md §4): highest risk first,
/// then the longest since the referral was received, then by reference so that the order is total.
/// The waiting-list index keeps its rows in this order, and a list of cards is sorted by it, so that
/// both say the same.
/// </summary>
public static class WaitingOrder
{
    /// <summary>A risk level's place in the order: 0 for high, 1 for medium, 2 for standard.</summary>
    public static int Rank(RiskLevel risk) => risk switch
    {
        RiskLevel.High => 0,
        RiskLevel.Medium => 1,
        _ => 2,
    };

    /// <summary><paramref name="items"/> in the order places will be offered.</summary>
    public static IOrderedEnumerable<T> Sort<T>(IEnumerable<T> items, Func<T, RiskLevel> risk, Func<T, DateTimeOffset> receivedAt, Func<T, string> reference) =>
        items.OrderBy(i => Rank(risk(i))).ThenBy(receivedAt).ThenBy(reference, StringComparer.Ordinal);
}
