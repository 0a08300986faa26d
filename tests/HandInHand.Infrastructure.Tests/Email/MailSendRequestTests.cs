using System.Text.Json;
using HandInHand.Infrastructure.Mail;
using HandInHand.Infrastructure.Email;
using HandInHand.Testing.Email;
using static HandInHand.Infrastructure.Tests.Email.SendGridTestData;

namespace HandInHand.Infrastructure.Tests.Email;

/// <summary>What the SDK puts on the wire for our message, checked by a loopback peer (reached through <c>SendGridClientOptions.Host</c>) against the Mail Send contract.</summary>
public sealed class MailSendRequestTests
{
    [Fact]
    public async Task AMessageAnswered202IsAcceptedWithSendGridsMessageId()
    {
        await using var peer = new SendGridPeer(ApiKey, _ => PeerAnswer.Accepted("14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0"));

        var result = await Client(peer).SendAsync(Message());

        Assert.Empty(peer.Violations);
        Assert.Equal(new SendResult.Accepted("14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0"), result);
        Assert.Equal(1, peer.Posts);
    }

    [Fact]
    public async Task TheRequestCarriesExactlyTheDocumentedFieldsWithOurValues()
    {
        await using var peer = new SendGridPeer(ApiKey, _ => PeerAnswer.Accepted());

        await Client(peer).SendAsync(Message());

        Assert.Empty(peer.Violations);
        var request = Assert.Single(peer.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v3/mail/send", request.Target);
        Assert.Equal("Bearer " + ApiKey, request.Header("Authorization"));
        Assert.Equal("application/json", request.Header("Content-Type"));

        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal(["categories", "content", "from", "personalizations", "subject", "tracking_settings"], root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        // No tracking: click tracking would route every link (survey tokens included) through
        // SendGrid's own domain, and an open-tracking pixel tells whoever else reads the mailbox.
        var tracking = root.GetProperty("tracking_settings");
        Assert.Equal(JsonValueKind.False, tracking.GetProperty("click_tracking").GetProperty("enable").ValueKind);
        Assert.Equal(JsonValueKind.False, tracking.GetProperty("click_tracking").GetProperty("enable_text").ValueKind);
        Assert.Equal(JsonValueKind.False, tracking.GetProperty("open_tracking").GetProperty("enable").ValueKind);

        var personalization = Assert.Single(root.GetProperty("personalizations").EnumerateArray().ToArray());
        Assert.Equal(["custom_args", "to"], personalization.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var to = Assert.Single(personalization.GetProperty("to").EnumerateArray().ToArray());
        Assert.Equal(Recipient, to.GetProperty("email").GetString());
        Assert.Equal("Duty worker", to.GetProperty("name").GetString());
        var customArgument = Assert.Single(personalization.GetProperty("custom_args").EnumerateObject().ToArray());
        Assert.Equal(("hih_message_id", MessageId), (customArgument.Name, customArgument.Value.GetString()));

        Assert.Equal("referrals@handinhand.example", root.GetProperty("from").GetProperty("email").GetString());
        Assert.Equal("HandInHand referrals", root.GetProperty("from").GetProperty("name").GetString());
        Assert.Equal("Referral HH-2026-00042 allocated to you", root.GetProperty("subject").GetString());

        var content = root.GetProperty("content").EnumerateArray().ToArray();
        Assert.Equal(2, content.Length);
        Assert.Equal(("text/plain", PlainText), (content[0].GetProperty("type").GetString(), content[0].GetProperty("value").GetString()));
        Assert.Equal(("text/html", Html), (content[1].GetProperty("type").GetString(), content[1].GetProperty("value").GetString()));

        Assert.Equal(["env:test", "kind:allocation-notice"], root.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task AnAddressWithoutANameIsSentAsEmailOnlyAndNoCategoriesMeansNoCategoriesField()
    {
        await using var peer = new SendGridPeer(ApiKey, _ => PeerAnswer.Accepted());
        var message = Message() with { To = new EmailAddress(Recipient), Categories = null };

        await Client(peer).SendAsync(message);

        Assert.Empty(peer.Violations);
        using var body = JsonDocument.Parse(Assert.Single(peer.Requests).Body);
        var to = body.RootElement.GetProperty("personalizations")[0].GetProperty("to")[0];
        Assert.Equal(["email"], to.EnumerateObject().Select(p => p.Name));
        Assert.False(body.RootElement.TryGetProperty("categories", out _));
        Assert.False(body.RootElement.TryGetProperty("mail_settings", out _));
    }

    [Fact]
    public async Task NonAsciiTextSurvivesTheJsonRoundTrip()
    {
        await using var peer = new SendGridPeer(ApiKey, _ => PeerAnswer.Accepted());
        var message = Message() with { Subject = "Référence HH-2026-00042 — “mise à jour” ✓", PlainText = "Ça va? 𝄞 <b>&amp;</b>" };

        await Client(peer).SendAsync(message);

        Assert.Empty(peer.Violations);
        using var body = JsonDocument.Parse(Assert.Single(peer.Requests).Body);
        Assert.Equal(message.Subject, body.RootElement.GetProperty("subject").GetString());
        Assert.Equal(message.PlainText, body.RootElement.GetProperty("content")[0].GetProperty("value").GetString());
    }

    [Fact]
    public async Task SandboxModeAsksSendGridToValidateOnlyAndItsAnswer200IsAccepted()
    {
        await using var peer = new SendGridPeer(ApiKey, request =>
        {
            using var body = JsonDocument.Parse(request.Body);
            bool sandbox = body.RootElement.TryGetProperty("mail_settings", out var settings)
                && settings.GetProperty("sandbox_mode").GetProperty("enable").GetBoolean();
            return sandbox ? PeerAnswer.Plain(200) : PeerAnswer.Accepted();
        });

        var result = await Client(peer, o => o.SandboxMode = true).SendAsync(Message());

        Assert.Empty(peer.Violations);
        Assert.Equal(new SendResult.Accepted(null), result);
        using var sent = JsonDocument.Parse(Assert.Single(peer.Requests).Body);
        Assert.Equal(JsonValueKind.True, sent.RootElement.GetProperty("mail_settings").GetProperty("sandbox_mode").GetProperty("enable").ValueKind);
    }
}
