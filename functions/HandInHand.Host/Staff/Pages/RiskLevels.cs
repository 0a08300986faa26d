using HandInHand.Domain.Referrals;

namespace HandInHand.Host.Staff.Pages;

/// <summary>The risk levels as a form offers them, highest first, by the word each radio posts.</summary>
internal static class RiskLevels
{
    public static readonly IReadOnlyList<(string Value, string Label)> Choices = [("high", "High"), ("medium", "Medium"), ("standard", "Standard")];

    public static RiskLevel? Parse(string? value) => value switch
    {
        "high" => RiskLevel.High,
        "medium" => RiskLevel.Medium,
        "standard" => RiskLevel.Standard,
        _ => null,
    };
}
