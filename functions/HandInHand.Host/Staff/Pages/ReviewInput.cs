using System.Globalization;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// The review form as typed: a My Wheel score for each domain, the Traffic Light Tracker as rows
/// of an indicator and its rating, and the current risk level. Kept as the raw text so that a form
/// sent back with errors shows exactly what was typed.
/// </summary>
internal sealed record ReviewInput(
    IReadOnlyDictionary<string, string?> MyWheel, IReadOnlyList<(string? Indicator, string? Rating)> TrafficLights, string? RiskLevel, string? CommandKey)
{
    public const string MyWheelPrefix = "myWheel.";
    public const string MyWheelField = "myWheel";
    public const string TrafficLightsField = "trafficLights";
    public const string RiskField = "review.riskLevel";

    /// <summary>How many Traffic Light rows the form offers; a row left empty is not sent.</summary>
    public const int TrafficLightRows = 6;

    public static string IndicatorField(int row) => $"trafficLights.{row.ToString(CultureInfo.InvariantCulture)}.indicator";

    public static string RatingField(int row) => $"trafficLights.{row.ToString(CultureInfo.InvariantCulture)}.rating";

    /// <summary>The form as posted, for the configured domains.</summary>
    public static ReviewInput From(IFormCollection form, IReadOnlyList<string> domains)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(domains);
        string? Value(string name) => form.TryGetValue(name, out var v) ? v.ToString().Trim() : null;
        return new(
            domains.ToDictionary(d => d, d => Value(MyWheelPrefix + d), StringComparer.Ordinal),
            [.. Enumerable.Range(0, TrafficLightRows).Select(i => (Value(IndicatorField(i)), Value(RatingField(i))))],
            Value(RiskField),
            Value(FirstContactInput.CommandKeyField));
    }

    /// <summary>An empty form: the Traffic Light rows blank.</summary>
    public static ReviewInput Blank(IReadOnlyList<string> domains, string commandKey) => new(
        domains.ToDictionary(d => d, _ => (string?)null, StringComparer.Ordinal),
        [.. Enumerable.Repeat<(string?, string?)>((null, null), TrafficLightRows)],
        null,
        commandKey);

    /// <summary>The scores, the ratings and the risk level, or the errors field by field.</summary>
    public (IReadOnlyDictionary<string, int> MyWheel, IReadOnlyDictionary<string, TrafficLight> TrafficLights, RiskLevel Risk, IReadOnlyList<FieldError> Errors) Parse()
    {
        var errors = new List<FieldError>();
        var wheel = MyWheelScores.Parse(MyWheelPrefix, MyWheel, errors, required: true);

        var lights = new Dictionary<string, TrafficLight>(StringComparer.Ordinal);
        for (var i = 0; i < TrafficLights.Count; i++)
        {
            var (indicator, rating) = TrafficLights[i];
            var light = rating switch { "green" => TrafficLight.Green, "amber" => TrafficLight.Amber, "red" => TrafficLight.Red, _ => (TrafficLight?)null };
            if (string.IsNullOrEmpty(indicator) && string.IsNullOrEmpty(rating))
            {
                continue;
            }

            if (string.IsNullOrEmpty(indicator) || indicator.Length > 100)
            {
                errors.Add(new(IndicatorField(i), "Name the indicator in 1 to 100 characters, or clear its rating."));
            }
            else if (light is null)
            {
                errors.Add(new(RatingField(i), $"Choose red, amber or green for \"{indicator}\"."));
            }
            else if (!lights.TryAdd(indicator, light.Value))
            {
                errors.Add(new(IndicatorField(i), $"\"{indicator}\" is named twice. Rate each indicator once."));
            }
        }

        var risk = RiskLevels.Parse(RiskLevel);
        if (risk is null)
        {
            errors.Add(new(RiskField, "Choose the risk level now: high, medium or standard."));
        }

        return (wheel, lights, risk ?? Domain.Referrals.RiskLevel.Standard, errors);
    }
}
