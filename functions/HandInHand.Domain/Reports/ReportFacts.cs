using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;

namespace HandInHand.Domain.Reports;

/// <summary>
/// What one referral adds to the reports, as it stands: for each UTC date, the counters it adds
/// on that date. Each figure is dated by the event it counts: arrival (sources, demographics, time
/// to first contact), first contact with consent (worked with), the decision not to take it on,
/// closure (risk change, My Wheel), joining and leaving the waiting list.
/// </summary>
/// <remarks>
/// Pure and total, so a referral's contribution can be recomputed from its state at any time and
/// replace what was there: the projection is idempotent by construction. The contribution holds
/// codes, bands and counts only: no name, date of birth, free text or place.
/// </remarks>
public static class ReportFacts
{
    public static SortedDictionary<DateOnly, SortedDictionary<string, int>> Contributions(ReferralState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var result = new SortedDictionary<DateOnly, SortedDictionary<string, int>>();
        if (state.Stage == Stage.None)
        {
            return result;
        }

        void Add(DateTimeOffset at, string counter, int value = 1)
        {
            var day = DateOnly.FromDateTime(at.UtcDateTime);
            if (!result.TryGetValue(day, out var counters))
            {
                result[day] = counters = new SortedDictionary<string, int>(StringComparer.Ordinal);
            }

            counters[counter] = counters.GetValueOrDefault(counter) + value;
        }

        var received = state.ReceivedAt;
        Add(received, ReportCounters.Received);
        Add(received, ReportCounters.Of(ReportCounters.Source, state.Profile?.ReferrerType ?? "not-recorded"));
        Add(received, ReportCounters.Of(ReportCounters.Gender, state.Profile?.Gender ?? "not-recorded"));
        Add(received, ReportCounters.Of(ReportCounters.Ethnicity, state.Profile?.Ethnicity ?? "not-recorded"));
        Add(received, ReportCounters.Of(ReportCounters.AgeBand, state.AgeBand ?? AgeBand(state.DateOfBirth, DateOnly.FromDateTime(received.UtcDateTime))));

        if (state.FirstContactAt is { } contacted)
        {
            var hours = (contacted - received).TotalHours;
            Add(received, ReportCounters.Of(ReportCounters.FirstContact, ReportCounters.FirstContactBands.First(b => hours <= b.UpToHours).Band));
            if (state.Consent == true)
            {
                Add(contacted, ReportCounters.WorkedWith);
            }
        }

        if (state.NotTaken is { } notTaken && state.ClosedAt is { } decidedAt)
        {
            Add(decidedAt, ReportCounters.NotTaken);
            Add(decidedAt, ReportCounters.Of(ReportCounters.NotTaken, Code(notTaken)));
        }

        if (state.Stage == Stage.Closed && state.NotTaken is null && state.ClosedAt is { } closedAt)
        {
            Add(closedAt, ReportCounters.Closed);
            if (state.RiskAtAllocation is { } atAllocation && state.RiskAtClosure is { } atClosure)
            {
                Add(closedAt, ReportCounters.Of(ReportCounters.RiskChange, atClosure < atAllocation ? "reduced" : atClosure == atAllocation ? "same" : "increased"));
            }

            if (state.MyWheelCount >= 2 && state.FirstMyWheel is { } first && state.LatestMyWheel is { } last)
            {
                AddMyWheel(closedAt, first, last, Add);
            }
        }

        if (state.FirstWaitingAt is { } joined)
        {
            Add(joined, ReportCounters.WaitingJoined);
            if (state.LeftWaitingAt is { } left && state.Stage != Stage.WaitingList)
            {
                var days = (int)Math.Floor((left - joined).TotalDays);
                Add(left, ReportCounters.WaitingLeft);
                Add(left, ReportCounters.Of(ReportCounters.Waited, ReportCounters.WaitedBands.First(b => days <= b.UpToDays).Band));
                Add(left, ReportCounters.WaitedDaysSum, days);
            }
        }

        if (state.SurveyResult is { } survey && state.SurveyAnsweredAt is { } answeredAt)
        {
            AddAnswers(answeredAt, ReportCounters.Survey, [("trusted-worker", survey.TrustedWorker), ("felt-listened-to", survey.FeltListenedTo), ("felt-safe", survey.FeltSafe), ("would-recommend", survey.WouldRecommend)], Add);
        }

        if (state.PartnerResult is { } partner && state.PartnerFeedbackAt is { } givenAt)
        {
            AddAnswers(givenAt, ReportCounters.PartnerFeedback, [("would-recommend", partner.WouldRecommend), ("improved-capacity", partner.ImprovedCapacity), ("improved-understanding", partner.ImprovedUnderstanding), ("improved-response", partner.ImprovedResponse)], Add);
        }

        return result;
    }

    private static void AddAnswers(DateTimeOffset at, string prefix, (string Question, Answer? Answer)[] answers, Action<DateTimeOffset, string, int> add)
    {
        foreach (var (question, answer) in answers)
        {
            if (answer is { } a)
            {
                add(at, prefix + ":" + question + ":" + a switch { Answer.Yes => "yes", Answer.NotSure => "not-sure", _ => "no" }, 1);
            }
        }
    }

    /// <summary>The age band of someone born on <paramref name="dateOfBirth"/>, on <paramref name="on"/>.</summary>
    public static string AgeBand(DateOnly dateOfBirth, DateOnly on)
    {
        var age = on.Year - dateOfBirth.Year - (on < dateOfBirth.AddYears(on.Year - dateOfBirth.Year) ? 1 : 0);
        return ReportCounters.AgeBands.First(b => age <= b.UpToAge).Band;
    }

    /// <summary>The wire code of a not-taken category: <c>declined-by-young-person</c>.</summary>
    public static string Code(NotTakenReason reason) => reason switch
    {
        NotTakenReason.Capacity => "capacity",
        NotTakenReason.Criteria => "criteria",
        NotTakenReason.DeclinedByYoungPerson => "declined-by-young-person",
        NotTakenReason.NoLongerNeeded => "no-longer-needed",
        NotTakenReason.NoResponse => "no-response",
        _ => "other",
    };

    private const int MaxScore = 10;

    /// <summary>
    /// Improvement between the first and the latest My Wheel: overall when the total of the domains
    /// scored both times rose; per domain when that domain's score rose. A share improved is taken
    /// of those who could improve: a young person who first scored a domain 10 (or every domain 10,
    /// overall) cannot, and is counted as assessed but not in that share's denominator.
    /// </summary>
    private static void AddMyWheel(DateTimeOffset at, IReadOnlyDictionary<string, int> first, IReadOnlyDictionary<string, int> last, Action<DateTimeOffset, string, int> add)
    {
        var domains = first.Keys.Where(last.ContainsKey).Order(StringComparer.Ordinal).ToList();
        if (domains.Count == 0)
        {
            return;
        }

        add(at, ReportCounters.WheelAssessed, 1);
        if (domains.Sum(d => first[d]) < MaxScore * domains.Count)
        {
            add(at, ReportCounters.WheelCouldImprove, 1);
            if (domains.Sum(d => last[d]) > domains.Sum(d => first[d]))
            {
                add(at, ReportCounters.WheelImproved, 1);
            }
        }

        foreach (var domain in domains)
        {
            if (first[domain] < MaxScore)
            {
                add(at, ReportCounters.Of(ReportCounters.WheelCouldImprove, domain), 1);
                if (last[domain] > first[domain])
                {
                    add(at, ReportCounters.Of(ReportCounters.WheelImprovedIn, domain), 1);
                }
            }

            add(at, ReportCounters.Of(ReportCounters.WheelBeforeSum, domain), first[domain]);
            add(at, ReportCounters.Of(ReportCounters.WheelAfterSum, domain), last[domain]);
        }
    }
}
