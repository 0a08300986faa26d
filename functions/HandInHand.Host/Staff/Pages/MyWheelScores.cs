using System.Globalization;
using HandInHand.Domain.Referrals;

namespace HandInHand.Host.Staff.Pages;

/// <summary>My Wheel scores as typed on a form, one box per domain, each a whole number from 1 to 10.</summary>
internal static class MyWheelScores
{
    /// <summary>
    /// The scores by domain; an error for each box that is not a score, named by
    /// <paramref name="prefix"/> and the domain. When <paramref name="required"/> is false, all boxes
    /// left empty are no scores at all (an empty set), not an error.
    /// </summary>
    public static Dictionary<string, int> Parse(string prefix, IReadOnlyDictionary<string, string?> typed, List<FieldError> errors, bool required)
    {
        var scores = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!required && typed.Values.All(string.IsNullOrEmpty))
        {
            return scores;
        }

        foreach (var (domain, text) in typed)
        {
            var label = Domain.Reports.ReportBook.DomainLabel(domain);
            if (string.IsNullOrEmpty(text))
            {
                errors.Add(new(prefix + domain, $"Enter the score for {label}, from 1 to 10."));
            }
            else if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 10)
            {
                scores[domain] = n;
            }
            else
            {
                errors.Add(new(prefix + domain, $"The score for {label} is a whole number from 1 to 10."));
            }
        }

        return scores;
    }
}
