using HandInHand.Domain.Referrals;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// The closing form as typed: the reason, the final My Wheel (one box per domain) and the risk
/// level at closure. Kept as the raw text so that a form sent back with errors shows what was typed.
/// </summary>
internal sealed record CloseInput(string? Reason, IReadOnlyDictionary<string, string?> FinalMyWheel, string? RiskLevel, string? CommandKey)
{
    public const string ReasonField = "close.reason";
    public const string FinalMyWheelPrefix = "finalMyWheel.";
    public const string FinalMyWheelField = "finalMyWheel";
    public const string RiskField = "close.riskLevel";
    public const int ReasonMaxLength = 2000;

    public static CloseInput From(IFormCollection form, IReadOnlyList<string> domains)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(domains);
        string? Value(string name) => form.TryGetValue(name, out var v) ? v.ToString().Trim() : null;
        return new(Value(ReasonField), domains.ToDictionary(d => d, d => Value(FinalMyWheelPrefix + d), StringComparer.Ordinal), Value(RiskField), Value(FirstContactInput.CommandKeyField));
    }

    public static CloseInput Blank(IReadOnlyList<string> domains, string commandKey) =>
        new(null, domains.ToDictionary(d => d, _ => (string?)null, StringComparer.Ordinal), null, commandKey);

    /// <summary>
    /// The reason, the final scores and the risk, or the errors field by field. The final My Wheel
    /// is needed once support has started (<paramref name="wheelRequired"/>); before it, all boxes
    /// may be left empty.
    /// </summary>
    public (string Reason, IReadOnlyDictionary<string, int> FinalMyWheel, RiskLevel Risk, IReadOnlyList<FieldError> Errors) Parse(bool wheelRequired)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(Reason))
        {
            errors.Add(new(ReasonField, "Enter the reason for closing the case."));
        }
        else if (Reason.Length > ReasonMaxLength)
        {
            errors.Add(new(ReasonField, $"The reason can be at most {ReasonMaxLength} characters."));
        }

        var wheel = MyWheelScores.Parse(FinalMyWheelPrefix, FinalMyWheel, errors, wheelRequired);
        var risk = RiskLevels.Parse(RiskLevel);
        if (risk is null)
        {
            errors.Add(new(RiskField, "Choose the risk level at closure: high, medium or standard."));
        }

        return (Reason ?? string.Empty, wheel, risk ?? Domain.Referrals.RiskLevel.Standard, errors);
    }
}
