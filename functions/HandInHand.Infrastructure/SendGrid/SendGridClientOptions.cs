using Azure.Core;

namespace HandInHand.Infrastructure.SendGrid;

/// <summary>
/// Options for <see cref="SendGridClient"/>. Retries after a 5xx answer or a failed connection are
/// tuned through <see cref="ClientOptions.Retry"/> (<c>MaxRetries</c>, <c>Delay</c>, <c>MaxDelay</c>;
/// <c>NetworkTimeout</c> bounds each attempt); waits after a 429 through <see cref="MaxRateLimitWait"/>
/// and <see cref="MaxRateLimitRetries"/>. <see cref="ClientOptions.RetryPolicy"/> must not be replaced:
/// the client decides every retry itself, because a mail send is not idempotent.
/// </summary>
public sealed class SendGridClientOptions : ClientOptions
{
    /// <summary>Creates options with two short exponential retries and a 30-second network timeout.</summary>
    public SendGridClientOptions()
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 2;
        Retry.Delay = TimeSpan.FromMilliseconds(500);
        Retry.MaxDelay = TimeSpan.FromSeconds(4);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        RetryPolicy = new NoPipelineRetries();
    }

    /// <summary><c>https://api.sendgrid.com</c>, the global endpoint.</summary>
    public static Uri GlobalEndpoint { get; } = new("https://api.sendgrid.com");

    /// <summary><c>https://api.eu.sendgrid.com</c>, for EU data residency (an EU regional subuser's key).</summary>
    public static Uri EuropeanEndpoint { get; } = new("https://api.eu.sendgrid.com");

    /// <summary>
    /// The API host; requests go to <c>{Endpoint}/v3/mail/send</c>. Must be https (plain http is
    /// accepted only for a loopback address, for tests): the API key travels in every request.
    /// </summary>
    public Uri Endpoint { get; set; } = GlobalEndpoint;

    /// <summary>The API key (Mail Send permission is enough). Sent as <c>Authorization: Bearer</c>; never logged.</summary>
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>
    /// Sends every message with <c>mail_settings.sandbox_mode.enable = true</c>: SendGrid validates
    /// the request and answers 200 without delivering anything.
    /// </summary>
    public bool SandboxMode { get; set; }

    /// <summary>The longest wait for <c>X-RateLimit-Reset</c> after a 429 before trying again (default 60 s).</summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many times a send answered 429 is tried again before giving up (default 3).</summary>
    public int MaxRateLimitRetries { get; set; } = 3;
}
