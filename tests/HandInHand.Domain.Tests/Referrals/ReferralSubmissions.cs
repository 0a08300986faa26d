using HandInHand.Domain.Referrals;

namespace HandInHand.Domain.Tests.Referrals;

/// <summary>A complete, valid submission to vary one field at a time.</summary>
internal static class ReferralSubmissions
{
    public static readonly DateOnly ReferralDate = new(2026, 11, 23);

    public static ReferralSubmission Valid() => new()
    {
        YoungPerson = new YoungPersonSubmission
        {
            FirstName = "Alex",
            LastName = "Example",
            DateOfBirth = "2011-05-14",
            Gender = "female",
            Ethnicity = "white",
            Region = "Selby",
            SchoolOrSetting = "Example Academy",
            SafeContact = "Through her social worker on weekdays",
            Phone = "07700 900123",
        },
        Concerns = ["cse", "online-grooming"],
        ConcernDetails = "Contact with older adults online",
        RiskLevel = "high",
        YoungPersonKnowsAboutReferral = true,
        YoungPersonAgreesToReferral = true,
        Referrer = new ReferrerSubmission
        {
            Name = "Sam Worker",
            Organisation = "Children's Social Care",
            Type = "social-care",
            Email = "sam.worker@example.org",
            Phone = "01904 555123",
        },
    };

    public static ReferralSubmission WithYoungPerson(Func<YoungPersonSubmission, YoungPersonSubmission> change)
    {
        var s = Valid();
        return s with { YoungPerson = change(s.YoungPerson!) };
    }

    public static ReferralSubmission WithReferrer(Func<ReferrerSubmission, ReferrerSubmission> change)
    {
        var s = Valid();
        return s with { Referrer = change(s.Referrer!) };
    }
}
