using System.Diagnostics;
using HandInHand.Infrastructure.Mail;
using HandInHand.Infrastructure.Email;
using HandInHand.Testing.Email;
using HandInHand.Testing.Time;
using static HandInHand.Infrastructure.Tests.Email.SendGridTestData;

namespace HandInHand.Infrastructure.Tests.Email;

/// <summary>
/// What each answer of SendGrid, or each broken exchange, becomes, and how many requests it took.
/// The count of POSTs the peer saw is the point of most tests: a send that may have been queued is
/// never sent again.
/// </summary>
public sealed class SendOutcomeTests
{
    [Fact]
    public async Task A400IsRejectedWithSendGridsFieldAndMessageAndIsNotRetried()
    {
        await using var peer = new SendGridPeer(ApiKey, _ =>
            PeerAnswer.Json(400, """{"errors":[{"message":"The from address does not match a verified Sender Identity.","field":"from.email","help":null}]}"""));

        var result = await Client(peer).SendAsync(Message());

        Assert.Empty(peer.Violations);
        Assert.Equal(new SendResult.Rejected(400, "from.email: The from address does not match a verified Sender Identity."), result);
        Assert.Equal(1, peer.Posts);
    }

    [Fact]
    public async Task SeveralErrorsAreJoinedAndAnErrorWithoutAFieldKeepsItsMessage()
    {
        await using var peer = new SendGridPeer(ApiKey, _ => PeerAnswer.Json(400,
            """{"errors":[{"message":"Invalid type. Expected: string","field":"subject","help":"http://sendgrid.com/docs"},{"message":"Bad request","field":null}]}"""));

        var result = await Client(peer).SendAsync(Message());

        Assert.Equal(new SendResult.Rejected(400, "subject: Invalid type. Expected: string; Bad request"), result);
    }

    [Theory]
    [InlineData(401, "The provided authorization grant is invalid, expired, or revoked")]
    [InlineData(403, "You are temporarily blocked from sending emails due to repeated bad requests.")]
    [InlineData(413, "The JSON payload you have included in your request is too large.")]
    public async Task OtherRefusalsAreRejectedOnceWithSendGridsWords(int status, string message)
    {
        await using var peer = new SendGridPeer(ApiKey, _ => PeerAnswer.SendGridError(status, null, message));

        var result = await Client(peer).SendAsync(Message());

        Assert.Equal(new SendResult.Rejected(status, message), result);
        Assert.Equal(1, peer.Posts);
    }

    [Fact]
    public async Task ARefusalWithoutSendGridsErrorBodySaysSoAndDoesNotRepeatTheBody()
    {
        await using var peer = new SendGridPeer(ApiKey, _ => PeerAnswer.Json(401, "<html>proxy says no</html>"));

        var result = await Client(peer).SendAsync(Message());

        Assert.Equal(new SendResult.Rejected(401, "HTTP 401 without a SendGrid error body"), result);
    }

    [Fact]
    public async Task A429WaitsUntilTheAnnouncedResetByTheInjectedClockThenSends()
    {
        var clock = new AutoAdvancingFakeTimeProvider(Start.AddMilliseconds(400));
        var reset = Start.AddSeconds(2); // whole seconds, as X-RateLimit-Reset is
        await using var peer = new SendGridPeer(ApiKey, r => r.Number == 1 ? PeerAnswer.RateLimited(reset) : PeerAnswer.Accepted(), clock);

        var result = await Client(peer, clock: clock).SendAsync(Message());

        Assert.Empty(peer.Violations);
        Assert.IsType<SendResult.Accepted>(result);
        Assert.Equal(2, peer.Posts);
        Assert.True(peer.Requests[1].ArrivedAt >= reset, $"second attempt at {peer.Requests[1].ArrivedAt:O}, reset {reset:O}");
        Assert.Equal([TimeSpan.FromMilliseconds(1850)], clock.Waits); // to the reset, plus the 250 ms margin
    }

    [Fact]
    public async Task A429WaitsNoLongerThanMaxRateLimitWait()
    {
        var clock = new AutoAdvancingFakeTimeProvider(Start);
        await using var peer = new SendGridPeer(ApiKey, r => r.Number == 1 ? PeerAnswer.RateLimited(Start.AddHours(1)) : PeerAnswer.Accepted(), clock);

        var result = await Client(peer, clock: clock).SendAsync(Message());

        Assert.IsType<SendResult.Accepted>(result);
        Assert.Equal([TimeSpan.FromSeconds(60)], clock.Waits);
        Assert.Equal(Start.AddSeconds(60), peer.Requests[1].ArrivedAt);
    }

    [Fact]
    public async Task A429ThatPersistsIsASendGridExceptionBecauseNothingWasQueued()
    {
        var clock = new AutoAdvancingFakeTimeProvider(Start);
        await using var peer = new SendGridPeer(ApiKey, r => PeerAnswer.RateLimited(r.ArrivedAt.AddSeconds(5)), clock);

        var failure = await Assert.ThrowsAsync<SendGridException>(() => Client(peer, o => o.MaxRateLimitRetries = 2, clock).SendAsync(Message()));

        Assert.Equal(429, failure.Status);
        Assert.Equal(3, peer.Posts);
        Assert.Equal(Start.AddSeconds(15), failure.RetryAfter);
        Assert.Contains(MessageId, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A429WaitsInRealTimeTooWhenNoClockIsGiven()
    {
        var reset = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 2);
        await using var peer = new SendGridPeer(ApiKey, r => r.Number == 1 ? PeerAnswer.RateLimited(reset) : PeerAnswer.Accepted());

        var result = await Client(peer).SendAsync(Message());

        Assert.IsType<SendResult.Accepted>(result);
        Assert.True(peer.Requests[1].ArrivedAt >= reset, $"second attempt at {peer.Requests[1].ArrivedAt:O}, reset {reset:O}");
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task A5xxIsUnknownAtOnceAndNeverResentBecauseSendGridMayHaveQueuedItFirst(int status)
    {
        // The SDK's ReliabilitySettings would resend these four statuses if it were allowed retries.
        await using var peer = new SendGridPeer(ApiKey, r => r.Number == 1 ? PeerAnswer.SendGridError(status, null, "internal error") : PeerAnswer.Accepted("second"));

        var result = await Client(peer).SendAsync(Message());

        Assert.Empty(peer.Violations);
        var unknown = Assert.IsType<SendResult.Unknown>(result);
        Assert.Equal(1, peer.Posts);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), unknown.Reason, StringComparison.Ordinal);
        Assert.Contains("hih_message_id=" + MessageId, unknown.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConnectionClosedBeforeAnyAnswerIsUnknownAndTheRequestIsNotResent()
    {
        await using var peer = new SendGridPeer(ApiKey, _ => PeerAnswer.Close());

        var result = await Client(peer).SendAsync(Message());

        Assert.IsType<SendResult.Unknown>(result);
        Assert.Equal(1, peer.Posts);
        Assert.Empty(peer.Violations);
    }

    [Fact]
    public async Task AConnectionClosedMidResponseIsUnknownAndTheRequestIsNotResent()
    {
        await using var peer = new SendGridPeer(ApiKey, _ => PeerAnswer.Partial());

        var result = await Client(peer).SendAsync(Message());

        Assert.IsType<SendResult.Unknown>(result);
        Assert.Equal(1, peer.Posts);
    }

    [Fact]
    public async Task AConnectionClosedOnAReusedConnectionIsNotResentEither()
    {
        // HttpClient may silently resend a request whose reused keep-alive connection was closed
        // before any answer; for a mail send that would be a blind resend.
        await using var peer = new SendGridPeer(ApiKey, r => r.Number == 1 ? PeerAnswer.Accepted() : PeerAnswer.Close());
        var client = Client(peer);
        await client.SendAsync(Message("first"));

        var result = await client.SendAsync(Message("second"));

        Assert.IsType<SendResult.Unknown>(result);
        Assert.Equal(2, peer.Posts);
        Assert.Equal(1, peer.Requests[1].Connection);
    }

    [Fact]
    public async Task NoAnswerWithinTheNetworkTimeoutIsUnknownAndNotResent()
    {
        await using var peer = new SendGridPeer(ApiKey, r => r.Number == 1 ? PeerAnswer.Accepted() : PeerAnswer.Hang());
        var client = Client(peer, o => o.NetworkTimeout = TimeSpan.FromSeconds(3));

        // A first send warms the HTTP stack, so that the timeout measures the wait for an answer only
        // (a cold first request on a busy two-core machine can take longer than a second).
        Assert.IsType<SendResult.Accepted>(await client.SendAsync(Message("warm-up")));
        var watch = Stopwatch.StartNew();
        var result = await client.SendAsync(Message());

        var unknown = Assert.IsType<SendResult.Unknown>(result);
        Assert.Contains("network timeout", unknown.Reason, StringComparison.Ordinal);
        Assert.Equal(2, peer.Posts);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task CancellingWhileTheRequestIsInFlightIsUnknown()
    {
        await using var peer = new SendGridPeer(ApiKey, _ => PeerAnswer.Hang());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var result = await Client(peer).SendAsync(Message(), cancel.Token);

        Assert.IsType<SendResult.Unknown>(result);
        Assert.Equal(1, peer.Posts);
    }

    [Fact]
    public async Task CancellingWhileWaitingOutARateLimitThrowsBecauseNothingWasQueued()
    {
        using var cancel = new CancellationTokenSource();
        await using var peer = new SendGridPeer(ApiKey, r =>
        {
            // Cancelled once the 429 is on its way, so the cancellation finds the sender waiting.
            cancel.CancelAfter(TimeSpan.FromMilliseconds(300));
            return PeerAnswer.RateLimited(DateTimeOffset.UtcNow.AddSeconds(30));
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client(peer).SendAsync(Message(), cancel.Token));
        Assert.Equal(1, peer.Posts);
    }

    [Fact]
    public async Task AnUnreachableEndpointIsASendGridExceptionBecauseNothingWasSent()
    {
        var client = new SendGridEmailSender(Options(SendGridPeer.ClosedEndpoint()));

        var failure = await Assert.ThrowsAsync<SendGridException>(() => client.SendAsync(Message()));

        Assert.Equal(0, failure.Status);
        Assert.Null(failure.RetryAfter);
    }
}
