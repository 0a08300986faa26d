using System.Globalization;
using System.Text.RegularExpressions;

namespace HandInHand.Domain.Referrals;

/// <summary>
/// A referral's human-friendly reference, <c>HH-2026-00042</c>: a prefix, the year it arrived
/// and its place in that year's sequence. It identifies a referral without saying anything about
/// the young person, so it is the one identifier that may appear in emails, URLs and logs.
/// </summary>
public readonly partial record struct ReferenceNumber(string Prefix, int Year, long Sequence)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}-{Year:D4}-{Sequence:D5}");

    /// <summary>Parses a reference, tolerating case and surrounding spaces; false for anything else.</summary>
    public static bool TryParse(string? text, out ReferenceNumber reference)
    {
        reference = default;
        if (text is null)
        {
            return false;
        }

        var match = Pattern().Match(text.Trim().ToUpperInvariant());
        if (!match.Success)
        {
            return false;
        }

        reference = new ReferenceNumber(
            match.Groups["prefix"].Value,
            int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture),
            long.Parse(match.Groups["seq"].Value, CultureInfo.InvariantCulture));
        return reference.Sequence > 0;
    }

    [GeneratedRegex(@"^(?<prefix>[A-Z]{2,5})-(?<year>\d{4})-(?<seq>\d{5,9})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Pattern();
}
