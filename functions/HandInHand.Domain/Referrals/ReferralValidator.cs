using System.Globalization;
using System.Net.Mail;

namespace HandInHand.Domain.Referrals;

/// <summary>
/// Validates a submitted referral form against the intake policy. Every problem is reported
/// against its field; nothing here reads the clock: the referral date comes in as data.
/// </summary>
public static class ReferralValidator
{
    /// <summary>Validates <paramref name="submission"/> as received on <paramref name="referralDate"/> (the service's local date).</summary>
    /// <returns>The typed form, or the field errors (never both).</returns>
    public static ValidationResult Validate(ReferralSubmission submission, DateOnly referralDate, IntakePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(policy);

        var errors = new Errors();
        var yp = submission.YoungPerson ?? new YoungPersonSubmission();
        var rf = submission.Referrer ?? new ReferrerSubmission();

        var firstName = errors.Required("youngPerson.firstName", yp.FirstName, FieldLimits.Name, "the young person's first name");
        var lastName = errors.Required("youngPerson.lastName", yp.LastName, FieldLimits.Name, "the young person's last name");
        var additionalNeeds = errors.Optional("additionalNeeds", submission.AdditionalNeeds, FieldLimits.LongText, "Additional needs", freeText: true);
        var dateOfBirth = ValidateDateOfBirth(errors, yp.DateOfBirth, referralDate, policy, additionalNeeds is not null);
        var gender = errors.OneOf("youngPerson.gender", yp.Gender, Choices.Genders, "the young person's gender");
        var ethnicity = errors.OneOf("youngPerson.ethnicity", yp.Ethnicity, Choices.Ethnicities, "the young person's ethnicity");
        var region = ValidateRegion(errors, yp.Region, policy);
        var school = errors.Optional("youngPerson.schoolOrSetting", yp.SchoolOrSetting, FieldLimits.SchoolOrSetting, "School or setting");
        var safeContact = errors.Required("youngPerson.safeContact", yp.SafeContact, FieldLimits.SafeContact, "how the young person can be contacted safely", freeText: true);
        var ypPhone = errors.Phone("youngPerson.phone", yp.Phone);

        var concerns = ValidateConcerns(errors, submission.Concerns);
        var concernDetails = errors.Optional("concernDetails", submission.ConcernDetails, FieldLimits.LongText, "Concern details", freeText: true);
        if (concerns.Contains("other") && concernDetails is null && !errors.Has("concernDetails"))
        {
            errors.Add("concernDetails", "Describe the other concern.");
        }

        var riskCode = errors.OneOf("riskLevel", submission.RiskLevel, Choices.RiskLevels, "a risk level");
        var otherAgencies = errors.Optional("otherAgencies", submission.OtherAgencies, FieldLimits.LongText, "Other agencies involved", freeText: true);
        if (submission.YoungPersonKnowsAboutReferral is null)
        {
            errors.Add("youngPersonKnowsAboutReferral", "Say whether the young person knows about this referral.");
        }

        if (submission.YoungPersonAgreesToReferral is null)
        {
            errors.Add("youngPersonAgreesToReferral", "Say whether the young person agrees to this referral.");
        }

        var pathway = ValidateService(errors, submission.Service, policy);
        var trustedRelationships = pathway == Lifecycle.ServicePathway.TrustedRelationships
            ? ValidateTrustedRelationships(errors, submission.TrustedRelationships, rf.Type, referralDate, policy)
            : null;
        if (pathway != Lifecycle.ServicePathway.TrustedRelationships && submission.TrustedRelationships is not null)
        {
            errors.Add("trustedRelationships", "Only a Trusted Relationships referral carries these details.");
        }

        var referrerName = errors.Required("referrer.name", rf.Name, FieldLimits.Name, "your name");
        var referrerType = errors.OneOf("referrer.type", rf.Type, Choices.ReferrerTypes, "who you are referring as");
        var organisation = errors.Optional("referrer.organisation", rf.Organisation, FieldLimits.Organisation, "Organisation");
        if (organisation is null && referrerType is not null && !Choices.PersonalReferrerTypes.Contains(referrerType) && !errors.Has("referrer.organisation"))
        {
            errors.Add("referrer.organisation", "Enter your organisation.");
        }

        var email = ValidateEmail(errors, rf.Email);
        var phone = errors.Phone("referrer.phone", rf.Phone);
        if (email is null && phone is null && !errors.Has("referrer.email") && !errors.Has("referrer.phone"))
        {
            errors.Add("referrer.email", "Enter an email address or a phone number so that we can reach you.");
        }

        if (errors.Count > 0)
        {
            return ValidationResult.Invalid(errors.ToList());
        }

        var form = new ReferralForm(
            pathway!.Value,
            trustedRelationships,
            new YoungPerson(firstName!, lastName!, dateOfBirth!.Value, gender!, ethnicity!, region!, school, safeContact!, ypPhone),
            concerns,
            concernDetails,
            ParseRisk(riskCode!),
            additionalNeeds,
            otherAgencies,
            submission.YoungPersonKnowsAboutReferral!.Value,
            submission.YoungPersonAgreesToReferral!.Value,
            new Referrer(referrerName!, organisation, referrerType!, email, phone));
        return ValidationResult.Valid(form);
    }

    private static Lifecycle.ServicePathway? ValidateService(Errors errors, string? raw, IntakePolicy policy)
    {
        var code = raw?.Trim();
        switch (code)
        {
            case null or "" or "hand-in-hand":
                return Lifecycle.ServicePathway.HandInHand;
            case "trusted-relationships" when policy.TrustedRelationshipsEnabled:
                return Lifecycle.ServicePathway.TrustedRelationships;
            default:
                errors.Add("service", "Choose the service: hand-in-hand or trusted-relationships.");
                return null;
        }
    }

    private static TrustedRelationshipsDetails? ValidateTrustedRelationships(Errors errors, TrustedRelationshipsSubmission? raw, string? referrerType, DateOnly referralDate, IntakePolicy policy)
    {
        raw ??= new TrustedRelationshipsSubmission();
        if (referrerType is not null && !policy.EffectiveTrustedRelationshipsReferrerTypes.Contains(referrerType))
        {
            errors.Add("referrer.type", "Only case-holders in Children and Families services may refer to Trusted Relationships.");
        }

        if (raw.ReferrerIsCaseHolder != true)
        {
            errors.Add("trustedRelationships.referrerIsCaseHolder", "Confirm that you hold the young person's case in Children and Families services.");
        }

        var cera = PastDate(errors, "trustedRelationships.ceraCompletedOn", raw.CeraCompletedOn, referralDate, "the date the Child Exploitation Risk Assessment (CERA) was completed");
        var forum = errors.OneOf("trustedRelationships.multiAgencyDiscussion", raw.MultiAgencyDiscussion, Choices.MultiAgencyDiscussions, "the multi-agency discussion (MAST or MACEM)");
        var discussed = PastDate(errors, "trustedRelationships.multiAgencyDiscussionOn", raw.MultiAgencyDiscussionOn, referralDate, "the date of the multi-agency discussion");
        return cera is null || forum is null || discussed is null ? null : new TrustedRelationshipsDetails(cera.Value, forum, discussed.Value);
    }

    private static DateOnly? PastDate(Errors errors, string field, string? raw, DateOnly referralDate, string what)
    {
        var text = raw?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(field, $"Enter {what}.");
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) || date > referralDate)
        {
            errors.Add(field, $"Enter {what} as a date in the past, for example 2026-03-27.");
            return null;
        }

        return date;
    }

    /// <summary>
    /// Whole years between <paramref name="dateOfBirth"/> and <paramref name="onDate"/>. Someone born
    /// on 29 February has their birthday on 1 March in other years, as is usual in UK practice.
    /// </summary>
    public static int AgeOn(DateOnly dateOfBirth, DateOnly onDate)
    {
        var age = onDate.Year - dateOfBirth.Year;
        if ((onDate.Month, onDate.Day).CompareTo((dateOfBirth.Month, dateOfBirth.Day)) < 0)
        {
            age--;
        }

        return age;
    }

    private static DateOnly? ValidateDateOfBirth(Errors errors, string? raw, DateOnly referralDate, IntakePolicy policy, bool hasAdditionalNeeds)
    {
        const string field = "youngPerson.dateOfBirth";
        var text = raw?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(field, "Enter the young person's date of birth.");
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dob))
        {
            errors.Add(field, "Enter the date of birth as a real date, for example 2010-03-27.");
            return null;
        }

        if (dob > referralDate)
        {
            errors.Add(field, "The date of birth must be in the past.");
            return null;
        }

        var age = AgeOn(dob, referralDate);
        if (age < policy.MinimumAge || age > policy.MaximumAge)
        {
            errors.Add(field, $"The service supports young people aged {policy.MinimumAge} to {policy.MaximumAge}. This young person is outside that range, so we cannot accept the referral.");
            return null;
        }

        if (age > policy.MaximumAgeWithoutAdditionalNeeds && !hasAdditionalNeeds && !errors.Has("additionalNeeds"))
        {
            errors.Add("additionalNeeds", $"Young people over {policy.MaximumAgeWithoutAdditionalNeeds} can be supported when they have additional needs. Describe them.");
        }

        return dob;
    }

    private static string? ValidateRegion(Errors errors, string? raw, IntakePolicy policy)
    {
        const string field = "youngPerson.region";
        var text = raw?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(field, "Choose the area where the young person lives.");
            return null;
        }

        var match = policy.EffectiveRegions.FirstOrDefault(r => string.Equals(r, text, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            errors.Add(field, "Choose one of the areas the service covers.");
        }

        return match;
    }

    private static List<string> ValidateConcerns(Errors errors, IReadOnlyList<string?>? raw)
    {
        const string field = "concerns";
        var codes = (raw ?? []).Select(c => c?.Trim() ?? string.Empty).ToList();
        if (codes.Count == 0)
        {
            errors.Add(field, "Choose at least one concern.");
            return [];
        }

        if (codes.Count > FieldLimits.MaxConcerns)
        {
            errors.Add(field, $"Choose at most {FieldLimits.MaxConcerns} concerns.");
            return [];
        }

        if (codes.Any(c => !Choices.Contains(Choices.Concerns, c)))
        {
            errors.Add(field, "Choose concerns from the list: " + string.Join(", ", Choices.Concerns.Select(c => c.Code)) + ".");
            return [];
        }

        // Stored in the list's own order so that the same choices always make the same form.
        return Choices.Concerns.Select(c => c.Code).Where(codes.Contains).ToList();
    }

    private static string? ValidateEmail(Errors errors, string? raw)
    {
        const string field = "referrer.email";
        var email = errors.Optional(field, raw, FieldLimits.Email, "Email address");
        if (email is null)
        {
            return null;
        }

        if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || !email.Contains('.', StringComparison.Ordinal) || email.Contains(' ', StringComparison.Ordinal))
        {
            errors.Add(field, "Enter an email address in the right format, like name@example.org.");
            return null;
        }

        return email;
    }

    private static RiskLevel ParseRisk(string code) => code switch
    {
        "high" => RiskLevel.High,
        "medium" => RiskLevel.Medium,
        "standard" => RiskLevel.Standard,
        _ => throw new ArgumentOutOfRangeException(nameof(code), "Unknown risk level code."),
    };

    /// <summary>Collects errors, at most one per field (the first found is the one to fix).</summary>
    private sealed class Errors
    {
        private readonly List<FieldError> _errors = [];

        public int Count => _errors.Count;

        public bool Has(string field) => _errors.Any(e => e.Field == field);

        public void Add(string field, string message)
        {
            if (!Has(field))
            {
                _errors.Add(new FieldError(field, message));
            }
        }

        public List<FieldError> ToList() => [.. _errors];

        /// <param name="freeText">True for text in the referrer's own words; false for names and other short identifying text (see <see cref="DisguisingCharacters"/>).</param>
        public string? Required(string field, string? raw, int maxLength, string what, bool freeText = false)
        {
            var text = raw?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                Add(field, $"Enter {what}.");
                return null;
            }

            return Limit(field, text, maxLength, what, freeText);
        }

        public string? Optional(string field, string? raw, int maxLength, string what, bool freeText = false)
        {
            var text = raw?.Trim();
            return string.IsNullOrEmpty(text) ? null : Limit(field, text, maxLength, what, freeText);
        }

        public string? OneOf(string field, string? raw, IReadOnlyList<Choice> list, string what)
        {
            var text = raw?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                Add(field, $"Choose {what}.");
                return null;
            }

            if (!Choices.Contains(list, text))
            {
                Add(field, $"Choose {what} from the list: {string.Join(", ", list.Select(c => c.Code))}.");
                return null;
            }

            return text;
        }

        public string? Phone(string field, string? raw)
        {
            var text = Optional(field, raw, FieldLimits.Phone, "Phone number");
            if (text is null)
            {
                return null;
            }

            var digits = text.Count(char.IsAsciiDigit);
            var allowed = text.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '(' or ')');
            if (!allowed || digits < 7 || digits > 15)
            {
                Add(field, "Enter a phone number with 7 to 15 digits, like 01904 555 123 or +44 1904 555 123.");
                return null;
            }

            return text;
        }

        private string? Limit(string field, string text, int maxLength, string what, bool freeText)
        {
            if (text.Length > maxLength)
            {
                Add(field, $"{Capitalise(what)} must be {maxLength} characters or fewer.");
                return null;
            }

            if (text.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
            {
                Add(field, $"{Capitalise(what)} contains characters that cannot be stored.");
                return null;
            }

            // Shown to staff later, where a reversed or invisible character could make one name read as another.
            if (freeText ? DisguisingCharacters.AnyInFreeText(text) : DisguisingCharacters.AnyInName(text))
            {
                Add(field, $"{Capitalise(what)} contains invisible or direction-changing characters. Type it again without them.");
                return null;
            }

            return text;
        }

        private static string Capitalise(string what) =>
            what.StartsWith("your ", StringComparison.Ordinal) ? "Your " + what[5..]
            : what.StartsWith("the ", StringComparison.Ordinal) ? "The " + what[4..]
            : what.StartsWith("how ", StringComparison.Ordinal) ? "How " + what[4..]
            : what;
    }
}

/// <summary>The outcome of validation: a typed form or the field errors.</summary>
public sealed record ValidationResult(ReferralForm? Form, IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Form is not null;

    public static ValidationResult Valid(ReferralForm form) => new(form, []);

    public static ValidationResult Invalid(IReadOnlyList<FieldError> errors) => new(null, errors);
}
