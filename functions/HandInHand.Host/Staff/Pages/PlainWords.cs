using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// The one place where the workflow's names (stages, clocks, history events, roles) become the
/// plain English staff read on a page. Every staff page takes its wording from here, so a stage
/// is called the same thing wherever it is shown, and no page prints a code name such as
/// "AwaitingTriage".
/// </summary>
public static class PlainWords
{
    /// <summary>Where a referral is, as a sentence fragment that reads on its own.</summary>
    public static string Of(Stage stage) => stage switch
    {
        Stage.None => "Not yet received",
        Stage.AwaitingTriage => "Waiting for triage",
        Stage.AwaitingInformation => "Waiting for more information from the referrer",
        Stage.AwaitingAllocation => "Accepted, waiting to be allocated",
        Stage.WaitingList => "On the waiting list",
        Stage.Allocated => "Allocated: first contact not yet recorded",
        Stage.Active => "Being supported",
        Stage.Closed => "Closed",
        Stage.Declined => "Declined",
        Stage.Withdrawn => "Withdrawn",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "No plain words for this stage."),
    };

    /// <summary>What a clock is for, named by the moment it marks.</summary>
    public static string Of(TimerKind timer) => timer switch
    {
        TimerKind.FirstContactReminder => "First-contact reminder",
        TimerKind.FirstContactDeadline => "First contact due",
        TimerKind.TriageReminder => "Triage reminder",
        TimerKind.TriageDeadline => "Triage due",
        TimerKind.InformationReminder => "Reminder to the referrer about the information asked for",
        TimerKind.InformationDeadline => "Referrer's information due",
        TimerKind.WaitingListCheck => "Waiting-list check with the referrer",
        TimerKind.ReviewReminder => "Review reminder",
        TimerKind.ReviewOverdue => "Review overdue",
        TimerKind.SurveyReminder => "Survey reminder",
        TimerKind.SurveyExpiry => "Survey link expires",
        TimerKind.RetentionReview => "Record due for its retention review",
        _ => throw new ArgumentOutOfRangeException(nameof(timer), timer, "No plain words for this clock."),
    };

    /// <summary>The role someone acts in, as a person would say it.</summary>
    public static string Of(Role role) => role switch
    {
        Role.Referrer => "referrer",
        Role.Manager => "service manager",
        Role.Practitioner => "practitioner",
        Role.Panel => "panel member",
        Role.Analyst => "analyst",
        Role.Admin => "administrator",
        Role.YoungPerson => "young person",
        Role.System => "the system",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "No plain words for this role."),
    };

    /// <summary>What a notification says, by its kind (the email itself carries only the reference).</summary>
    public static string Of(NotificationKind kind) => kind switch
    {
        NotificationKind.ReferralAcknowledged => "acknowledgement of the referral",
        NotificationKind.TriageReminder => "triage reminder",
        NotificationKind.TriageEscalation => "triage overdue",
        NotificationKind.ReferralAccepted => "referral accepted",
        NotificationKind.ReferralDeclined => "referral declined",
        NotificationKind.InformationRequested => "request for more information",
        NotificationKind.InformationReminder => "reminder about the information asked for",
        NotificationKind.ClosedNoResponse => "closed for no response",
        NotificationKind.AllocationNotice => "case allocated",
        NotificationKind.FirstContactReminder => "first-contact reminder",
        NotificationKind.FirstContactEscalation => "first contact overdue",
        NotificationKind.WaitingListCheck => "is support still needed?",
        NotificationKind.ReviewReminder => "review reminder",
        NotificationKind.ReviewOverdueEscalation => "review overdue",
        NotificationKind.SurveyInvitation => "survey invitation",
        NotificationKind.SurveyReminder => "survey reminder",
        NotificationKind.PartnerFeedbackRequest => "request for the referrer's feedback",
        NotificationKind.RetentionReviewDue => "record due for review",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No plain words for this notification."),
    };

    /// <summary>Who a notification went to: the role, and a practitioner's staff id.</summary>
    public static string Of(Recipient recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return recipient.Id is null ? "the " + Of(recipient.Role) : $"{Of(recipient.Role)} {recipient.Id}";
    }

    /// <summary>
    /// One history event in words; <paramref name="time"/> writes a moment (local to the service)
    /// for the events that carry one besides their own time.
    /// </summary>
    public static string Of(ReferralEvent e, Func<DateTimeOffset, string> time)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(time);
        return e switch
        {
            ReferralEvent.Received => "Referral received",
            ReferralEvent.Accepted => "Accepted at triage",
            ReferralEvent.Declined d => $"Declined ({Of(d.Category)})",
            ReferralEvent.InformationRequested => "More information asked of the referrer",
            ReferralEvent.InformationReceived => "The referrer's information received",
            ReferralEvent.Allocated a => a.Strand is { } strand
                ? $"Allocated to {a.PractitionerId}, {Of(strand)}{(a.Manual ? string.Empty : " (automatically)")}"
                : $"Allocated to {a.PractitionerId}{(a.Manual ? string.Empty : " (automatically)")}",
            ReferralEvent.PlacedOnWaitingList => "Placed on the waiting list",
            ReferralEvent.StillNeededConfirmed => "Confirmed as still needed",
            ReferralEvent.FirstContactRecorded f => f.Consent
                ? $"First contact made on {time(f.ContactedAt)}: the young person agreed to support"
                : $"First contact made on {time(f.ContactedAt)}: the young person did not agree to support",
            ReferralEvent.SessionRecorded s => $"Session on {s.HeldOn.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"))}, {Of(s.Kind)}: {s.Note}",
            ReferralEvent.ReviewRecorded r => $"Review recorded; risk now {Of(r.RiskLevel)}",
            ReferralEvent.Closed c => $"Case closed ({ClosureReason(c.Reason)})",
            ReferralEvent.Withdrawn w => $"Withdrawn ({Of(w.Category)})",
            ReferralEvent.Reopened r => $"Reopened: back to \"{Of(r.ReturnsTo)}\"",
            ReferralEvent.ReviewScheduled r => $"Next review due on {time(r.DueAt)}",
            ReferralEvent.TimerSet t => $"Clock set: {Of(t.Kind)} on {time(t.DueAt)}",
            ReferralEvent.TimerCancelled t => $"Clock stopped: {Of(t.Kind)}",
            ReferralEvent.TimerFired t => $"Clock reached: {Of(t.Kind)} (due {time(t.DueAt)})",
            ReferralEvent.ContactChannelRecorded c => $"Contact channel recorded: {(c.Channel == ContactChannel.Email ? "email" : "text message")}, {(c.MarkedSafe ? "marked safe" : "not marked safe")}",
            ReferralEvent.SurveyOptedOut => "The young person opted out of the survey",
            ReferralEvent.SurveyOpened o => o.Audience == SurveyAudience.YoungPerson ? "Survey sent to the young person" : "Feedback asked of the referrer",
            ReferralEvent.SurveyAnswered => "Survey answered",
            ReferralEvent.PartnerFeedbackGiven => "The referrer gave feedback",
            ReferralEvent.LegalHoldPlaced => "Placed on legal hold",
            ReferralEvent.LegalHoldReleased => "Legal hold released",
            ReferralEvent.Erased => "Personal data erased",
            ReferralEvent.NotificationQueued n => $"Email: {Of(n.Kind)}, to {Of(n.Recipient)}",
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "No plain words for this event."),
        };
    }

    public static string Of(SessionKind kind) => kind switch
    {
        SessionKind.FaceToFace => "face to face",
        SessionKind.Phone => "by phone",
        SessionKind.Online => "online",
        _ => kind.ToString(),
    };

    public static string Of(RiskLevel risk) => risk switch
    {
        RiskLevel.High => "high",
        RiskLevel.Medium => "medium",
        RiskLevel.Standard => "standard",
        _ => throw new ArgumentOutOfRangeException(nameof(risk), risk, "No plain words for this risk level."),
    };

    public static string Of(Strand strand) => strand switch
    {
        Strand.AtRisk => "the at-risk strand (relief workers or volunteer mentors)",
        Strand.SubjectTo => "the subject-to strand (a family network coordinator)",
        _ => throw new ArgumentOutOfRangeException(nameof(strand), strand, "No plain words for this strand."),
    };

    public static string Of(NotTakenReason reason) => reason switch
    {
        NotTakenReason.Capacity => "no capacity",
        NotTakenReason.Criteria => "did not meet the criteria",
        NotTakenReason.DeclinedByYoungPerson => "the young person did not want support",
        NotTakenReason.NoLongerNeeded => "no longer needed",
        NotTakenReason.NoResponse => "no response from the referrer",
        NotTakenReason.Other => "other reason",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "No plain words for this reason."),
    };

    /// <summary>A closure reason: the workflow's own codes in words, a practitioner's reason as written.</summary>
    public static string ClosureReason(string? reason) => reason switch
    {
        ClosureReasons.NoConsent => "the young person did not agree to support",
        ClosureReasons.NoResponse => "no response from the referrer",
        null or "" => "no reason given",
        _ => reason,
    };
}
