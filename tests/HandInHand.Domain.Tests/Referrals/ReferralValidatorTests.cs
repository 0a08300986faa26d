using HandInHand.Domain.Referrals;
using static HandInHand.Domain.Tests.Referrals.ReferralSubmissions;

namespace HandInHand.Domain.Tests.Referrals;

public class ReferralValidatorTests
{
    private static readonly IntakePolicy Policy = new();

    private static ValidationResult Validate(ReferralSubmission s) => ReferralValidator.Validate(s, ReferralDate, Policy);

    private static FieldError SingleError(ReferralSubmission s)
    {
        var result = Validate(s);
        Assert.False(result.IsValid);
        Assert.Null(result.Form);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void ACompleteFormIsValidAndTrimmed()
    {
        var result = Validate(WithYoungPerson(y => y with { FirstName = "  Alex  " }));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal("Alex", result.Form!.YoungPerson.FirstName);
        Assert.Equal(new DateOnly(2011, 5, 14), result.Form.YoungPerson.DateOfBirth);
        Assert.Equal(RiskLevel.High, result.Form.RiskLevel);
        Assert.Equal(["cse", "online-grooming"], result.Form.Concerns);
    }

    [Fact]
    public void AnEmptyFormReportsEveryRequiredFieldAtOnce()
    {
        var result = Validate(new ReferralSubmission());

        var fields = result.Errors.Select(e => e.Field).ToHashSet();
        string[] expected =
        [
            "youngPerson.firstName", "youngPerson.lastName", "youngPerson.dateOfBirth", "youngPerson.gender",
            "youngPerson.ethnicity", "youngPerson.region", "youngPerson.safeContact", "concerns", "riskLevel",
            "youngPersonKnowsAboutReferral", "youngPersonAgreesToReferral", "referrer.name", "referrer.type", "referrer.email",
        ];
        Assert.Superset(expected.ToHashSet(), fields);
    }

    [Theory]
    [InlineData("2018-11-23", true)]  // 8 today: youngest accepted
    [InlineData("2018-11-24", false)] // 8 tomorrow: 7 today
    [InlineData("2005-11-24", true)]  // 20, with additional needs
    [InlineData("2004-11-24", true)]  // 21 until tomorrow
    [InlineData("2004-11-23", false)] // 22 today
    public void AgeOutsideEightToTwentyOneOnTheDayOfReferralIsRejected(string dateOfBirth, bool accepted)
    {
        var s = WithYoungPerson(y => y with { DateOfBirth = dateOfBirth }) with { AdditionalNeeds = "Learning disability" };

        var result = Validate(s);

        Assert.Equal(accepted, result.IsValid);
        if (!accepted)
        {
            var error = Assert.Single(result.Errors);
            Assert.Equal("youngPerson.dateOfBirth", error.Field);
            Assert.Contains("8 to 21", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void OverEighteenWithoutAdditionalNeedsAsksForThem()
    {
        var error = SingleError(WithYoungPerson(y => y with { DateOfBirth = "2007-01-01" }));

        Assert.Equal("additionalNeeds", error.Field);
    }

    [Fact]
    public void ADateOfBirthInTheFutureIsRejected()
    {
        var error = SingleError(WithYoungPerson(y => y with { DateOfBirth = "2026-11-24" }));

        Assert.Equal("youngPerson.dateOfBirth", error.Field);
        Assert.Contains("past", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("14/05/2011")]
    [InlineData("2011-02-30")]
    [InlineData("yesterday")]
    public void ADateOfBirthThatIsNotARealIsoDateIsRejected(string dateOfBirth)
    {
        var error = SingleError(WithYoungPerson(y => y with { DateOfBirth = dateOfBirth }));

        Assert.Equal("youngPerson.dateOfBirth", error.Field);
        Assert.DoesNotContain(dateOfBirth, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoWayToReachTheReferrerIsRejected()
    {
        var error = SingleError(WithReferrer(r => r with { Email = null, Phone = "  " }));

        Assert.Equal("referrer.email", error.Field);
        Assert.Contains("reach you", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "01904 555123")]
    [InlineData("sam@example.org", null)]
    public void EitherEmailOrPhoneIsEnoughToReachTheReferrer(string? email, string? phone)
    {
        Assert.True(Validate(WithReferrer(r => r with { Email = email, Phone = phone })).IsValid);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("two@at@example.org")]
    [InlineData("Sam <sam@example.org>")]
    [InlineData("sam@localhost")]
    public void AMalformedReferrerEmailIsRejected(string email)
    {
        var error = SingleError(WithReferrer(r => r with { Email = email }));

        Assert.Equal("referrer.email", error.Field);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("call me")]
    [InlineData("0190455512345678901")]
    public void AMalformedPhoneIsRejected(string phone)
    {
        var error = SingleError(WithReferrer(r => r with { Phone = phone }));

        Assert.Equal("referrer.phone", error.Field);
    }

    [Fact]
    public void AnUnknownConcernCategoryIsRejected()
    {
        var error = SingleError(ReferralSubmissions.Valid() with { Concerns = ["cse", "gang-violence"] });

        Assert.Equal("concerns", error.Field);
        Assert.DoesNotContain("gang-violence", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoConcernIsRejected()
    {
        Assert.Equal("concerns", SingleError(ReferralSubmissions.Valid() with { Concerns = [] }).Field);
    }

    [Fact]
    public void TheOtherConcernNeedsADescription()
    {
        var error = SingleError(ReferralSubmissions.Valid() with { Concerns = ["other"], ConcernDetails = null });

        Assert.Equal("concernDetails", error.Field);
    }

    [Fact]
    public void ConcernsAreStoredInTheListOrderWithoutDuplicates()
    {
        var result = Validate(ReferralSubmissions.Valid() with { Concerns = ["missing", "cse", "missing"] });

        Assert.Equal(["cse", "missing"], result.Form!.Concerns);
    }

    [Theory]
    [InlineData("riskLevel")]
    [InlineData("youngPerson.gender")]
    [InlineData("youngPerson.ethnicity")]
    [InlineData("referrer.type")]
    public void AnUnknownCodeInAClosedListIsRejected(string field)
    {
        var s = field switch
        {
            "riskLevel" => ReferralSubmissions.Valid() with { RiskLevel = "extreme" },
            "youngPerson.gender" => WithYoungPerson(y => y with { Gender = "F" }),
            "youngPerson.ethnicity" => WithYoungPerson(y => y with { Ethnicity = "unknown-code" }),
            _ => WithReferrer(r => r with { Type = "neighbour" }),
        };

        Assert.Equal(field, SingleError(s).Field);
    }

    [Fact]
    public void ARegionTheServiceDoesNotCoverIsRejected()
    {
        Assert.Equal("youngPerson.region", SingleError(WithYoungPerson(y => y with { Region = "Leeds" })).Field);
    }

    [Fact]
    public void RegionsComeFromThePolicy()
    {
        var policy = new IntakePolicy { Regions = ["Leeds"] };

        Assert.True(ReferralValidator.Validate(WithYoungPerson(y => y with { Region = "leeds" }), ReferralDate, policy).IsValid);
        Assert.False(ReferralValidator.Validate(ReferralSubmissions.Valid(), ReferralDate, policy).IsValid);
    }

    [Theory]
    [InlineData("youngPerson.firstName", FieldLimits.Name)]
    [InlineData("youngPerson.safeContact", FieldLimits.SafeContact)]
    [InlineData("concernDetails", FieldLimits.LongText)]
    [InlineData("referrer.organisation", FieldLimits.Organisation)]
    public void AnOverLongFieldIsRejectedWithItsLimit(string field, int limit)
    {
        var text = new string('x', limit + 1);
        var s = field switch
        {
            "youngPerson.firstName" => WithYoungPerson(y => y with { FirstName = text }),
            "youngPerson.safeContact" => WithYoungPerson(y => y with { SafeContact = text }),
            "concernDetails" => ReferralSubmissions.Valid() with { ConcernDetails = text },
            _ => WithReferrer(r => r with { Organisation = text }),
        };

        var error = SingleError(s);

        Assert.Equal(field, error.Field);
        Assert.Contains(limit.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.True(Validate(field switch
        {
            "youngPerson.firstName" => WithYoungPerson(y => y with { FirstName = text[1..] }),
            "youngPerson.safeContact" => WithYoungPerson(y => y with { SafeContact = text[1..] }),
            "concernDetails" => ReferralSubmissions.Valid() with { ConcernDetails = text[1..] },
            _ => WithReferrer(r => r with { Organisation = text[1..] }),
        }).IsValid);
    }

    [Fact]
    public void ControlCharactersInTextAreRejected()
    {
        Assert.Equal("youngPerson.lastName", SingleError(WithYoungPerson(y => y with { LastName = "Ex\u0000ample" })).Field);
    }

    [Fact]
    public void AProfessionalReferrerNamesTheirOrganisationButAParentNeedNot()
    {
        Assert.Equal("referrer.organisation", SingleError(WithReferrer(r => r with { Organisation = null })).Field);
        Assert.True(Validate(WithReferrer(r => r with { Organisation = null, Type = "parent-carer" })).IsValid);
    }

    [Fact]
    public void WhetherTheYoungPersonKnowsAndAgreesMustBeAnswered()
    {
        var result = Validate(ReferralSubmissions.Valid() with { YoungPersonKnowsAboutReferral = null, YoungPersonAgreesToReferral = null });

        Assert.Equal(["youngPersonKnowsAboutReferral", "youngPersonAgreesToReferral"], result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void NoMessageRepeatsASubmittedValue()
    {
        const string marker = "ZQXMARKER";
        var s = new ReferralSubmission
        {
            YoungPerson = new YoungPersonSubmission { FirstName = marker + new string('a', 200), DateOfBirth = marker, Gender = marker, Ethnicity = marker, Region = marker, Phone = marker },
            Concerns = [marker],
            RiskLevel = marker,
            Referrer = new ReferrerSubmission { Type = marker, Email = marker, Phone = marker },
        };

        var result = Validate(s);

        Assert.NotEmpty(result.Errors);
        Assert.All(result.Errors, e => Assert.DoesNotContain(marker, e.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2010-02-28", "2026-02-27", 15)]
    [InlineData("2010-02-28", "2026-02-28", 16)]
    [InlineData("2008-02-29", "2026-02-28", 17)]
    [InlineData("2008-02-29", "2026-03-01", 18)]
    public void AgeCountsWholeYearsIncludingLeapDayBirthdays(string dob, string on, int age)
    {
        Assert.Equal(age, ReferralValidator.AgeOn(DateOnly.Parse(dob, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
