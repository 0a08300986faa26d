using System.Globalization;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Domain.Reports;
using HandInHand.Infrastructure.Reports;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Reports;

/// <summary>A report request: the range (inclusive, UTC dates) and the service, checked field by field.</summary>
public sealed record ReportRange(DateOnly From, DateOnly To, string Service)
{
    public const string AllServices = "all";

    /// <summary>Reads <c>from</c>, <c>to</c> and <c>service</c> from the query string; defaults are the twelve months to today and every service.</summary>
    public static (ReportRange? Range, IReadOnlyList<FieldError> Errors) Parse(IQueryCollection query, DateOnly today, int maxDays)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new List<FieldError>();
        DateOnly? Date(string name, DateOnly fallback)
        {
            var text = query[name].ToString();
            if (string.IsNullOrEmpty(text))
            {
                return fallback;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            errors.Add(new(name, "Give a date as YYYY-MM-DD."));
            return null;
        }

        var to = Date("to", today);
        var from = Date("from", (to ?? today).AddYears(-1).AddDays(1));
        var service = query["service"].ToString() is { Length: > 0 } s ? s : AllServices;
        if (service != AllServices && !Choices.Contains(Choices.Services, service))
        {
            errors.Add(new("service", "Choose hand-in-hand, trusted-relationships or all."));
        }

        if (from is { } f && to is { } t)
        {
            if (f > t)
            {
                errors.Add(new("from", "The start of the range must not be after its end."));
            }
            else if (t.DayNumber - f.DayNumber + 1 > maxDays)
            {
                errors.Add(new("to", $"A range may cover at most {maxDays} days."));
            }
        }

        return errors.Count > 0 ? (null, errors) : (new ReportRange(from!.Value, to!.Value, service), []);
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
        var days = new List<(DateOnly, IReadOnlyDictionary<string, long>)>();
        foreach (var pathway in range.Pathways)
        {
            days.AddRange((await reader.ReadAsync(pathway.ToString(), Origin, range.To, cancellationToken).ConfigureAwait(false)).Select(d => (d.Date, d.Counters)));
        }

        return ReportBook.Build(days, range.From, range.To, range.Service, lifecycle.Value.EffectiveMyWheelDomains, suppress ? Threshold : null, answerThreshold: Threshold);
    }
}
