using System.Net.Mail;
using HandInHand.Domain.Lifecycle;

namespace HandInHand.Domain.Referrals;

/// <summary>Checks a young person's contact address for its channel.</summary>
public static class ContactAddresses
{
    public static bool IsValid(ContactChannel channel, string? address)
    {
        if (string.IsNullOrWhiteSpace(address) || address.Length > FieldLimits.Email || address.Any(char.IsControl))
        {
            return false;
        }

        return channel switch
        {
            ContactChannel.Email => MailAddress.TryCreate(address, out var parsed) && parsed.Address == address && address.Contains('.', StringComparison.Ordinal) && !address.Contains(' ', StringComparison.Ordinal),
            ContactChannel.Sms => address.Count(char.IsAsciiDigit) is >= 10 and <= 15 && address.All(c => char.IsAsciiDigit(c) || c is ' ' or '+'),
            _ => false,
        };
    }
}
