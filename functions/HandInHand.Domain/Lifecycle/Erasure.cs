namespace HandInHand.Domain.Lifecycle;

/// <summary>
/// What of a referral's history survives erasure: each event keeps its kind, time, actor and the
/// facts the anonymous figures are made of (stages, risk levels, dates, answers given as choices);
/// dates of birth, free text, My Wheel scores, Traffic Light ratings and links to other referrals go.
/// </summary>
public static class Erasure
{
    /// <summary>Stands where free text was.</summary>
    public const string ErasedText = "(erased)";

    private static readonly Dictionary<string, int> NoScores = [];
    private static readonly Dictionary<string, TrafficLight> NoLights = [];

    /// <summary>The event with its personal details removed; an event without any comes back as it was.</summary>
    public static ReferralEvent Redact(ReferralEvent e) => e switch
    {
        ReferralEvent.Received r => r with { DateOfBirth = default, PossibleDuplicates = [] },
        ReferralEvent.Declined d => d with { Reason = ErasedText },
        ReferralEvent.Withdrawn w => w with { Reason = ErasedText },
        ReferralEvent.Reopened r => r with { Reason = ErasedText },
        ReferralEvent.Closed c => c with { Reason = ErasedText, FinalMyWheel = null },
        ReferralEvent.SessionRecorded s => s with { Note = ErasedText },
        ReferralEvent.ReviewRecorded r => r with { MyWheel = NoScores, TrafficLights = NoLights },
        ReferralEvent.SurveyAnswered a => a with { Answers = a.Answers with { Ideas = null } },
        ReferralEvent.LegalHoldPlaced h => h with { Reason = ErasedText },
        _ => e,
    };
}
