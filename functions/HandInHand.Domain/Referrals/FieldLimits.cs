namespace HandInHand.Domain.Referrals;

/// <summary>
/// Maximum lengths of the free-text fields, in characters. Together they keep a stored referral
/// well inside Table Storage's 64 KiB string-property limit.
/// </summary>
public static class FieldLimits
{
    public const int Name = 100;
    public const int Organisation = 200;
    public const int Email = 254;
    public const int Phone = 30;
    public const int SchoolOrSetting = 200;
    public const int SafeContact = 1000;
    public const int LongText = 4000;
    public const int Code = 50;
    public const int MaxConcerns = 10;
}
