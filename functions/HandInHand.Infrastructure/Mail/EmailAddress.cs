namespace HandInHand.Infrastructure.Mail;

/// <summary>A mailbox: an address and an optional display name.</summary>
/// <remarks>
/// <see cref="object.ToString"/> does not print the address or the name: an address can identify a
/// young person, and a record's ToString is what ends up in logs and exception messages.
/// </remarks>
/// <param name="Email">The address, e.g. <c>duty.team@example.org</c>. No spaces, control characters or <c>&lt; &gt; , ; "</c>.</param>
/// <param name="Name">The display name, or null. No line breaks.</param>
public sealed record EmailAddress(string Email, string? Name = null)
{
    private readonly string _email = MailGuards.Address(Email, nameof(Email));
    private readonly string? _name = MailGuards.DisplayName(Name, nameof(Name));

    public string Email
    {
        get => _email;
        init => _email = MailGuards.Address(value, nameof(Email));
    }

    public string? Name
    {
        get => _name;
        init => _name = MailGuards.DisplayName(value, nameof(Name));
    }

    /// <summary>Says that this is an address, without showing it.</summary>
    public override string ToString() => "EmailAddress { (not shown) }";
}
