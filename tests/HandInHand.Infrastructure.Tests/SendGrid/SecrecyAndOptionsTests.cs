using Azure.Core;
using Azure.Core.Pipeline;
using HandInHand.Infrastructure.Mail;
using HandInHand.Infrastructure.SendGrid;
using static HandInHand.Infrastructure.Tests.SendGrid.SendGridTestData;

namespace HandInHand.Infrastructure.Tests.SendGrid;

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

        using (var clock = new AutoAdvancingClock(Start))
        await using (var peer = new SendGridPeer(ApiKey, r => PeerAnswer.RateLimited(r.ArrivedAt.AddSeconds(1)), clock))
        {
            var limited = await Assert.ThrowsAsync<SendGridException>(() => Client(peer, o => o.MaxRateLimitRetries = 1, clock).SendAsync(Message()));
            seen.Add(limited.ToString());
        }

        var unreachable = await Assert.ThrowsAsync<SendGridException>(() => new SendGridClient(Options(SendGridPeer.ClosedEndpoint())).SendAsync(Message()));
        seen.Add(unreachable.ToString());

        var badKey = Assert.Throws<ArgumentException>(() => new SendGridClient(new SendGridClientOptions { ApiKey = ApiKey + "\n" }));
        seen.Add(badKey.ToString());
        var plainHttp = Assert.Throws<ArgumentException>(() => new SendGridClient(new SendGridClientOptions { ApiKey = ApiKey, Endpoint = new Uri("http://api.sendgrid.com") }));
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
        Assert.Throws<ArgumentException>(() => new SendGridClient(new SendGridClientOptions { ApiKey = ApiKey, Endpoint = new Uri("http://api.sendgrid.com") }));
        _ = new SendGridClient(new SendGridClientOptions { ApiKey = ApiKey, Endpoint = new Uri("http://127.0.0.1:1") });
        _ = new SendGridClient(new SendGridClientOptions { ApiKey = ApiKey, Endpoint = new Uri("http://localhost:1") });
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("SG.abc def")]
    public void AMissingOrMalformedKeyIsRefused(string key) =>
        Assert.Throws<ArgumentException>(() => new SendGridClient(new SendGridClientOptions { ApiKey = key }));

    [Fact]
    public void OptionsThatWouldLogContentOrTheKeyOrRetryBlindlyAreRefused()
    {
        var logsContent = new SendGridClientOptions { ApiKey = ApiKey };
        logsContent.Diagnostics.IsLoggingContentEnabled = true;
        Assert.Throws<ArgumentException>(() => new SendGridClient(logsContent));

        var logsKey = new SendGridClientOptions { ApiKey = ApiKey };
        logsKey.Diagnostics.LoggedHeaderNames.Add("authorization");
        Assert.Throws<ArgumentException>(() => new SendGridClient(logsKey));

        var ownRetries = new SendGridClientOptions { ApiKey = ApiKey, RetryPolicy = new RetryPolicy() };
        Assert.Throws<ArgumentException>(() => new SendGridClient(ownRetries));

        var negativeWait = new SendGridClientOptions { ApiKey = ApiKey, MaxRateLimitWait = TimeSpan.FromSeconds(-1) };
        Assert.Throws<ArgumentOutOfRangeException>(() => new SendGridClient(negativeWait));
    }

    [Fact]
    public void TheDefaultsAreTheDocumentedOnes()
    {
        var options = new SendGridClientOptions();

        Assert.Equal(new Uri("https://api.sendgrid.com"), options.Endpoint);
        Assert.False(options.SandboxMode);
        Assert.Equal(TimeSpan.FromSeconds(60), options.MaxRateLimitWait);
        Assert.Equal(RetryMode.Exponential, options.Retry.Mode);
        Assert.Equal(2, options.Retry.MaxRetries);
    }
}
