using System.Globalization;
using System.Net;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using HandInHand.Infrastructure.Http;
using HandInHand.Infrastructure.Mail;

namespace HandInHand.Infrastructure.SendGrid;

/// <summary>
/// Sends mail through SendGrid's v3 Mail Send API (<c>POST /v3/mail/send</c>) over an Azure.Core
/// <see cref="HttpPipeline"/>, one recipient per request. Thread-safe; create one and reuse it.
/// </summary>
/// <remarks>
/// <para>
/// A mail send is not idempotent: SendGrid has no idempotency key, so a request sent twice may be
/// delivered twice. Every retry is therefore decided here, by what the previous answer proves:
/// </para>
/// <list type="bullet">
/// <item>200 (sandbox) or 202 → <see cref="SendResult.Accepted"/> with <c>X-Message-Id</c>.</item>
/// <item>
/// 429 → nothing was queued. Wait until <c>X-RateLimit-Reset</c> (Unix seconds, read against the
/// injected <see cref="TimeProvider"/>; at most <see cref="SendGridClientOptions.MaxRateLimitWait"/>)
/// and try again, up to <see cref="SendGridClientOptions.MaxRateLimitRetries"/> times; then
/// <see cref="SendGridException"/> (status 429): safe to send again later.
/// </item>
/// <item>
/// A connection that could not be made (refused, name not resolved, TLS) → nothing was sent; retried
/// with back-off up to <c>Retry.MaxRetries</c> times, then <see cref="SendGridException"/> (status 0).
/// </item>
/// <item>
/// 500, 502, 503, 504 → retried with exponential back-off up to <c>Retry.MaxRetries</c> times; if
/// every retry fails too, <see cref="SendResult.Unknown"/>. SendGrid documents a 5xx only as "the
/// request you made was valid, but an error occurred when SendGrid attempted to process it"; it
/// never says whether the message was queued first. We therefore treat a 5xx as "may have been
/// queued". The retries accept a small risk of a duplicate (our emails carry only a reference and
/// a sign-in link, so a duplicate is a nuisance, not a disclosure) to spare a person the work of
/// settling an Unknown after a passing fault; once they are spent, the honest answer is Unknown.
/// Set <c>Retry.MaxRetries</c> to 0 to take no such risk: every 5xx is then Unknown at once.
/// </item>
/// <item>
/// The connection breaks or times out after the request went out → <see cref="SendResult.Unknown"/>
/// at once, with no resend: SendGrid may have received and queued it.
/// </item>
/// <item>
/// Any other 4xx (400, 401, 403, 413, …) → <see cref="SendResult.Rejected"/> with SendGrid's
/// <c>errors[].field: message</c> text.
/// </item>
/// </list>
/// <para>
/// Once any attempt may have been queued (a 5xx), the result can only be Accepted or Unknown: a later
/// 4xx, an exhausted 429 or a cancellation does not prove that the earlier attempt was not queued.
/// Cancelling while a request is in flight gives Unknown too; cancelling while nothing is in flight
/// and nothing may have been queued throws <see cref="OperationCanceledException"/>.
/// </para>
/// <para>
/// Every request carries our message id as the custom argument <c>hih_message_id</c>, so an Unknown
/// can be settled from SendGrid's Email Activity. The API key and the message's recipient and content
/// never appear in results or exception messages; Azure.Core's logging redacts the Authorization
/// header and the client refuses options that would log it or the request content.
/// </para>
/// </remarks>
public sealed class SendGridClient : IEmailSender
{
    private const string MailSendPath = "v3/mail/send";
    private const string JsonContentType = "application/json";
    private const string MessageIdHeader = "X-Message-Id";
    private const string RateLimitResetHeader = "X-RateLimit-Reset";

    // X-RateLimit-Reset has whole-second resolution and comes from SendGrid's clock; timers may also
    // fire a moment early. Waiting a little past the reset keeps the retry from landing just before it.
    private static readonly TimeSpan RateLimitResetMargin = TimeSpan.FromMilliseconds(250);

    private readonly HttpPipeline _pipeline;
    private readonly Uri _mailSendUri;
    private readonly string _apiKey;
    private readonly bool _sandboxMode;
    private readonly int _maxRetries;
    private readonly TimeSpan _retryDelay;
    private readonly TimeSpan _maxRetryDelay;
    private readonly TimeSpan _networkTimeout;
    private readonly TimeSpan _maxRateLimitWait;
    private readonly int _maxRateLimitRetries;
    private readonly TimeProvider _clock;

    /// <summary>Creates a client. The options are read once, here.</summary>
    /// <param name="options">Endpoint, API key, sandbox mode, retries.</param>
    /// <param name="clock">The clock for rate-limit waits and back-off; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">The options are not usable (the message never contains the key).</exception>
    public SendGridClient(SendGridClientOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateEndpoint(options.Endpoint, nameof(options));
        ValidateApiKey(options.ApiKey, nameof(options));
        if (options.RetryPolicy is not NoPipelineRetries)
        {
            throw new ArgumentException(
                "SendGridClientOptions.RetryPolicy must stay the client's own (no pipeline retries): the client decides every retry because a mail send is not idempotent. Tune SendGridClientOptions.Retry instead.",
                nameof(options));
        }

        if (options.Diagnostics.IsLoggingContentEnabled)
        {
            throw new ArgumentException("Diagnostics.IsLoggingContentEnabled would log recipients and message content; it must stay false.", nameof(options));
        }

        if (options.Diagnostics.LoggedHeaderNames.Contains(HttpHeader.Names.Authorization, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException("Diagnostics.LoggedHeaderNames must not include Authorization: it holds the API key.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRateLimitWait, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRateLimitRetries, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Retry.MaxRetries, nameof(options));

        _mailSendUri = new Uri(options.Endpoint.AbsoluteUri.TrimEnd('/') + "/" + MailSendPath);
        _apiKey = options.ApiKey;
        _sandboxMode = options.SandboxMode;
        _maxRetries = options.Retry.MaxRetries;
        _retryDelay = options.Retry.Delay;
        _maxRetryDelay = options.Retry.MaxDelay;
        _networkTimeout = options.Retry.NetworkTimeout;
        _maxRateLimitWait = options.MaxRateLimitWait;
        _maxRateLimitRetries = options.MaxRateLimitRetries;
        _clock = clock ?? TimeProvider.System;
        _pipeline = HttpPipelineBuilder.Build(options, [], [new SendGridAuthenticationPolicy(options.ApiKey)], new ResponseClassifier());
    }

    /// <summary>The Mail Send URL requests go to.</summary>
    public Uri MailSendUri => _mailSendUri;

    /// <inheritdoc/>
    /// <exception cref="SendGridException">SendGrid certainly did not queue the message (rate limited or unreachable); safe to send again later.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while nothing was in flight and nothing may have been queued.</exception>
    public async Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        byte[] body = SendGridMailJson.Serialize(message, _sandboxMode);

        // Set by the first answer that leaves open whether SendGrid queued the message.
        string? mayHaveBeenQueued = null;
        int serverErrors = 0;
        int rateLimited = 0;
        int unreachable = 0;
        for (int attempt = 1; ; attempt++)
        {
            TimeSpan wait;
            using (var http = CreateMessage(body))
            {
                Exception? failure = await TrySendAsync(http, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        return Unknown($"The send was cancelled during attempt {attempt}, after the request may have reached SendGrid.", mayHaveBeenQueued, message);
                    }

                    string what = TransportFailures.Describe(failure, _networkTimeout);
                    if (!TransportFailures.NothingWasSent(failure))
                    {
                        return Unknown($"Attempt {attempt} failed after the request may have reached SendGrid: {what}. It was not resent.", mayHaveBeenQueued, message);
                    }

                    if (unreachable >= _maxRetries)
                    {
                        return mayHaveBeenQueued is null
                            ? throw new SendGridException(0, $"SendGrid could not be reached for message {message.MessageId} in {attempt} attempts ({what}); nothing was sent.", innerException: failure)
                            : Unknown($"SendGrid could not be reached on attempt {attempt} ({what}).", mayHaveBeenQueued, message);
                    }

                    unreachable++;
                    wait = Backoff(unreachable);
                }
                else
                {
                    var response = http.Response;
                    int status = response.Status;
                    if (status is >= 200 and <= 299)
                    {
                        return new SendResult.Accepted(response.Headers.TryGetValue(MessageIdHeader, out var providerId) && !string.IsNullOrWhiteSpace(providerId) ? providerId : null);
                    }

                    if (status == (int)HttpStatusCode.TooManyRequests)
                    {
                        DateTimeOffset? reset = RateLimitReset(response);
                        if (rateLimited >= _maxRateLimitRetries)
                        {
                            return mayHaveBeenQueued is null
                                ? throw new SendGridException(429, $"SendGrid rate-limited message {message.MessageId} on {attempt} attempts; it was not queued.", reset)
                                : Unknown($"SendGrid answered 429 to attempt {attempt}.", mayHaveBeenQueued, message);
                        }

                        rateLimited++;
                        wait = RateLimitWait(reset, rateLimited);
                    }
                    else if (status is 500 or 502 or 503 or 504)
                    {
                        mayHaveBeenQueued ??= $"SendGrid answered {status} to attempt {attempt}, and a 5xx does not say whether the message was queued first";
                        if (serverErrors >= _maxRetries)
                        {
                            return Unknown($"SendGrid answered {status} to attempt {attempt}, the last retry allowed.", mayHaveBeenQueued, message);
                        }

                        serverErrors++;
                        wait = Backoff(serverErrors);
                    }
                    else if (status is >= 400 and <= 499)
                    {
                        string error = SendGridErrors.Describe(response, _apiKey);
                        return mayHaveBeenQueued is null
                            ? new SendResult.Rejected(status, error)
                            : Unknown($"SendGrid refused attempt {attempt} with {status} ({error}).", mayHaveBeenQueued, message);
                    }
                    else
                    {
                        return Unknown($"SendGrid answered {status} to attempt {attempt}, an answer the Mail Send API does not document, so the message may have been queued.", mayHaveBeenQueued, message);
                    }
                }
            }

            try
            {
                await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && mayHaveBeenQueued is not null)
            {
                return Unknown($"The send was cancelled while waiting to retry after attempt {attempt}.", mayHaveBeenQueued, message);
            }
        }
    }

    /// <summary>What happened last, what happened earlier that left the outcome open, and how to settle it.</summary>
    private static SendResult.Unknown Unknown(string what, string? mayHaveBeenQueued, EmailMessage message) =>
        new((mayHaveBeenQueued is null ? what : $"{what} Earlier, {mayHaveBeenQueued}.")
            + $" Check SendGrid's Email Activity for hih_message_id={message.MessageId} before sending it again.");

    private static void ValidateEndpoint(Uri? endpoint, string paramName)
    {
        if (endpoint is null || !endpoint.IsAbsoluteUri)
        {
            throw new ArgumentException("SendGridClientOptions.Endpoint must be an absolute URI, e.g. https://api.sendgrid.com.", paramName);
        }

        bool loopbackHttp = endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback;
        if (endpoint.Scheme != Uri.UriSchemeHttps && !loopbackHttp)
        {
            throw new ArgumentException("SendGridClientOptions.Endpoint must be https: the API key travels in every request (plain http is allowed only for a loopback address).", paramName);
        }

        if (!string.IsNullOrEmpty(endpoint.Query) || !string.IsNullOrEmpty(endpoint.Fragment) || !string.IsNullOrEmpty(endpoint.UserInfo))
        {
            throw new ArgumentException("SendGridClientOptions.Endpoint must be a plain host URI, without user information, query or fragment.", paramName);
        }
    }

    private static void ValidateApiKey(string? apiKey, string paramName)
    {
        // The messages below describe the rule only: an exception must never carry the key.
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            throw new ArgumentException("SendGridClientOptions.ApiKey is required.", paramName);
        }

        if (!apiKey.All(c => c is > ' ' and <= '~'))
        {
            throw new ArgumentException("SendGridClientOptions.ApiKey may contain only visible ASCII characters (check for stray spaces or line breaks).", paramName);
        }
    }

    private HttpMessage CreateMessage(byte[] body)
    {
        var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = RequestMethod.Post;
        request.Uri.Reset(_mailSendUri);
        request.Headers.SetValue(HttpHeader.Names.ContentType, JsonContentType);
        request.Headers.SetValue(HttpHeader.Names.Accept, JsonContentType);
        request.Content = RequestContent.Create(body);
        return message;
    }

    private async Task<Exception?> TrySendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (TransportFailures.IsTransportFailure(e, cancellationToken) || (cancellationToken.IsCancellationRequested && e is OperationCanceledException or AggregateException))
        {
            return e;
        }
    }

    private static DateTimeOffset? RateLimitReset(Response response) =>
        response.Headers.TryGetValue(RateLimitResetHeader, out var value)
        && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
        && seconds is > 0 and < 253402300800 // DateTimeOffset.MaxValue in Unix seconds
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>Until a moment after the reset SendGrid announced (read against our clock), never less than Retry.Delay, never more than MaxRateLimitWait.</summary>
    private TimeSpan RateLimitWait(DateTimeOffset? reset, int retry)
    {
        TimeSpan wait = reset is { } until ? until - _clock.GetUtcNow() + RateLimitResetMargin : Backoff(retry);
        if (wait < _retryDelay)
        {
            wait = _retryDelay;
        }

        return wait > _maxRateLimitWait ? _maxRateLimitWait : wait;
    }

    /// <summary>Retry.Delay × 2^(n−1), capped at Retry.MaxDelay, less up to 20 % jitter so that senders do not retry in step.</summary>
    private TimeSpan Backoff(int retry)
    {
        double milliseconds = _retryDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(retry - 1, 0, 16));
        milliseconds = Math.Min(milliseconds, _maxRetryDelay.TotalMilliseconds);
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
        double jitter = 1 - (Random.Shared.NextDouble() * 0.2);
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(milliseconds * jitter);
    }
}
