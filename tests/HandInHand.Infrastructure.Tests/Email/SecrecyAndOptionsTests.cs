using HandInHand.Infrastructure.Mail;
using HandInHand.Infrastructure.Email;
using HandInHand.Testing.Email;
using HandInHand.Testing.Time;
using static HandInHand.Infrastructure.Tests.Email.SendGridTestData;

namespace HandInHand.Infrastructure.Tests.Email;

/// <summary>The API key, the recipient and the content never leave through results or exceptions; options that would leak them are refused.</summary>
public sealed class SecrecyAndOptionsTests
{
    [Fact]
    public async Task TheApiKeyRecipientAndContentNeverAppearInResultsOrExceptions()
    {
        var seen = new List<string>();

        // SendGrid echoing the key back in an error must not carry it into our result.
        await using (var peer = new SendGridPeer(ApiKey, _ => PeerAnswer.SendGridError(401, "authorization", "Key " + ApiKey + " is not valid")))
        {
            var rejected = Assert.IsType<SendResult.Rejected>(await Client(peer).SendAsync(Message()));
            Assert.Contains("[redacted]", rejected.Error, StringComparison.Ordinal);
            seen.Add(rejected.ToString());
        }

        await using (var peer = new SendGridPeer(ApiKey, _ => PeerAnswer.SendGridError(500, null, "internal error")))
        {
            seen.Add((await Client(peer).SendAsync(Message())).ToString());
        }

        await using (var peer = new SendGridPeer(ApiKey, _ => PeerAnswer.Partial()))
        {
            seen.Add((await Client(peer).SendAsync(Message())).ToString());
        }

        var clock = new AutoAdvancingFakeTimeProvider(Start);
        await using (var peer = new SendGridPeer(ApiKey, r => PeerAnswer.RateLimited(r.ArrivedAt.AddSeconds(1)), clock))
        {
            var limited = await Assert.ThrowsAsync<SendGridException>(() => Client(peer, o => o.MaxRateLimitRetries = 1, clock).SendAsync(Message()));
            seen.Add(limited.ToString());
        }

        var unreachable = await Assert.ThrowsAsync<SendGridException>(() => new SendGridEmailSender(Options(SendGridPeer.ClosedEndpoint())).SendAsync(Message()));
        seen.Add(unreachable.ToString());

        var badKey = Assert.Throws<ArgumentException>(() => new SendGridEmailSender(new SendGridEmailOptions { ApiKey = ApiKey + "\n" }));
        seen.Add(badKey.ToString());
        var plainHttp = Assert.Throws<ArgumentException>(() => new SendGridEmailSender(new SendGridEmailOptions { ApiKey = ApiKey, Endpoint = new Uri("http://api.sendgrid.com") }));
        seen.Add(plainHttp.ToString());

        seen.Add(Message().ToString());
        seen.Add(Message().To.ToString());

        Assert.All(seen, text =>
        {
            Assert.DoesNotContain("Th1sIsTheSecretPartThatMustNeverLeak", text, StringComparison.Ordinal);
            Assert.DoesNotContain(Recipient, text, StringComparison.Ordinal);
            Assert.DoesNotContain("allocated to you.", text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void PlainHttpIsRefusedExceptToALoopbackAddress()
    {
        Assert.Throws<ArgumentException>(() => new SendGridEmailSender(new SendGridEmailOptions { ApiKey = ApiKey, Endpoint = new Uri("http://api.sendgrid.com") }));
        _ = new SendGridEmailSender(new SendGridEmailOptions { ApiKey = ApiKey, Endpoint = new Uri("http://127.0.0.1:1") });
        _ = new SendGridEmailSender(new SendGridEmailOptions { ApiKey = ApiKey, Endpoint = new Uri("http://localhost:1") });
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("SG.abc def")]
    public void AMissingOrMalformedKeyIsRefused(string key) =>
        Assert.Throws<ArgumentException>(() => new SendGridEmailSender(new SendGridEmailOptions { ApiKey = key }));

    [Fact]
    public void NegativeWaitsAndTimeoutsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SendGridEmailSender(new SendGridEmailOptions { ApiKey = ApiKey, MaxRateLimitWait = TimeSpan.FromSeconds(-1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SendGridEmailSender(new SendGridEmailOptions { ApiKey = ApiKey, MaxRateLimitRetries = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SendGridEmailSender(new SendGridEmailOptions { ApiKey = ApiKey, NetworkTimeout = TimeSpan.Zero }));
    }

    [Fact]
    public void TheDefaultsAreTheDocumentedOnes()
    {
        var options = new SendGridEmailOptions();

        Assert.Equal(new Uri("https://api.sendgrid.com"), options.Endpoint);
        Assert.Equal(new Uri("https://api.eu.sendgrid.com"), SendGridEmailOptions.EuropeanEndpoint);
        Assert.False(options.SandboxMode);
        Assert.Equal(TimeSpan.FromSeconds(60), options.MaxRateLimitWait);
        Assert.Equal(3, options.MaxRateLimitRetries);
        Assert.Equal(TimeSpan.FromSeconds(30), options.NetworkTimeout);
    }
}
