using HandInHand.Domain.Referrals;
using static HandInHand.Domain.Tests.Referrals.ReferralSubmissions;

namespace HandInHand.Domain.Tests.Referrals;

/// <summary>
/// Names and free text that staff will read cannot carry characters that reverse or hide part of
/// them; ordinary right-to-left writing and the joiners some scripts need stay valid.
/// </summary>
public class DisguisedTextTests
{
    private static ValidationResult Validate(ReferralSubmission s) => ReferralValidator.Validate(s, ReferralDate, new IntakePolicy());

    public static TheoryData<string> DisguisedNames => new()
    {
        "Ali\u202Eecn",          // right-to-left override: shows as "Alince"
        "Sam\u202Aantha",        // left-to-right embedding
        "\u2067Sam\u2069",       // right-to-left isolate
        "Ja\u200Bne",            // zero-width space
        "Ja\u200Cne",            // zero-width non-joiner between Latin letters
        "Ja\u200Dne",            // zero-width joiner between Latin letters
        "Ale\u2060x",            // word joiner
        "\uFEFFAlex",            // byte-order mark at the start
        "Al\u00ADex",            // soft hyphen
        "Alex\u200E",            // left-to-right mark in a name
        "\u3164",                // Hangul filler: a name that looks empty
        "A\u034Flex",            // combining grapheme joiner
        "Alex\U000E0041",        // tag character
        "Ale\uFE0Fx",            // variation selector
    };

    [Theory]
    [MemberData(nameof(DisguisedNames))]
    public void ANameWithAnInvisibleOrDirectionChangingCharacterIsRefusedAgainstItsField(string name)
    {
        var result = Validate(WithYoungPerson(y => y with { FirstName = name }));

        var error = Assert.Single(result.Errors);
        Assert.Equal("youngPerson.firstName", error.Field);
        Assert.DoesNotContain(name, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("youngPerson.lastName")]
    [InlineData("youngPerson.schoolOrSetting")]
    [InlineData("youngPerson.safeContact")]
    [InlineData("concernDetails")]
    [InlineData("additionalNeeds")]
    [InlineData("otherAgencies")]
    [InlineData("referrer.name")]
    [InlineData("referrer.organisation")]
    public void EveryTextFieldStaffReadRefusesARightToLeftOverride(string field)
    {
        const string text = "Example \u202Etext";
        var s = Valid();
        s = field switch
        {
            "youngPerson.lastName" => WithYoungPerson(y => y with { LastName = text }),
            "youngPerson.schoolOrSetting" => WithYoungPerson(y => y with { SchoolOrSetting = text }),
            "youngPerson.safeContact" => WithYoungPerson(y => y with { SafeContact = text }),
            "concernDetails" => s with { ConcernDetails = text },
            "additionalNeeds" => s with { AdditionalNeeds = text },
            "otherAgencies" => s with { OtherAgencies = text },
            "referrer.name" => WithReferrer(r => r with { Name = text }),
            _ => WithReferrer(r => r with { Organisation = text }),
        };

        var error = Assert.Single(Validate(s).Errors);
        Assert.Equal(field, error.Field);
    }

    [Theory]
    [InlineData("مريم")]                          // Arabic
    [InlineData("שרה")]                           // Hebrew
    [InlineData("علی\u200Cرضا")]                  // Persian, with the non-joiner its spelling needs
    [InlineData("क्\u200Dष")]                     // Devanagari, a joiner after the virama
    [InlineData("Zoë O'Brien-Łukasz")]
    public void OrdinaryNamesInAnyScriptStayValid(string name)
    {
        var result = Validate(WithYoungPerson(y => y with { FirstName = name, LastName = name }) with { });

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(name, result.Form!.YoungPerson.FirstName);
    }

    [Fact]
    public void FreeTextKeepsTheDirectionalMarksAndJoinersThatMixedWritingNeeds()
    {
        var s = Valid() with { ConcernDetails = "Goes by \u200Fמרים\u200F at school; sent 👨\u200D👩\u200D👧 and ❤\uFE0F messages" };

        var result = Validate(s);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }
}
