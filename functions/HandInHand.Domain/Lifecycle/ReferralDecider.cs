using HandInHand.Domain.Referrals;
using static HandInHand.Domain.Lifecycle.ReferralEvent;
using C = HandInHand.Domain.Lifecycle.ReferralCommand;

namespace HandInHand.Domain.Lifecycle;

/// <summary>
/// The referral lifecycle as a pure decider: <c>Decide(command, state) → events</c>. It reads no
/// clock and makes no ids: time arrives in the command. A repeated command gives no events; a
/// command that does not fit the step is rejected with a reason naming the step.
/// </summary>
/// <remarks>
/// <para>
/// Timers are state. Each clock of PRODUCT.md §3 is set with <see cref="TimerSet"/> and stopped
/// with <see cref="TimerCancelled"/> by the event that satisfies it; a <see cref="C.FireTimer"/>
/// whose kind and due time are no longer set is stale and does nothing, so a timer fires once
/// however often the dispatcher delivers it.
/// </para>
/// <para>
/// A repeat is a no-op only for an actor who may give the command: anyone else is refused as they
/// would have been the first time, so an empty answer never tells them what step a referral is at.
/// </para>
/// </remarks>
public sealed class ReferralDecider(LifecycleSettings settings)
{
    /// <summary>The longest session note: a short note, not a case record.</summary>
    public const int SessionNoteMaxLength = 500;

    private static readonly TimerKind[] TriageTimers = [TimerKind.TriageReminder, TimerKind.TriageDeadline];
    private static readonly TimerKind[] InformationTimers = [TimerKind.InformationReminder, TimerKind.InformationDeadline];
    private static readonly TimerKind[] FirstContactTimers = [TimerKind.FirstContactReminder, TimerKind.FirstContactDeadline];

    public IReadOnlyList<ReferralEvent> Decide(ReferralCommand command, ReferralState state)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(state);
        var events = new Events(command, state);
        switch (command)
        {
            case C.Receive c:
                Require(command, state, Role.System);
                if (state.Stage != Stage.None)
                {
                    return state.Reference == c.Reference ? [] : throw WrongStep(command, state);
                }

                events.Add(new Received(c.By, c.At, c.Reference, c.Pathway, c.Region, c.RiskLevel, c.DateOfBirth, c.PossibleDuplicates, c.Profile));
                events.Notify(NotificationKind.ReferralAcknowledged, Recipient.Referrer);
                events.Set(TimerKind.FirstContactReminder, c.At + settings.FirstContactDeadline - settings.FirstContactReminderBefore);
                events.Set(TimerKind.FirstContactDeadline, c.At + settings.FirstContactDeadline);
                SetTriageTimers(events, c.At);
                break;

            case C.Accept:
                if (state.Stage == Stage.AwaitingAllocation)
                {
                    RequireTriage(command, state);
                    return [];
                }

                RequireStage(command, state, Stage.AwaitingTriage);
                RequireTriage(command, state);
                events.Add(new Accepted(command.By, command.At));
                events.Cancel(TriageTimers);
                events.Notify(NotificationKind.ReferralAccepted, Recipient.Referrer);
                break;

            case C.Decline c:
                if (state.Stage == Stage.Declined)
                {
                    RequireTriage(command, state);
                    return [];
                }

                RequireStage(command, state, Stage.AwaitingTriage, Stage.AwaitingInformation);
                RequireTriage(command, state);
                RequireText(c.Reason, "reason");
                RequireCategory(c.Category, NotTakenReasons.ForDecline);
                events.Add(new Declined(c.By, c.At, c.Reason.Trim(), c.Category));
                events.CancelAll();
                events.Notify(NotificationKind.ReferralDeclined, Recipient.Referrer);
                SetRetention(events, state, c.At);
                break;

            case C.RequestInformation:
                if (state.Stage == Stage.AwaitingInformation)
                {
                    RequireTriage(command, state);
                    return [];
                }

                RequireStage(command, state, Stage.AwaitingTriage);
                RequireTriage(command, state);
                events.Add(new InformationRequested(command.By, command.At));
                events.Cancel(TriageTimers);
                events.Notify(NotificationKind.InformationRequested, Recipient.Referrer);
                events.Set(TimerKind.InformationReminder, command.At + settings.InformationReminderAfter);
                events.Set(TimerKind.InformationDeadline, command.At + settings.InformationDeadline);
                break;

            case C.ReceiveInformation:
                // Information that arrives while the referral already waits for triage (a repeat,
                // or more detail unasked) changes nothing.
                if (state.Stage == Stage.AwaitingTriage)
                {
                    Require(command, state, Role.Referrer, TriageRole(state));
                    return [];
                }

                RequireStage(command, state, Stage.AwaitingInformation);
                Require(command, state, Role.Referrer, TriageRole(state));
                events.Add(new InformationReceived(command.By, command.At));
                events.Cancel(InformationTimers);
                SetTriageTimers(events, command.At);
                break;

            case C.Allocate c:
                Decide(c, state, events);
                break;

            case C.PlaceOnWaitingList:
                if (state.Stage == Stage.WaitingList)
                {
                    Require(command, state, TriageRole(state), Role.System);
                    return [];
                }

                RequireStage(command, state, Stage.AwaitingAllocation);
                Require(command, state, TriageRole(state), Role.System);
                events.Add(new PlacedOnWaitingList(command.By, command.At));
                events.Set(TimerKind.WaitingListCheck, command.At + settings.WaitingListCheckEvery);
                break;

            case C.ConfirmStillNeeded:
                RequireStage(command, state, Stage.WaitingList);
                Require(command, state, Role.Referrer, TriageRole(state));
                events.Add(new StillNeededConfirmed(command.By, command.At));
                break;

            case C.RecordFirstContact c:
                if (state.FirstContactAt == c.ContactedAt && state.Consent == c.Consent)
                {
                    RequireCaseHolder(command, state);
                    return [];
                }

                RequireStage(command, state, Stage.Allocated);
                RequireCaseHolder(command, state);
                if (c.ContactedAt > c.At || c.ContactedAt < state.ReceivedAt)
                {
                    throw new CommandRejectedException(RejectionKind.Invalid, "First contact must be recorded at a time between the referral's arrival and now.", "contactedAt");
                }

                events.Add(new FirstContactRecorded(c.By, c.At, c.ContactedAt, c.Consent));
                events.Cancel(FirstContactTimers);
                if (!c.Consent)
                {
                    events.Add(new Closed(c.By, c.At, ClosureReasons.NoConsent, null, null));
                    events.CancelAll();
                    SetRetention(events, state, c.At);
                }

                break;

            case C.RecordReview c:
                RequireStage(command, state, Stage.Active);
                RequireCaseHolder(command, state);
                ValidateMyWheel(c.MyWheel, "myWheel");
                ValidateTrafficLights(c.TrafficLights);
                events.Add(new ReviewRecorded(c.By, c.At, c.MyWheel, c.TrafficLights, c.RiskLevel));
                ScheduleReview(events, c.At);
                break;

            case C.RecordSession c:
                RequireStage(command, state, Stage.Active);
                RequireCaseHolder(command, state);
                if (!Enum.IsDefined(c.Kind))
                {
                    throw new CommandRejectedException(RejectionKind.Invalid, "A session is face to face, by phone or online.", "kind");
                }

                if (string.IsNullOrWhiteSpace(c.Note) || c.Note.Length > SessionNoteMaxLength)
                {
                    throw new CommandRejectedException(RejectionKind.Invalid, $"Give a note of 1 to {SessionNoteMaxLength} characters.", "note");
                }

                // The day is the service's own, which may be a day either side of the UTC date of the moment it is compared with.
                if (c.HeldOn > DateOnly.FromDateTime(c.At.UtcDateTime).AddDays(1)
                    || c.HeldOn < DateOnly.FromDateTime((state.FirstContactAt ?? state.ReceivedAt).UtcDateTime).AddDays(-1))
                {
                    throw new CommandRejectedException(RejectionKind.Invalid, "A session is held between first contact and today.", "heldOn");
                }

                events.Add(new SessionRecorded(c.By, c.At, c.HeldOn, c.Kind, c.Note.Trim()));
                break;

            case C.Close c:
                if (state.Stage == Stage.Closed)
                {
                    RequireCaseHolder(command, state);
                    return [];
                }

                RequireStage(command, state, Stage.Allocated, Stage.Active);
                RequireCaseHolder(command, state);
                RequireText(c.Reason, "reason");
                if (state.Stage == Stage.Active || c.FinalMyWheel.Count > 0)
                {
                    ValidateMyWheel(c.FinalMyWheel, "finalMyWheel");
                }

                events.Add(new Closed(c.By, c.At, c.Reason.Trim(), c.FinalMyWheel.Count > 0 ? c.FinalMyWheel : null, c.RiskLevel));
                events.CancelAll();
                if (state.Stage == Stage.Active)
                {
                    OfferSurveys(events, state, c.At);
                }

                SetRetention(events, state, c.At);
                break;

            case C.Withdraw c:
                if (state.Stage == Stage.Withdrawn)
                {
                    Require(command, state, Role.Referrer, Role.Manager, Role.Panel);
                    return [];
                }

                if (!state.IsOpen)
                {
                    throw WrongStep(command, state);
                }

                Require(command, state, Role.Referrer, Role.Manager, Role.Panel);
                RequireText(c.Reason, "reason");
                RequireCategory(c.Category, NotTakenReasons.ForWithdrawal);
                events.Add(new Withdrawn(c.By, c.At, c.Reason.Trim(), c.Category));
                events.CancelAll();
                SetRetention(events, state, c.At);
                break;

            case C.Reopen c:
                RequireStage(command, state, Stage.Closed);
                Require(command, state, TriageRole(state));
                RequireText(c.Reason, "reason");
                var returnsTo = state.StageBeforeClosure is Stage.AwaitingTriage or Stage.AwaitingInformation ? Stage.AwaitingTriage : Stage.AwaitingAllocation;
                events.Add(new Reopened(c.By, c.At, c.Reason.Trim(), returnsTo));
                events.CancelAll();
                if (returnsTo == Stage.AwaitingTriage)
                {
                    SetTriageTimers(events, c.At);
                }

                break;

            case C.RecordContactChannel c:
                RequireStage(command, state, Stage.Allocated, Stage.Active, Stage.Closed);
                RequireCaseHolder(command, state);
                RequireNotErased(command, state);
                if (!Enum.IsDefined(c.Channel))
                {
                    throw new CommandRejectedException(RejectionKind.Invalid, "The channel is email or sms.", "channel");
                }

                events.Add(new ContactChannelRecorded(c.By, c.At, c.Channel, c.MarkedSafe));
                break;

            case C.OptOutOfSurvey:
                RequireReceived(command, state);
                RequireCaseHolder(command, state);
                if (state.SurveyOptedOut)
                {
                    return [];
                }

                events.Add(new SurveyOptedOut(command.By, command.At));
                events.Cancel(TimerKind.SurveyReminder);
                break;

            case C.AnswerSurvey c:
                Require(command, state, Role.YoungPerson);
                RequireOpen(command, state, state.SurveyOpenUntil, state.SurveyAnsweredAt);
                if (c.Answers.Ideas is { Length: > SurveyAnswers.IdeasMaxLength })
                {
                    throw new CommandRejectedException(RejectionKind.Invalid, $"Ideas take at most {SurveyAnswers.IdeasMaxLength} characters.", "ideas");
                }

                events.Add(new SurveyAnswered(c.By, c.At, c.Answers with { Ideas = string.IsNullOrWhiteSpace(c.Answers.Ideas) ? null : c.Answers.Ideas.Trim() }));
                events.Cancel(TimerKind.SurveyReminder, TimerKind.SurveyExpiry);
                break;

            case C.GivePartnerFeedback c:
                Require(command, state, Role.Referrer);
                RequireOpen(command, state, state.PartnerFeedbackOpenUntil, state.PartnerFeedbackAt);
                events.Add(new PartnerFeedbackGiven(c.By, c.At, c.Answers));
                break;

            case C.PlaceLegalHold c:
                RequireReceived(command, state);
                Require(command, state, Role.Manager);
                RequireNotErased(command, state);
                RequireText(c.Reason, "reason");
                if (!state.LegalHold)
                {
                    events.Add(new LegalHoldPlaced(c.By, c.At, c.Reason.Trim()));
                }

                break;

            case C.ReleaseLegalHold:
                RequireReceived(command, state);
                Require(command, state, Role.Manager);
                if (state.LegalHold)
                {
                    events.Add(new LegalHoldReleased(command.By, command.At));
                }

                break;

            case C.ConfirmErasure:
                RequireReceived(command, state);
                Require(command, state, Role.Manager);
                if (state.ErasedAt is not null)
                {
                    return [];
                }

                if (state.IsOpen || !state.RetentionReviewDue)
                {
                    throw WrongStep(command, state, "only a closed record whose retention period has passed can be erased");
                }

                if (state.LegalHold)
                {
                    throw WrongStep(command, state, "the record is under a legal hold; release it before erasing");
                }

                events.CancelAll();
                events.Add(new Erased(command.By, command.At));
                break;

            case C.FireTimer c:
                Require(command, state, Role.System);
                if (!state.Timers.TryGetValue(c.Kind, out var due) || due != c.DueAt)
                {
                    return [];
                }

                if (c.At < due)
                {
                    throw new CommandRejectedException(RejectionKind.Invalid, $"The {c.Kind} timer is not due yet.", "dueAt");
                }

                events.Add(new TimerFired(c.By, c.At, c.Kind, due));
                Fire(c, state, events);
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(command), $"{command.GetType().Name} is not handled by {nameof(ReferralDecider)}.");
        }

        return events.ToList();
    }

    private void Decide(C.Allocate c, ReferralState state, Events events)
    {
        if (state.Stage is Stage.Allocated or Stage.Active && state.PractitionerId == c.PractitionerId && state.Strand == c.Strand)
        {
            Require(c, state, TriageRole(state), Role.System);
            return;
        }

        RequireStage(c, state, Stage.AwaitingAllocation, Stage.WaitingList, Stage.Allocated, Stage.Active);
        var reallocation = state.Stage is Stage.Allocated or Stage.Active;
        Require(c, state, reallocation ? [TriageRole(state)] : [TriageRole(state), Role.System]);
        RequireText(c.PractitionerId, "practitionerId");
        if (state.Pathway == ServicePathway.TrustedRelationships && c.Strand is null)
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "A Trusted Relationships allocation names its strand.", "strand");
        }

        events.Add(new Allocated(c.By, c.At, c.PractitionerId, c.Manual, c.Strand));
        events.Cancel(TimerKind.WaitingListCheck);
        events.Notify(NotificationKind.AllocationNotice, new Recipient(Role.Practitioner, c.PractitionerId));
        if (!reallocation && state.NextReviewDue is null)
        {
            ScheduleReview(events, c.At);
        }
    }

    private void Fire(C.FireTimer c, ReferralState state, Events events)
    {
        var caseHolder = state.PractitionerId is null ? Recipient.Manager : new Recipient(Role.Practitioner, state.PractitionerId);
        switch (c.Kind)
        {
            case TimerKind.FirstContactReminder:
                events.Notify(NotificationKind.FirstContactReminder, caseHolder);
                break;
            case TimerKind.FirstContactDeadline:
                events.Notify(NotificationKind.FirstContactEscalation, Recipient.Manager);
                break;
            case TimerKind.TriageReminder:
                events.Notify(NotificationKind.TriageReminder, Recipient.Manager);
                break;
            case TimerKind.TriageDeadline:
                events.Notify(NotificationKind.TriageEscalation, Recipient.Manager);
                break;
            case TimerKind.InformationReminder:
                events.Notify(NotificationKind.InformationReminder, Recipient.Referrer);
                break;
            case TimerKind.InformationDeadline:
                events.Add(new Closed(c.By, c.At, ClosureReasons.NoResponse, null, null));
                events.CancelAll();
                events.Notify(NotificationKind.ClosedNoResponse, Recipient.Referrer);
                SetRetention(events, state, c.At);
                break;
            case TimerKind.WaitingListCheck:
                events.Notify(NotificationKind.WaitingListCheck, Recipient.Referrer);
                // Keep the cadence from the due time, but after a long outage skip the checks that
                // were missed rather than asking the referrer several times at once.
                var next = c.DueAt + settings.WaitingListCheckEvery;
                while (next <= c.At)
                {
                    next += settings.WaitingListCheckEvery;
                }

                events.Set(TimerKind.WaitingListCheck, next);
                break;
            case TimerKind.ReviewReminder:
                events.Notify(NotificationKind.ReviewReminder, caseHolder);
                break;
            case TimerKind.ReviewOverdue:
                events.Notify(NotificationKind.ReviewOverdueEscalation, Recipient.Manager);
                break;
            case TimerKind.SurveyReminder:
                events.Notify(NotificationKind.SurveyReminder, Recipient.YoungPerson);
                break;
            case TimerKind.SurveyExpiry:
                break;
            case TimerKind.RetentionReview:
                events.Notify(NotificationKind.RetentionReviewDue, Recipient.Manager);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(c), $"Timer kind {c.Kind} has no firing.");
        }
    }

    /// <summary>
    /// At the end of support: the referrer is asked for feedback, and the young person for the
    /// survey when they have a channel marked safe and have not said no.
    /// </summary>
    private void OfferSurveys(Events events, ReferralState state, DateTimeOffset closedAt)
    {
        var openUntil = closedAt + settings.SurveyExpiresAfter;
        events.Add(new SurveyOpened(events.By, events.At, SurveyAudience.Partner, openUntil));
        events.Notify(NotificationKind.PartnerFeedbackRequest, Recipient.Referrer);
        if (state.Channel is not null && state.ChannelIsSafe && !state.SurveyOptedOut)
        {
            events.Add(new SurveyOpened(events.By, events.At, SurveyAudience.YoungPerson, openUntil));
            events.Notify(NotificationKind.SurveyInvitation, Recipient.YoungPerson);
            events.Set(TimerKind.SurveyReminder, closedAt + settings.SurveyReminderAfter);
            events.Set(TimerKind.SurveyExpiry, openUntil);
        }
    }

    private void SetTriageTimers(Events events, DateTimeOffset from)
    {
        events.Set(TimerKind.TriageReminder, from + settings.TriageReminderAfter);
        events.Set(TimerKind.TriageDeadline, WorkingDays.Add(from, settings.TriageDeadlineWorkingDays));
    }

    private void ScheduleReview(Events events, DateTimeOffset from)
    {
        var due = from + settings.ReviewEvery;
        events.Add(new ReviewScheduled(events.By, events.At, due));
        events.Set(TimerKind.ReviewReminder, due - settings.ReviewReminderBefore);
        events.Set(TimerKind.ReviewOverdue, due + settings.ReviewOverdueAfter);
    }

    /// <summary>After the retention period, or at the set birthday, whichever is later, the record goes to the manager for review.</summary>
    private void SetRetention(Events events, ReferralState state, DateTimeOffset closedAt)
    {
        var afterYears = closedAt.AddYears(settings.RetentionYears);
        var birthday = new DateTimeOffset(state.DateOfBirth.AddYears(settings.RetentionUntilAge).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        events.Set(TimerKind.RetentionReview, afterYears > birthday ? afterYears : birthday);
    }

    private void ValidateMyWheel(IReadOnlyDictionary<string, int> scores, string field)
    {
        var domains = settings.EffectiveMyWheelDomains;
        var unknown = scores.Keys.Where(k => !domains.Contains(k)).ToList();
        if (unknown.Count > 0 || domains.Any(d => !scores.ContainsKey(d)))
        {
            throw new CommandRejectedException(RejectionKind.Invalid, $"My Wheel needs a score for each of its {domains.Count} domains: {string.Join(", ", domains)}.", field);
        }

        if (scores.Values.Any(v => v is < 1 or > 10))
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "Each My Wheel score is a whole number from 1 to 10.", field);
        }
    }

    private static void ValidateTrafficLights(IReadOnlyDictionary<string, TrafficLight> lights)
    {
        if (lights.Count > 50 || lights.Keys.Any(k => string.IsNullOrWhiteSpace(k) || k.Length > 100))
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "The Traffic Light Tracker takes up to 50 indicators, each named in at most 100 characters.", "trafficLights");
        }

        if (lights.Values.Any(v => !Enum.IsDefined(v)))
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "Each Traffic Light rating is red, amber or green.", "trafficLights");
        }
    }

    private static Role TriageRole(ReferralState state) =>
        state.Pathway == ServicePathway.TrustedRelationships ? Role.Panel : Role.Manager;

    private static void RequireTriage(ReferralCommand command, ReferralState state) => Require(command, state, TriageRole(state));

    private static void RequireCaseHolder(ReferralCommand command, ReferralState state)
    {
        var isCaseHolder = command.By.Role == Role.Practitioner && command.By.Id == state.PractitionerId;
        if (!isCaseHolder && command.By.Role != TriageRole(state) && command.By.Role != Role.Manager)
        {
            throw NotAllowed(command, state);
        }
    }

    private static void Require(ReferralCommand command, ReferralState state, params Role[] roles)
    {
        if (!roles.Contains(command.By.Role))
        {
            throw NotAllowed(command, state);
        }
    }

    private static void RequireStage(ReferralCommand command, ReferralState state, params Stage[] stages)
    {
        if (!stages.Contains(state.Stage))
        {
            throw WrongStep(command, state);
        }
    }

    private static void RequireReceived(ReferralCommand command, ReferralState state)
    {
        if (state.Stage == Stage.None)
        {
            throw WrongStep(command, state);
        }
    }

    private static void RequireNotErased(ReferralCommand command, ReferralState state)
    {
        if (state.ErasedAt is not null)
        {
            throw WrongStep(command, state, "the record was erased");
        }
    }

    /// <summary>A survey takes one set of answers, while it is open: a second, or a late one, is refused.</summary>
    private static void RequireOpen(ReferralCommand command, ReferralState state, DateTimeOffset? openUntil, DateTimeOffset? answeredAt)
    {
        if (state.Stage != Stage.Closed || openUntil is null || command.At > openUntil || answeredAt is not null || state.ErasedAt is not null)
        {
            throw WrongStep(command, state, "the survey is not open for answers");
        }
    }

    private static void RequireText(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 2000)
        {
            throw new CommandRejectedException(RejectionKind.Invalid, $"Give a {field} of 1 to 2000 characters.", field);
        }
    }

    private static void RequireCategory(NotTakenReason category, IReadOnlyList<NotTakenReason> allowed)
    {
        if (!allowed.Contains(category))
        {
            throw new CommandRejectedException(RejectionKind.Invalid, $"Give a category, one of: {string.Join(", ", allowed)}.", "category");
        }
    }

    private static CommandRejectedException WrongStep(ReferralCommand command, ReferralState state, string? why = null) =>
        new(RejectionKind.WrongStep, $"{command.GetType().Name} does not fit a referral at step {state.Stage}{(why is null ? "" : ": " + why)}.");

    private static CommandRejectedException NotAllowed(ReferralCommand command, ReferralState state) =>
        new(RejectionKind.NotAllowed, $"The {command.By.Role} role may not {command.GetType().Name} a referral at step {state.Stage}.");

    /// <summary>Collects a decision's events, applying each as it goes so later checks see earlier ones.</summary>
    private sealed class Events(ReferralCommand command, ReferralState state)
    {
        private readonly List<ReferralEvent> _events = [];
        private ReferralState _state = state;

        public Actor By => command.By;

        public DateTimeOffset At => command.At;

        public void Add(ReferralEvent e)
        {
            _events.Add(e);
            _state = _state.Evolve(e);
        }

        public void Notify(NotificationKind kind, Recipient recipient) => Add(new NotificationQueued(By, At, kind, recipient));

        public void Set(TimerKind kind, DateTimeOffset due) => Add(new TimerSet(By, At, kind, due));

        public void Cancel(params TimerKind[] kinds)
        {
            foreach (var kind in kinds.Where(_state.Timers.ContainsKey))
            {
                Add(new TimerCancelled(By, At, kind));
            }
        }

        public void CancelAll() => Cancel([.. _state.Timers.Keys]);

        public List<ReferralEvent> ToList() => _events;
    }
}
