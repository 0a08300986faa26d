using System.Text.Json;
using System.Text.Json.Nodes;
using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Host.Referrals;

/// <summary>
/// A referral's history as staff may read it. The young person is told their survey is anonymous
/// to anyone else, so an answered survey shows only that it was answered and when; the answers
/// reach staff only as the reports' suppressed aggregates, and the young person's own subject
/// access export. The referrer's feedback is withheld the same way: it rates the case holder's
/// work, and a referrer who knows the worker will read it is less candid.
/// </summary>
internal static class StaffTimeline
{
    /// <summary>The property of <see cref="ReferralEvent.SurveyAnswered"/> and <see cref="ReferralEvent.PartnerFeedbackGiven"/> that holds the answers.</summary>
    private static readonly string AnswersProperty = JsonNamingPolicy.CamelCase.ConvertName(nameof(ReferralEvent.SurveyAnswered.Answers));

    public static TimelineEntry Entry(HistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var e = entry.Event;
        return new TimelineEntry(entry.Sequence, e.GetType().Name, e.At, e.By.Id, e.By.Role.ToString(), Details(e));
    }

    private static JsonElement Details(ReferralEvent e)
    {
        var details = JsonSerializer.SerializeToNode(e, WorkflowJson.Options)!.AsObject();
        if (e is ReferralEvent.SurveyAnswered or ReferralEvent.PartnerFeedbackGiven)
        {
            details.Remove(AnswersProperty);
        }

        return JsonSerializer.SerializeToElement(details);
    }
}
