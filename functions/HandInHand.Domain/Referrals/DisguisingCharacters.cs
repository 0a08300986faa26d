using System.Globalization;
using System.Text;

namespace HandInHand.Domain.Referrals;

/// <summary>
/// Characters that change how text looks without showing themselves: bidirectional controls that
/// reverse or reorder a run ("Ali\u202Eecn" shows as "Alince"), and invisible characters that make
/// two different strings look the same. Text written by people outside the service (the referral
/// form) is shown to staff, who must be able to trust that a name reads as it is stored.
/// </summary>
/// <remarks>
/// Two levels, because what is legitimate differs:
/// <list type="bullet">
/// <item>Names (and other short identifying fields) take no format character at all, except the
/// zero-width joiner and non-joiner between two letters of a script that shapes with them
/// (a Persian compound name such as Ali-Reza, written with a non-joiner between its parts; Devanagari and other Indic conjuncts). Between Latin, Greek, Cyrillic or
/// Armenian letters they change nothing visible, so there they only disguise.</item>
/// <item>Free text also takes the directional marks (U+200E, U+200F, U+061C), which mixed Arabic or
/// Hebrew and English writing needs and which cannot reverse a run; the joiners anywhere (emoji
/// sequences); and variation selectors and soft hyphens.</item>
/// </list>
/// Both refuse the embedding, override and isolate controls, zero-width space, word joiner and
/// the invisible operators, the byte-order mark, the interlinear annotation controls, tag
/// characters, and the blank "letters" used to make names look empty (Hangul fillers, Braille blank).
/// Ordinary right-to-left writing needs none of these: "مريم" and "שרה" are plain letters.
/// </remarks>
public static class DisguisingCharacters
{
    /// <summary>True when <paramref name="text"/>, a name, contains a character that could disguise it.</summary>
    public static bool AnyInName(string? text) => Find(text, freeText: false);

    /// <summary>True when <paramref name="text"/>, free text, contains a character that could disguise it.</summary>
    public static bool AnyInFreeText(string? text) => Find(text, freeText: true);

    private static bool Find(string? text, bool freeText)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var runes = text.EnumerateRunes().ToArray();
        for (var i = 0; i < runes.Length; i++)
        {
            var value = runes[i].Value;
            if (IsAlwaysRefused(value))
            {
                return true;
            }

            if (value is 0x200C or 0x200D)
            {
                if (!freeText && !(i > 0 && i < runes.Length - 1 && ShapesWithJoiners(runes[i - 1]) && ShapesWithJoiners(runes[i + 1])))
                {
                    return true;
                }

                continue;
            }

            if (freeText && (value is 0x200E or 0x200F or 0x061C or 0x00AD || IsVariationSelector(value)))
            {
                continue;
            }

            if (!freeText && (IsVariationSelector(value) || value == 0x034F))
            {
                return true;
            }

            // Every other format character is invisible or reorders text and no name needs one; free
            // text keeps only the visible signs that Arabic and Syriac numbers are written with.
            if (Rune.GetUnicodeCategory(runes[i]) == UnicodeCategory.Format
                && (!freeText || value is not ((>= 0x0600 and <= 0x0605) or 0x06DD or 0x070F or 0x08E2)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAlwaysRefused(int value) => value switch
    {
        >= 0x202A and <= 0x202E => true, // embeddings and overrides
        >= 0x2066 and <= 0x2069 => true, // isolates
        0x200B => true,                  // zero-width space
        >= 0x2060 and <= 0x2064 => true, // word joiner, invisible operators
        >= 0x206A and <= 0x206F => true, // deprecated shaping controls
        0xFEFF => true,                  // byte-order mark, zero-width no-break space
        >= 0xFFF9 and <= 0xFFFB => true, // interlinear annotation
        >= 0xE0000 and <= 0xE007F => true, // tags
        0x115F or 0x1160 or 0x3164 or 0xFFA0 => true, // Hangul fillers: blank letters
        0x2800 => true,                  // Braille blank
        0x180E => true,                  // Mongolian vowel separator
        _ => false,
    };

    private static bool IsVariationSelector(int value) => value is (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF);

    /// <summary>A letter or mark of a script past Armenian (Hebrew onwards), where the joiners can change a word's shape.</summary>
    private static bool ShapesWithJoiners(Rune rune) =>
        rune.Value >= 0x0590 && Rune.GetUnicodeCategory(rune) is UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
}
