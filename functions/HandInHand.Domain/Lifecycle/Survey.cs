namespace HandInHand.Domain.Lifecycle;

/// <summary>An answer to one survey question; a question may be left unanswered (null).</summary>
public enum Answer
{
    Yes,
    NotSure,
    No,
}

/// <summary>
/// The young person's end-of-support survey (PRODUCT.md §4): whether they could trust their
/// worker, felt listened to, felt safe, would recommend the service, and their ideas.
/// </summary>
public sealed record SurveyAnswers(Answer? TrustedWorker, Answer? FeltListenedTo, Answer? FeltSafe, Answer? WouldRecommend, string? Ideas)
{
    /// <summary>The longest idea text kept.</summary>
    public const int IdeasMaxLength = 2000;
}

/// <summary>The referrer's feedback at closure: the partner-survey questions of the evaluation.</summary>
public sealed record PartnerFeedback(Answer? WouldRecommend, Answer? ImprovedCapacity, Answer? ImprovedUnderstanding, Answer? ImprovedResponse);

/// <summary>How a young person can be reached. Only email is delivered today; the rest wait for their channel.</summary>
public enum ContactChannel
{
    Email,
    Sms,
}

/// <summary>Who a survey asks: the young person (end-of-support survey) or the referrer (partner feedback).</summary>
public enum SurveyAudience
{
    YoungPerson,
    Partner,
}
