namespace HandInHand.Infrastructure.Email;

/// <summary>
/// Options for <see cref="SendGridEmailSender"/>. There is no setting for resending after a 5xx or a
/// broken connection: a mail send is not idempotent, so the sender never resends on its own (see
/// <see cref="SendGridEmailSender"/>). Only a 429, which proves nothing was queued, is tried again.
/// </summary>
public sealed class SendGridEmailOptions
{
    /// <summary><c>https://api.sendgrid.com</c>, the global endpoint.</summary>
    public static Uri GlobalEndpoint { get; } = new("https://api.sendgrid.com");

    /// <summary><c>https://api.eu.sendgrid.com</c>, for EU data residency (an EU regional subuser's key).</summary>
    public static Uri EuropeanEndpoint { get; } = new("https://api.eu.sendgrid.com");

    /// <summary>
    /// The API host, given to the SDK as <c>SendGridClientOptions.Host</c>; requests go to
    /// <c>{Endpoint}/v3/mail/send</c>. Must be https (plain http is accepted only for a loopback
    /// address, for tests): the API key travels in every request.
    /// </summary>
    public Uri Endpoint { get; set; } = GlobalEndpoint;

    /// <summary>The API key (Mail Send permission is enough). Sent as <c>Authorization: Bearer</c>; never logged.</summary>
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>
    /// Sends every message with <c>mail_settings.sandbox_mode.enable = true</c>: SendGrid validates
    /// the request and answers 200 without delivering anything.
    /// </summary>
    public bool SandboxMode { get; set; }

    /// <summary>How long one attempt may take before its outcome counts as unknown (default 30 s).</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait for <c>X-RateLimit-Reset</c> after a 429 before trying again (default 60 s).</summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many times a send answered 429 is tried again before giving up (default 3).</summary>
    public int MaxRateLimitRetries { get; set; } = 3;
}
