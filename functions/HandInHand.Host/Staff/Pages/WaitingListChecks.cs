using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// The referrer checks of one referral on the waiting list: every 14 days the referrer is asked
/// whether support is still needed (PRODUCT.md §4), and answers on the status page. Read from the
/// referral's own rows: its history (when it was asked, when the referrer confirmed) and its state
/// (when it is asked next). Nothing personal: dates only.
/// </summary>
internal sealed record WaitingListChecks(DateTimeOffset? LastAsked, int TimesAsked, DateTimeOffset? LastConfirmed, DateTimeOffset? NextCheck)
{
    public static async Task<WaitingListChecks> ReadAsync(string reference, ReferralWorkflowStore store, CancellationToken cancellationToken)
    {
        var loaded = await store.LoadAsync(reference, cancellationToken);
        DateTimeOffset? next = loaded is not null && loaded.State.Timers.TryGetValue(TimerKind.WaitingListCheck, out var due) ? due : null;
        var history = (await store.ReadHistoryAsync(reference, cancellationToken)).Select(h => h.Event).ToList();
        var asked = history.OfType<ReferralEvent.NotificationQueued>().Where(n => n.Kind == NotificationKind.WaitingListCheck).Select(n => n.At).ToList();
        var confirmed = history.OfType<ReferralEvent.StillNeededConfirmed>().Select(e => e.At).ToList();
        return new(asked.Count == 0 ? null : asked.Max(), asked.Count, confirmed.Count == 0 ? null : confirmed.Max(), next);
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
