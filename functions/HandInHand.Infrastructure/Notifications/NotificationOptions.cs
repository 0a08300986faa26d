namespace HandInHand.Infrastructure.Notifications;

/// <summary>Where notifications go and what their links point at.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>The staff and referrer site, for sign-in links.</summary>
    public Uri BaseUrl { get; set; } = new("http://localhost:7071/");

    /// <summary>The verified sender address.</summary>
    public string FromEmail { get; set; } = "no-reply@handinhand.invalid";

    /// <summary>
    /// The verified sender address of emails to young people, on a domain that does not name the
    /// service: an email can be read by the person exploiting the young person.
    /// </summary>
    public string YoungPersonFromEmail { get; set; } = "no-reply@example.invalid";

    /// <summary>The sender name young people see: says nothing about exploitation, support or the service.</summary>
    public string YoungPersonSenderName { get; set; } = "Appointments";

    /// <summary>The service manager's address (a team mailbox, not a person's name).</summary>
    public string? ManagerEmail { get; set; }

    /// <summary>Staff addresses by staff id (practitioners, panel members).</summary>
    public IDictionary<string, string> StaffEmails { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Where the development mailbox writes <c>.eml</c> files; null sends through SendGrid.</summary>
    public string? DevelopmentMailboxPath { get; set; }
}
