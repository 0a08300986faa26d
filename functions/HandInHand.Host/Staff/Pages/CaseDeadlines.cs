using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Notifications;

namespace HandInHand.Host.Staff.Pages;

/// <summary>One deadline of a case in words: what is due, and when.</summary>
public sealed record CaseDeadline(string What, DateTimeOffset At);

/// <summary>
/// A case holder's deadlines: the next one to meet, and those already passed. Which of a referral's
/// clocks are the case holder's deadlines is the digests' rule (<see cref="DigestCase"/>), read from
/// there rather than listed again: first contact and the next review.
/// </summary>
public static class CaseDeadlines
{
    /// <summary>The earliest deadline still ahead, or null when none is.</summary>
    public static CaseDeadline? Next(DigestCase c, DateTimeOffset now) =>
        All(c).Where(d => d.At > now).OrderBy(d => d.At).FirstOrDefault();

    /// <summary>Every deadline already passed and not met, oldest first.</summary>
    public static IReadOnlyList<CaseDeadline> Overdue(DigestCase c, DateTimeOffset now) =>
        [.. All(c).Where(d => d.At <= now).OrderBy(d => d.At)];

    private static IEnumerable<CaseDeadline> All(DigestCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (!c.IsOpen)
        {
            yield break;
        }

        if (c.FirstContactDue is { } contact)
        {
            yield return new(PlainWords.Of(TimerKind.FirstContactDeadline), contact);
        }

        // The review is due at NextReviewDue; its escalation later only tells the manager, so the
        // case holder's deadline stays the due date, shown as passed until the review is recorded.
        if (c.NextReviewDue is { } review)
        {
            yield return new("Review due", review);
        }
    }
}
