using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Infrastructure.Referrals;

namespace HandInHand.Host.Staff.Pages;

/// <summary>The safe contact channel form as typed: email or text message, the address, and whether the young person agreed it is safe.</summary>
internal sealed record ContactChannelInput(string? Channel, string? Address, string? MarkedSafe, string? CommandKey)
{
    public const string ChannelField = "channel";
    public const string AddressField = "address";
    public const string MarkedSafeField = "markedSafe";

    public static ContactChannelInput From(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        string? Value(string name) => form.TryGetValue(name, out var v) ? v.ToString().Trim() : null;
        return new(Value(ChannelField), Value(AddressField), Value(MarkedSafeField), Value(FirstContactInput.CommandKeyField));
    }

    /// <summary>The channel's record, or the errors field by field, checked as the API checks them.</summary>
    public (ContactChannelRecord? Record, IReadOnlyList<FieldError> Errors) Parse()
    {
        var errors = new List<FieldError>();
        ContactChannel? channel = Channel switch { "email" => ContactChannel.Email, "sms" => ContactChannel.Sms, _ => null };
        if (channel is null)
        {
            errors.Add(new(ChannelField, "Choose the channel: email or text message."));
        }
        else if (!ContactAddresses.IsValid(channel.Value, Address))
        {
            errors.Add(new(AddressField, channel == ContactChannel.Email ? "Enter an email address, like name@example.com." : "Enter a mobile number of 10 to 15 digits."));
        }

        bool? safe = MarkedSafe switch { "yes" => true, "no" => false, _ => null };
        if (safe is null)
        {
            errors.Add(new(MarkedSafeField, "Say whether the young person agreed that this channel is safe to use."));
        }

        return (errors.Count > 0 ? null : new ContactChannelRecord(channel!.Value, Address!, safe!.Value), errors);
    }
}
