namespace HandInHand.Domain.Lifecycle;

/// <summary>
/// Every clock of PRODUCT.md §3, one kind per firing. A referral holds at most one timer of each
/// kind; a timer fires only if it is still set with the same due time.
/// </summary>
public enum TimerKind
{
    FirstContactReminder,
    FirstContactDeadline,
    TriageReminder,
    TriageDeadline,
    InformationReminder,
    InformationDeadline,
    WaitingListCheck,
    ReviewReminder,
    ReviewOverdue,
    SurveyReminder,
    SurveyExpiry,
    RetentionReview,
}

/// <summary>What a notification is about; the email templates are keyed by it.</summary>
public enum NotificationKind
{
    ReferralAcknowledged,
    TriageReminder,
    TriageEscalation,
    ReferralAccepted,
    ReferralDeclined,
    InformationRequested,
    InformationReminder,
    ClosedNoResponse,
    AllocationNotice,
    FirstContactReminder,
    FirstContactEscalation,
    WaitingListCheck,
    ReviewReminder,
    ReviewOverdueEscalation,
    SurveyInvitation,
    SurveyReminder,
    PartnerFeedbackRequest,
    RetentionReviewDue,
}

/// <summary>
/// Who a notification goes to: a role and, for a practitioner, their id. The referrer and the
/// manager are resolved from the referral and the service when the message is sent.
/// </summary>
public sealed record Recipient(Role Role, string? Id = null)
{
    public static readonly Recipient Manager = new(Role.Manager);
    public static readonly Recipient Referrer = new(Role.Referrer);
    public static readonly Recipient YoungPerson = new(Role.YoungPerson);
}
