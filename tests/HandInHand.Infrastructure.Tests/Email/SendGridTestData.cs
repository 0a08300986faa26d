using HandInHand.Infrastructure.Mail;
using HandInHand.Infrastructure.Email;
using HandInHand.Testing.Email;

namespace HandInHand.Infrastructure.Tests.Email;

internal static class SendGridTestData
{
    public const string ApiKey = "SG.test-key-id.Th1sIsTheSecretPartThatMustNeverLeak";
    public const string MessageId = "hih-0001|allocation.notice_1";
    public const string PlainText = "A referral has been allocated to you.\nSign in to see it: https://handinhand.example/sign-in";
    public const string Html = "<p>A referral has been allocated to you.</p><p><a href=\"https://handinhand.example/sign-in\">Sign in to see it</a></p>";
    public const string Recipient = "duty.worker@council.example";

    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    public static EmailMessage Message(string messageId = MessageId) => new(
        messageId,
        new EmailAddress("referrals@handinhand.example", "HandInHand referrals"),
        new EmailAddress(Recipient, "Duty worker"),
        "Referral HH-2026-00042 allocated to you",
        PlainText,
        Html,
        new Dictionary<string, string> { ["kind"] = "allocation-notice", ["env"] = "test" });

    /// <summary>Options pointing at the peer (the SDK's <c>SendGridClientOptions.Host</c>).</summary>
    public static SendGridEmailOptions Options(Uri endpoint, Action<SendGridEmailOptions>? configure = null)
    {
        var options = new SendGridEmailOptions { Endpoint = endpoint, ApiKey = ApiKey };
        configure?.Invoke(options);
        return options;
    }

    public static SendGridEmailSender Client(SendGridPeer peer, Action<SendGridEmailOptions>? configure = null, TimeProvider? clock = null) =>
        new(Options(peer.Address, configure), clock);
}
