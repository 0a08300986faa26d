namespace HandInHand.Domain.Referrals;

/// <summary>
/// The closed-list answers of the form that the reports count: who referred (type, never the
/// person), and the young person's gender and ethnicity codes. Captured when the referral is
/// received, so the figures never need the form again (it may be erased under retention).
/// </summary>
public sealed record ReferralProfile(string ReferrerType, string Gender, string Ethnicity)
{
    public static ReferralProfile Of(ReferralForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return new(form.Referrer.Type, form.YoungPerson.Gender, form.YoungPerson.Ethnicity);
    }
}
