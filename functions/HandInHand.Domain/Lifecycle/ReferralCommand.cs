using HandInHand.Domain.Referrals;

namespace HandInHand.Domain.Lifecycle;

/// <summary>
/// Everything that can happen to a referral: a person's decision or a timer's tick. Each command
/// carries who acts and when: the decider reads no clock.
/// </summary>
public abstract record ReferralCommand(Actor By, DateTimeOffset At)
{
    /// <summary>Intake accepted the form: the workflow starts.</summary>
    public sealed record Receive(Actor By, DateTimeOffset At, string Reference, ServicePathway Pathway, string Region, RiskLevel RiskLevel, DateOnly DateOfBirth, IReadOnlyList<string> PossibleDuplicates, ReferralProfile? Profile = null) : ReferralCommand(By, At);

    public sealed record Accept(Actor By, DateTimeOffset At) : ReferralCommand(By, At);

    /// <summary>Triage declines the referral: why, as a category the reports count (<see cref="NotTakenReasons.ForDecline"/>) and in words.</summary>
    public sealed record Decline(Actor By, DateTimeOffset At, string Reason, NotTakenReason Category) : ReferralCommand(By, At);

    public sealed record RequestInformation(Actor By, DateTimeOffset At) : ReferralCommand(By, At);

    public sealed record ReceiveInformation(Actor By, DateTimeOffset At) : ReferralCommand(By, At);

    /// <summary>Allocate to a practitioner; <paramref name="Manual"/> when the manager overrides the automatic choice.</summary>
    public sealed record Allocate(Actor By, DateTimeOffset At, string PractitionerId, bool Manual, Strand? Strand = null) : ReferralCommand(By, At);

    public sealed record PlaceOnWaitingList(Actor By, DateTimeOffset At) : ReferralCommand(By, At);

    /// <summary>The referrer confirms that a waiting referral is still needed.</summary>
    public sealed record ConfirmStillNeeded(Actor By, DateTimeOffset At) : ReferralCommand(By, At);

    public sealed record RecordFirstContact(Actor By, DateTimeOffset At, DateTimeOffset ContactedAt, bool Consent) : ReferralCommand(By, At);

    /// <summary>A review: My Wheel scores (domain → 1–10), Traffic Light ratings (indicator → red/amber/green) and the current risk.</summary>
    public sealed record RecordReview(Actor By, DateTimeOffset At, IReadOnlyDictionary<string, int> MyWheel, IReadOnlyDictionary<string, TrafficLight> TrafficLights, RiskLevel RiskLevel) : ReferralCommand(By, At);

    /// <summary>A support session held on <paramref name="HeldOn"/> (the service's local day), its kind and a short note.</summary>
    public sealed record RecordSession(Actor By, DateTimeOffset At, DateOnly HeldOn, SessionKind Kind, string Note) : ReferralCommand(By, At);

    public sealed record Close(Actor By, DateTimeOffset At, string Reason, IReadOnlyDictionary<string, int> FinalMyWheel, RiskLevel RiskLevel) : ReferralCommand(By, At);

    /// <summary>The referral is withdrawn: why, as a category the reports count (<see cref="NotTakenReasons.ForWithdrawal"/>) and in words.</summary>
    public sealed record Withdraw(Actor By, DateTimeOffset At, string Reason, NotTakenReason Category) : ReferralCommand(By, At);

    public sealed record Reopen(Actor By, DateTimeOffset At, string Reason) : ReferralCommand(By, At);

    /// <summary>The case holder records how the young person can be reached and whether it is safe to use; the address itself is kept apart from the history.</summary>
    public sealed record RecordContactChannel(Actor By, DateTimeOffset At, ContactChannel Channel, bool MarkedSafe) : ReferralCommand(By, At);

    /// <summary>The young person does not want to be asked for the survey.</summary>
    public sealed record OptOutOfSurvey(Actor By, DateTimeOffset At) : ReferralCommand(By, At);

    /// <summary>The young person's answers, posted through their survey link.</summary>
    public sealed record AnswerSurvey(Actor By, DateTimeOffset At, SurveyAnswers Answers) : ReferralCommand(By, At);

    /// <summary>The referrer's feedback, posted through their feedback link.</summary>
    public sealed record GivePartnerFeedback(Actor By, DateTimeOffset At, PartnerFeedback Answers) : ReferralCommand(By, At);

    /// <summary>Stops erasure while the record is needed for legal reasons.</summary>
    public sealed record PlaceLegalHold(Actor By, DateTimeOffset At, string Reason) : ReferralCommand(By, At);

    public sealed record ReleaseLegalHold(Actor By, DateTimeOffset At) : ReferralCommand(By, At);

    /// <summary>The manager confirms the retention review: erase the personal data.</summary>
    public sealed record ConfirmErasure(Actor By, DateTimeOffset At) : ReferralCommand(By, At);

    /// <summary>A timer came due: fires only if the referral still holds it with this due time.</summary>
    public sealed record FireTimer(Actor By, DateTimeOffset At, TimerKind Kind, DateTimeOffset DueAt) : ReferralCommand(By, At);
}

/// <summary>How a support session was held.</summary>
public enum SessionKind
{
    FaceToFace,
    Phone,
    Online,
}

/// <summary>A Traffic Light Tracker rating.</summary>
public enum TrafficLight
{
    Green,
    Amber,
    Red,
}
