using System.Globalization;
using HandInHand.Domain.Referrals;
using static HandInHand.Domain.Reports.ReportCounters;

namespace HandInHand.Domain.Reports;

/// <summary>
/// Builds the reports from daily totals: sums the days of the range and turns the counters into
/// breakdowns with shares. Pure. With a suppression threshold (analysts, exports), any count of
/// 1 to threshold−1 people reads "&lt;threshold"; the total it belongs to is withheld ("[c]")
/// wherever that total appears, with every share of those breakdowns, so the small count cannot
/// be worked back by subtraction or from a percentage. A count of 0 is shown: it points to nobody.
/// </summary>
public static class ReportBook
{
    public const string WithheldDisplay = "[c]";

    public static readonly IReadOnlyList<(string Code, string Label)> SurveyQuestions =
    [
        ("trusted-worker", "Could trust their worker"),
        ("felt-listened-to", "Felt listened to"),
        ("felt-safe", "Felt safe"),
        ("would-recommend", "Would recommend the service"),
    ];

    public static readonly IReadOnlyList<(string Code, string Label)> PartnerQuestions =
    [
        ("would-recommend", "Would recommend the service"),
        ("improved-capacity", "Improved their capacity"),
        ("improved-understanding", "Improved their understanding"),
        ("improved-response", "Improved their response"),
    ];

    public static readonly IReadOnlyList<(string Code, string Label)> Answers = [("yes", "Yes"), ("not-sure", "Not sure"), ("no", "No")];

    private static readonly (string Code, string Label)[] NotTakenLabels =
    [
        ("capacity", "No capacity"),
        ("criteria", "Did not meet the criteria"),
        ("declined-by-young-person", "Declined by the young person"),
        ("no-longer-needed", "No longer needed"),
        ("no-response", "No response to a request for information"),
        ("other", "Other"),
    ];

    /// <param name="days">Daily totals of the service up to <paramref name="to"/> (earlier days give the waiting list's starting size).</param>
    /// <param name="threshold">Null for exact figures (a manager on screen); otherwise the small-number threshold.</param>
    /// <param name="answerThreshold">
    /// The threshold the survey and partner-feedback answers are suppressed with even when every other
    /// figure is exact: the young person is told their answers are anonymous, and a small exact count
    /// next to the timeline's "survey answered" would name them.
    /// </param>
    public static ReportSet Build(IEnumerable<(DateOnly Date, IReadOnlyDictionary<string, long> Counters)> days, DateOnly from, DateOnly to, string service, IReadOnlyList<string> wheelDomains, int? threshold, int? answerThreshold = null)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(wheelDomains);
        var byDate = days.GroupBy(d => d.Date).ToDictionary(g => g.Key, g => Sum(g.Select(x => x.Counters)));
        var sum = Sum(byDate.Where(d => d.Key >= from && d.Key <= to).Select(d => d.Value));
        long C(string name) => sum.GetValueOrDefault(name);

        var sources = Split("sources", "Referrals received by source", Received, Source, Choices.ReferrerTypes.Select(c => (c.Code, c.Label)), sum);
        var gender = Split("gender", "Referrals received by gender", Received, Gender, Choices.Genders.Select(c => (c.Code, c.Label)), sum);
        var ethnicity = Split("ethnicity", "Referrals received by ethnicity", Received, Ethnicity, Choices.Ethnicities.Select(c => (c.Code, c.Label)), sum);
        var age = Split("age", "Referrals received by age at referral", Received, AgeBand, ReportCounters.AgeBands.Select(b => (b.Band, b.Band.Replace("under-10", "Under 10", StringComparison.Ordinal))), sum);
        var notTaken = Split("not-taken", "Referrals not taken, by reason", NotTaken, NotTaken, NotTakenLabels, sum);
        var firstContact = Split("first-contact", "Time from referral to first contact", FirstContact, FirstContact, FirstContactBands.Select(b => (b.Band, BandLabel(b.Band))), sum);
        var within = firstContact.Categories.Take(4).Sum(c => c.Count.Value ?? 0);
        var within24 = Make("first-contact-24h", "First contact within 24 hours", FirstContact, firstContact.Total.Value ?? 0,
            [("within-24h", "Within 24 hours", within), ("after-24h", "After 24 hours", (firstContact.Total.Value ?? 0) - within)]);
        var risk = Split("risk-change", "Risk level at closure compared with allocation", RiskChange, RiskChange, RiskChanges.Select(r => (r, r switch { "reduced" => "Reduced", "same" => "Unchanged", _ => "Increased" })), sum);
        var overall = Make("wheel-overall", "My Wheel: overall score improved", WheelCouldImprove, C(WheelCouldImprove),
            [("improved", "Improved", C(WheelImproved)), ("not-improved", "Not improved", C(WheelCouldImprove) - C(WheelImproved))]);
        var domains = wheelDomains.Select(d =>
        {
            var could = C(Of(WheelCouldImprove, d));
            var improved = C(Of(WheelImprovedIn, d));
            var assessed = C(WheelAssessed);
            return new WheelDomain(d, DomainLabel(d),
                assessed == 0 ? null : Math.Round(C(Of(WheelBeforeSum, d)) / (double)assessed, 1),
                assessed == 0 ? null : Math.Round(C(Of(WheelAfterSum, d)) / (double)assessed, 1),
                Make("wheel-" + d, "My Wheel: " + DomainLabel(d) + " improved", Of(WheelCouldImprove, d), could, [("improved", "Improved", improved), ("not-improved", "Not improved", could - improved)]));
        }).ToList();
        var waited = Split("time-waited", "Time waited on the waiting list (referrals that left it)", WaitingLeft, Waited, WaitedBands.Select(b => (b.Band, WaitedLabel(b.Band))), sum);
        var meanWaited = C(WaitingLeft) == 0 ? (double?)null : Math.Round(C(WaitedDaysSum) / (double)C(WaitingLeft), 1);

        long size = byDate.Where(d => d.Key < from).Sum(d => d.Value.GetValueOrDefault(WaitingJoined) - d.Value.GetValueOrDefault(WaitingLeft));
        var series = new List<WaitingPoint>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            if (byDate.TryGetValue(day, out var counters))
            {
                size += counters.GetValueOrDefault(WaitingJoined) - counters.GetValueOrDefault(WaitingLeft);
            }

            series.Add(new WaitingPoint(day, Cell.Exact(size)));
        }

        var survey = SurveyQuestions.Select(q => Split("survey-" + q.Code, "Survey: " + q.Label, Survey + ":" + q.Code, Of(Survey, q.Code), Answers, sum)).ToList();
        var partner = PartnerQuestions.Select(q => Split("partner-" + q.Code, "Partner feedback: " + q.Label, PartnerFeedback + ":" + q.Code, Of(PartnerFeedback, q.Code), Answers, sum)).ToList();

        var set = new ReportSet(from, to, service, threshold, Cell.Exact(C(Received)), Cell.Exact(C(WorkedWith)), sources, gender, ethnicity, age, notTaken,
            firstContact, within24, risk, overall, domains, series, waited, meanWaited, survey, partner);
        if (threshold is { } t)
        {
            return Suppress(set, t);
        }

        return answerThreshold is { } a ? SuppressAnswers(set, a) : set;
    }

    /// <summary>Applies small-number suppression to the survey and partner-feedback answers alone; their totals are shared with no other figure.</summary>
    public static ReportSet SuppressAnswers(ReportSet set, int threshold)
    {
        ArgumentNullException.ThrowIfNull(set);
        var suppressed = Suppress(set, threshold);
        return set with { Survey = suppressed.Survey, PartnerFeedback = suppressed.PartnerFeedback };
    }

    /// <summary>Applies small-number suppression (see the class remarks).</summary>
    public static ReportSet Suppress(ReportSet set, int threshold)
    {
        ArgumentNullException.ThrowIfNull(set);
        bool Small(Cell c) => c.Value is { } v && v >= 1 && v < threshold;
        var small = new Cell(null, "<" + threshold.ToString(CultureInfo.InvariantCulture), CellState.Suppressed);
        var withheld = new Cell(null, WithheldDisplay, CellState.Withheld);

        // Totals from which a small count could be worked back: any total with a small category, or itself small.
        var hidden = set.Breakdowns.Where(b => Small(b.Total) || b.Categories.Any(c => Small(c.Count))).Select(b => b.TotalOf).ToHashSet(StringComparer.Ordinal);
        if (Small(set.Received))
        {
            hidden.Add(Received);
        }

        Breakdown Apply(Breakdown b)
        {
            var totalHidden = hidden.Contains(b.TotalOf);
            var total = Small(b.Total) ? small : totalHidden ? withheld : b.Total;
            return b with
            {
                Total = total,
                Categories = [.. b.Categories.Select(c => Small(c.Count)
                    ? c with { Count = small, Percent = null }
                    : c with { Percent = totalHidden ? null : c.Percent })],
            };
        }

        var enough = set.WheelOverall.Total.Value is null || set.WheelOverall.Total.Value >= threshold;
        return set with
        {
            Received = Small(set.Received) ? small : hidden.Contains(Received) ? withheld : set.Received,
            WorkedWith = Small(set.WorkedWith) ? small : set.WorkedWith,
            Sources = Apply(set.Sources),
            Gender = Apply(set.Gender),
            Ethnicity = Apply(set.Ethnicity),
            AgeBands = Apply(set.AgeBands),
            NotTaken = Apply(set.NotTaken),
            FirstContact = Apply(set.FirstContact),
            FirstContactWithin24Hours = Apply(set.FirstContactWithin24Hours),
            RiskChange = Apply(set.RiskChange),
            WheelOverall = Apply(set.WheelOverall),
            WheelDomains = [.. set.WheelDomains.Select(d => d with
            {
                MeanBefore = enough ? d.MeanBefore : null,
                MeanAfter = enough ? d.MeanAfter : null,
                Improvement = Apply(d.Improvement),
            })],
            WaitingListSize = [.. set.WaitingListSize.Select(p => Small(p.Size) ? p with { Size = small } : p)],
            TimeWaited = Apply(set.TimeWaited),
            MeanDaysWaited = set.TimeWaited.Total.Value is { } left && left < threshold ? null : set.MeanDaysWaited,
            Survey = [.. set.Survey.Select(Apply)],
            PartnerFeedback = [.. set.PartnerFeedback.Select(Apply)],
        };
    }

    public static string DomainLabel(string domain)
    {
        var words = domain.Replace('-', ' ');
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }

    private static Breakdown Split(string id, string title, string totalCounter, string prefix, IEnumerable<(string Code, string Label)> known, Dictionary<string, long> sum)
    {
        var categories = known.Select(k => (k.Code, k.Label, Count: sum.GetValueOrDefault(Of(prefix, k.Code)))).ToList();

        // Codes the list does not name (a retired choice, "not-recorded") still count.
        var knownCodes = categories.Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
        categories.AddRange(sum.Where(s => s.Key.StartsWith(prefix + ":", StringComparison.Ordinal) && s.Key.IndexOf(':', prefix.Length + 1) < 0 && !knownCodes.Contains(s.Key[(prefix.Length + 1)..]))
            .OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => (s.Key[(prefix.Length + 1)..], DomainLabel(s.Key[(prefix.Length + 1)..]), s.Value)));
        var total = sum.TryGetValue(totalCounter, out var t) ? t : categories.Sum(c => c.Count);
        return Make(id, title, totalCounter, total, categories);
    }

    private static Breakdown Make(string id, string title, string totalOf, long total, IEnumerable<(string Code, string Label, long Count)> categories) =>
        new(id, title, totalOf, Cell.Exact(total), [.. categories.Select(c => new Category(c.Code, c.Label, Cell.Exact(c.Count), total == 0 ? null : Math.Round(100.0 * c.Count / total, 1)))]);

    private static Dictionary<string, long> Sum(IEnumerable<IReadOnlyDictionary<string, long>> counters)
    {
        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var day in counters)
        {
            foreach (var (name, value) in day)
            {
                total[name] = total.GetValueOrDefault(name) + value;
            }
        }

        return total;
    }

    private static string BandLabel(string band) => band == "over-72h" ? "Over 72 hours" : band.Replace("h", " hours", StringComparison.Ordinal).Replace("-", " to ", StringComparison.Ordinal);

    private static string WaitedLabel(string band) => band == "over-56d" ? "Over 56 days" : band.Replace("d", " days", StringComparison.Ordinal).Replace("-", " to ", StringComparison.Ordinal);
}
