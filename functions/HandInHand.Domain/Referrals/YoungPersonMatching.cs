using System.Globalization;
using System.Text;

namespace HandInHand.Domain.Referrals;

/// <summary>
/// When two referrals may be about the same young person: the same date of birth and a similar
/// name, or the same phone number. "Similar" forgives case, accents, punctuation, a swapped first
/// and last name, and up to two typing slips in the whole name.
/// </summary>
public static class YoungPersonMatching
{
    /// <summary>A name reduced to lower-case unaccented letters, first and last separated by one space.</summary>
    public static string NormaliseName(string firstName, string lastName) => Letters(firstName) + " " + Letters(lastName);

    /// <summary>A phone number reduced to its digits, with a UK +44 prefix read as a leading 0.</summary>
    public static string NormalisePhone(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        var digits = new string([.. phone.Where(char.IsAsciiDigit)]);
        return phone.TrimStart().StartsWith('+') && digits.StartsWith("44", StringComparison.Ordinal) ? "0" + digits[2..] : digits;
    }

    public static bool AreSimilarNames(string normalisedA, string normalisedB)
    {
        ArgumentNullException.ThrowIfNull(normalisedA);
        ArgumentNullException.ThrowIfNull(normalisedB);
        if (Distance(normalisedA, normalisedB) <= 2)
        {
            return true;
        }

        var parts = normalisedB.Split(' ', 2);
        return parts.Length == 2 && Distance(normalisedA, parts[1] + " " + parts[0]) <= 2;
    }

    private static string Letters(string text)
    {
        var decomposed = (text ?? string.Empty).Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && char.IsLetter(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        return sb.ToString();
    }

    /// <summary>Levenshtein distance.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
