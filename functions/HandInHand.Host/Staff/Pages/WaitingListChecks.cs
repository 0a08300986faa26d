using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Workflow;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// The referrer checks of one referral on the waiting list: every 14 days the referrer is asked
/// whether support is still needed (PRODUCT.md §4), and answers on the status page. Read from the
/// referral's card on the case board (when it was asked, how often, when the referrer confirmed,
/// when it is asked next), so that the waiting list reads one partition, not each referral's rows.
/// Nothing personal: dates only.
/// </summary>
internal sealed record WaitingListChecks(DateTimeOffset? LastAsked, int TimesAsked, DateTimeOffset? LastConfirmed, DateTimeOffset? NextCheck)
{
    public static WaitingListChecks From(CaseCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return new(card.StillNeededAskedAt, card.StillNeededAsked, card.StillNeededConfirmedAt,
            card.Timers.TryGetValue(TimerKind.WaitingListCheck, out var due) ? due : null);
    }

    /// <summary>Whether the referrer has said support is still needed, in plain words.</summary>
    public string StillNeeded(Func<DateTimeOffset, string> local)
    {
        ArgumentNullException.ThrowIfNull(local);
        var times = TimesAsked == 1 ? "once" : TimesAsked + " times";
        return (LastAsked, LastConfirmed) switch
        {
            ({ } asked, { } confirmed) when asked > confirmed => $"Asked {times}, last on {local(asked)}: no answer since. Last confirmed on {local(confirmed)}",
            (_, { } confirmed) => $"Yes: the referrer confirmed on {local(confirmed)}",
            ({ } asked, null) => $"Asked {times}, last on {local(asked)}: no answer yet",
            _ => "Not asked yet",
        };
    }
}
