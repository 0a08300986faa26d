using System.Globalization;
using System.Net;
using HandInHand.Infrastructure.Mail;
using SendGrid;
using SendGrid.Helpers.Reliability;

namespace HandInHand.Infrastructure.Email;

/// <summary>
/// Sends mail with the SendGrid SDK's <see cref="SendGridClient"/> (v3 Mail Send), one recipient per
/// request, and says what is known about each send as a <see cref="SendResult"/>. Thread-safe; create
/// one and reuse it.
/// </summary>
/// <remarks>
/// <para>
/// A mail send is not idempotent: SendGrid has no idempotency key, so a request sent twice may be
/// delivered twice, and our delivery ledger promises at most once. The SDK's own retries
/// (<see cref="ReliabilitySettings"/>) resend after a 5xx or a timeout without knowing whether the
/// first attempt was queued, so they are set to none. Each answer is read for what it proves:
/// </para>
/// <list type="bullet">
/// <item>200 (sandbox) or 202 → <see cref="SendResult.Accepted"/> with <c>X-Message-Id</c>.</item>
/// <item>
/// 429 → nothing was queued. Wait until <c>X-RateLimit-Reset</c> (Unix seconds, read against the
/// injected <see cref="TimeProvider"/>; at most <see cref="SendGridEmailOptions.MaxRateLimitWait"/>)
/// and try again, up to <see cref="SendGridEmailOptions.MaxRateLimitRetries"/> times; then
/// <see cref="SendGridException"/> (status 429): safe to send again later. Cancelling the wait throws
/// <see cref="OperationCanceledException"/>, as nothing was queued.
/// </item>
/// <item>
/// A connection that could not be made (refused, name not resolved, TLS) → nothing was sent:
/// <see cref="SendGridException"/> (status 0).
/// </item>
/// <item>
/// Any other 4xx (400, 401, 403, 413, …) → <see cref="SendResult.Rejected"/> with SendGrid's
/// <c>errors[].field: message</c> text.
/// </item>
/// <item>
/// A 5xx, any answer Mail Send does not document, a connection that broke after the request went
/// out, no answer within <see cref="SendGridEmailOptions.NetworkTimeout"/>, or a cancellation while
/// the request was in flight → <see cref="SendResult.Unknown"/>, never resent: SendGrid documents a
/// 5xx only as "an error occurred when SendGrid attempted to process it", not whether it was queued.
/// </item>
/// </list>
/// <para>
/// Every request carries our message id as the custom argument <c>hih_message_id</c>, so an Unknown
/// can be settled from SendGrid's Email Activity. The API key and the message's recipient and content
/// never appear in results or exception messages.
/// </para>
/// </remarks>
public sealed class SendGridEmailSender : IEmailSender
{
    private const string MailSendPath = "mail/send";
    private const string MessageIdHeader = "X-Message-Id";
    private const string RateLimitResetHeader = "X-RateLimit-Reset";

    // X-RateLimit-Reset has whole-second resolution and comes from SendGrid's clock; timers may also
    // fire a moment early. Waiting a little past the reset keeps the retry from landing just before it.
    private static readonly TimeSpan RateLimitResetMargin = TimeSpan.FromMilliseconds(250);

    // The wait after a 429 that names no reset: SendGrid's limits are per second or per minute.
    private static readonly TimeSpan RateLimitFallbackWait = TimeSpan.FromSeconds(1);

    private readonly SendGridClient _client;
    private readonly string _apiKey;
    private readonly bool _sandboxMode;
    private readonly TimeSpan _networkTimeout;
    private readonly TimeSpan _maxRateLimitWait;
    private readonly int _maxRateLimitRetries;
    private readonly TimeProvider _clock;

    /// <summary>Creates a sender. The options are read once, here.</summary>
    /// <param name="options">Endpoint, API key, sandbox mode, timeout, rate-limit waits.</param>
    /// <param name="clock">The clock for rate-limit waits; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">The options are not usable (the message never contains the key).</exception>
    public SendGridEmailSender(SendGridEmailOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateEndpoint(options.Endpoint, nameof(options));
        ValidateApiKey(options.ApiKey, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.NetworkTimeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRateLimitWait, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRateLimitRetries, nameof(options));

        _apiKey = options.ApiKey;
        _sandboxMode = options.SandboxMode;
        _networkTimeout = options.NetworkTimeout;
        _maxRateLimitWait = options.MaxRateLimitWait;
        _maxRateLimitRetries = options.MaxRateLimitRetries;
        _clock = clock ?? TimeProvider.System;
        _client = new SendGridClient(new SendGridClientOptions
        {
            ApiKey = options.ApiKey,
            Host = options.Endpoint.AbsoluteUri,

            // No resend by the SDK: at most once is decided here, from what each answer proves.
            ReliabilitySettings = new ReliabilitySettings(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero),

            // Every status is read below; the SDK's exceptions would quote SendGrid's body wholesale.
            HttpErrorAsException = false,
        });
    }

    /// <inheritdoc/>
    /// <exception cref="SendGridException">SendGrid certainly did not queue the message (rate limited or unreachable); safe to send again later.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while nothing was in flight and nothing may have been queued.</exception>
    public async Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        for (int attempt = 1; ; attempt++)
        {
            // What SendEmailAsync does, with the body written before the network timeout starts.
            string body = SendGridMessages.From(message, _sandboxMode).Serialize();
            Response response;
            using (var attemptToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attemptToken.CancelAfter(_networkTimeout);
                try
                {
                    response = await _client.RequestAsync(BaseClient.Method.POST, body, urlPath: MailSendPath, cancellationToken: attemptToken.Token).ConfigureAwait(false);
                }
                catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError)
                {
                    // Failed while connecting: not one byte of the request can have reached SendGrid.
                    throw new SendGridException(0, $"SendGrid could not be reached for message {message.MessageId} ({nameof(HttpRequestException)} {e.HttpRequestError}); nothing was sent.", innerException: e);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return Unknown($"The send was cancelled during attempt {attempt}, after the request may have reached SendGrid.", message);
                }
                catch (OperationCanceledException)
                {
                    return Unknown($"No complete answer to attempt {attempt} within the network timeout of {_networkTimeout.TotalSeconds:0.###} s; it was not resent.", message);
                }
                catch (Exception e) when (e is HttpRequestException or IOException)
                {
                    string what = e is HttpRequestException http ? $"{nameof(HttpRequestException)} ({http.HttpRequestError})" : e.GetType().Name;
                    return Unknown($"Attempt {attempt} failed after the request may have reached SendGrid: {what}. It was not resent.", message);
                }
            }

            using var content = response.Body;
            int status = (int)response.StatusCode;
            if (status is >= 200 and <= 299)
            {
                return new SendResult.Accepted(Header(response, MessageIdHeader) is { Length: > 0 } providerId ? providerId : null);
            }

            if (status == (int)HttpStatusCode.TooManyRequests)
            {
                DateTimeOffset? reset = RateLimitReset(response);
                if (attempt > _maxRateLimitRetries)
                {
                    throw new SendGridException(429, $"SendGrid rate-limited message {message.MessageId} on {attempt} attempts; it was not queued.", reset);
                }

                // Nothing was queued, so cancelling the wait simply throws: the caller may send later.
                await Task.Delay(RateLimitWait(reset), _clock, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (status is >= 400 and <= 499)
            {
                return new SendResult.Rejected(status, SendGridErrors.Describe(status, await BodyAsync(response, cancellationToken).ConfigureAwait(false), _apiKey));
            }

            return status is >= 500 and <= 599
                ? Unknown($"SendGrid answered {status} to attempt {attempt}, which does not say whether the message was queued first; it was not resent.", message)
                : Unknown($"SendGrid answered {status} to attempt {attempt}, an answer the Mail Send API does not document, so the message may have been queued.", message);
        }
    }

    /// <summary>What happened, and how to settle it.</summary>
    private static SendResult.Unknown Unknown(string what, EmailMessage message) =>
        new(what + $" Check SendGrid's Email Activity for {SendGridMessages.MessageIdArgument}={message.MessageId} before sending it again.");

    private static string? Header(Response response, string name) =>
        response.Headers is { } headers && headers.TryGetValues(name, out var values) ? values.FirstOrDefault()?.Trim() : null;

    private static async Task<ReadOnlyMemory<byte>> BodyAsync(Response response, CancellationToken cancellationToken)
    {
        if (response.Body is null)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        try
        {
            return await response.Body.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // The refusal stands without its explanation.
            return ReadOnlyMemory<byte>.Empty;
        }
    }

    private static DateTimeOffset? RateLimitReset(Response response) =>
        Header(response, RateLimitResetHeader) is { } value
        && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
        && seconds is > 0 and < 253402300800 // DateTimeOffset.MaxValue in Unix seconds
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>Until a moment after the reset SendGrid announced (read against our clock), never more than MaxRateLimitWait.</summary>
    private TimeSpan RateLimitWait(DateTimeOffset? reset)
    {
        TimeSpan wait = reset is { } until ? until - _clock.GetUtcNow() + RateLimitResetMargin : RateLimitFallbackWait;
        if (wait < RateLimitResetMargin)
        {
            wait = RateLimitResetMargin;
        }

        return wait > _maxRateLimitWait ? _maxRateLimitWait : wait;
    }

    private static void ValidateEndpoint(Uri? endpoint, string paramName)
    {
        if (endpoint is null || !endpoint.IsAbsoluteUri)
        {
            throw new ArgumentException("SendGrid's Endpoint must be an absolute URI, e.g. https://api.sendgrid.com.", paramName);
        }

        bool loopbackHttp = endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback;
        if (endpoint.Scheme != Uri.UriSchemeHttps && !loopbackHttp)
        {
            throw new ArgumentException("SendGrid's Endpoint must be https: the API key travels in every request (plain http is allowed only for a loopback address).", paramName);
        }

        if (!string.IsNullOrEmpty(endpoint.Query) || !string.IsNullOrEmpty(endpoint.Fragment) || !string.IsNullOrEmpty(endpoint.UserInfo))
        {
            throw new ArgumentException("SendGrid's Endpoint must be a plain host URI, without user information, query or fragment.", paramName);
        }
    }

    private static void ValidateApiKey(string? apiKey, string paramName)
    {
        // The messages below describe the rule only: an exception must never carry the key.
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            throw new ArgumentException("The SendGrid API key is required.", paramName);
        }

        if (!apiKey.All(c => c is > ' ' and <= '~'))
        {
            throw new ArgumentException("The SendGrid API key may contain only visible ASCII characters (check for stray spaces or line breaks).", paramName);
        }
    }
}
