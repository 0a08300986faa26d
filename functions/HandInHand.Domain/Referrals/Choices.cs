namespace HandInHand.Domain.Referrals;

/// <summary>One allowed value of a closed list: its wire code and its plain-English label.</summary>
public sealed record Choice(string Code, string Label);

/// <summary>
/// The closed lists of the referral form. Codes are what the API accepts and what is stored;
/// labels are what a person reads. Adding a value here is a product decision, not a code change
/// elsewhere: validation and the form both read these lists.
/// </summary>
public static class Choices
{
    public static readonly IReadOnlyList<Choice> Concerns =
    [
        new("cse", "Child sexual exploitation"),
        new("cce", "Child criminal exploitation (including county lines and modern slavery)"),
        new("missing", "Repeatedly reported missing"),
        new("online-grooming", "Online grooming (social media, gaming platforms)"),
        new("other", "Other concern"),
    ];

    public static readonly IReadOnlyList<Choice> RiskLevels =
    [
        new("high", "High"),
        new("medium", "Medium"),
        new("standard", "Standard"),
    ];

    public static readonly IReadOnlyList<Choice> Genders =
    [
        new("female", "Female"),
        new("male", "Male"),
        new("non-binary", "Non-binary"),
        new("other", "Another gender"),
        new("not-known", "Not known"),
    ];

    /// <summary>The high-level ethnic groups of the census, plus "not known".</summary>
    public static readonly IReadOnlyList<Choice> Ethnicities =
    [
        new("white", "White"),
        new("mixed", "Mixed or multiple ethnic groups"),
        new("asian", "Asian or Asian British"),
        new("black", "Black, Black British, Caribbean or African"),
        new("other", "Other ethnic group"),
        new("not-known", "Not known"),
    ];

    public static readonly IReadOnlyList<Choice> ReferrerTypes =
    [
        new("social-care", "Children's social care"),
        new("early-help", "Early help"),
        new("school", "School or college"),
        new("police", "Police"),
        new("health", "Health"),
        new("youth-justice", "Youth justice"),
        new("residential-home", "Residential children's home"),
        new("parent-carer", "Parent or carer"),
        new("young-person", "The young person themselves"),
        new("other", "Other"),
    ];

    public static readonly IReadOnlyList<Choice> Services =
    [
        new("hand-in-hand", "Hand in Hand"),
        new("trusted-relationships", "Trusted Relationships"),
    ];

    public static readonly IReadOnlyList<Choice> MultiAgencyDiscussions =
    [
        new("mast", "MAST (North Yorkshire)"),
        new("macem", "MACEM (City of York)"),
    ];

    /// <summary>Referrer types who refer on their own behalf and so have no organisation to name.</summary>
    public static readonly IReadOnlySet<string> PersonalReferrerTypes =
        new HashSet<string>(StringComparer.Ordinal) { "parent-carer", "young-person" };

    public static bool Contains(IReadOnlyList<Choice> list, string code) =>
        list.Any(c => string.Equals(c.Code, code, StringComparison.Ordinal));

    public static string LabelOf(IReadOnlyList<Choice> list, string code) =>
        list.FirstOrDefault(c => string.Equals(c.Code, code, StringComparison.Ordinal))?.Label ?? code;
}
