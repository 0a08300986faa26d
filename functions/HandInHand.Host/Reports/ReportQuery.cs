using System.Globalization;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Domain.Reports;
using HandInHand.Host.Web;
using HandInHand.Infrastructure.Reports;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Reports;

/// <summary>A report request: the range (inclusive, UTC dates) and the service, checked field by field.</summary>
public sealed record ReportRange(DateOnly From, DateOnly To, string Service)
{
    public const string AllServices = "all";

    /// <summary>The earliest date a report may name: long before any referral, and far from the calendar's first day.</summary>
    public static readonly DateOnly Earliest = new(1900, 1, 1);

    /// <summary>The latest date a report may name: far beyond any plan, and far from the calendar's last day.</summary>
    public static readonly DateOnly Latest = new(2099, 12, 31);

    /// <summary>The services a report may be asked for.</summary>
    public static readonly IReadOnlyList<string> ServiceCodes = [AllServices, .. Choices.Services.Select(c => c.Code)];

    /// <summary>Reads <c>from</c>, <c>to</c> and <c>service</c> from the query string; defaults are the twelve months to today and every service.</summary>
    public static (ReportRange? Range, IReadOnlyList<FieldError> Errors) Parse(QueryValues query, DateOnly today, int maxDays)
    {
        ArgumentNullException.ThrowIfNull(query);
        var givenTo = query.Date("to", Earliest, Latest);
        var givenFrom = query.Date("from", Earliest, Latest);
        var service = query.Code("service", ServiceCodes) ?? AllServices;
        if (!query.IsValid)
        {
            return (null, query.Errors);
        }

        var to = givenTo ?? today;
        var from = givenFrom ?? to.AddYears(-1).AddDays(1);
        if (from > to)
        {
            return (null, [new(givenFrom is null ? "to" : "from", "The start of the range must not be after its end.")]);
        }

        if (to.DayNumber - from.DayNumber + 1 > maxDays)
        {
            // Named against a parameter the caller gave, so the message sits beside what they can change.
            return (null, [new(givenTo is null ? "from" : "to", $"A range may cover at most {maxDays} days.")]);
        }

        return (new ReportRange(from, to, service), []);
    }

    public IReadOnlyList<ServicePathway> Pathways => Service switch
    {
        "hand-in-hand" => [ServicePathway.HandInHand],
        "trusted-relationships" => [ServicePathway.TrustedRelationships],
        _ => [ServicePathway.HandInHand, ServicePathway.TrustedRelationships],
    };

    public string QueryString => $"from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}&service={Uri.EscapeDataString(Service)}";
}

/// <summary>Builds the report set for a range from the daily totals: one query per service, whatever the number of referrals.</summary>
public sealed class ReportQuery(ReportReader reader, IOptions<LifecycleSettings> lifecycle, IOptions<ReportOptions> options)
{
    /// <summary>The earliest date the waiting list's running size starts from.</summary>
    private static readonly DateOnly Origin = new(2000, 1, 1);

    public int Threshold => options.Value.SuppressionThreshold;

    /// <param name="suppress">True for analysts and exports; false for a manager on screen (survey answers are suppressed all the same).</param>
    public async Task<ReportSet> RunAsync(ReportRange range, bool suppress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        // Each pathway is its own partition: read at once, the set waits for the slower one, not for both.
        var reads = range.Pathways.Select(pathway => reader.ReadAsync(pathway.ToString(), Origin, range.To, cancellationToken)).ToArray();
        var days = (await Task.WhenAll(reads).ConfigureAwait(false)).SelectMany(pathway => pathway.Select(d => (d.Date, d.Counters))).ToList();

        return ReportBook.Build(days, range.From, range.To, range.Service, lifecycle.Value.EffectiveMyWheelDomains, suppress ? Threshold : null, answerThreshold: Threshold);
    }
}
