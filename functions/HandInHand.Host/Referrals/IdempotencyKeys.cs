namespace HandInHand.Host.Referrals;

/// <summary>The rules for a client's idempotency key: 8 to 128 letters, digits, '-' or '_' (a UUID fits).</summary>
public static class IdempotencyKeys
{
    /// <summary>A message saying what is wrong with <paramref name="key"/>, or null when it is acceptable.</summary>
    public static string? Check(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return "Send an Idempotency-Key header (a new UUID for each referral) so that a retried request cannot create a second referral.";
        }

        if (key.Length is < 8 or > 128 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return "The idempotency key must be 8 to 128 letters, digits, '-' or '_'.";
        }

        return null;
    }
}
