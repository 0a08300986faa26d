using System.Globalization;
using Azure;
using Azure.Core;

namespace HandInHand.Infrastructure.ServiceBus;

/// <summary>
/// Receives messages from one queue (or <c>topic/subscriptions/name</c>) with peek-lock over the REST API:
/// <c>POST /{entity}/messages/head?timeout=N</c> locks and returns the next message, <c>DELETE</c> on the
/// locked message completes it, <c>PUT</c> abandons it (unlocks it for redelivery). Delivery is at least
/// once: settle a message only after it has been processed. Thread-safe.
/// </summary>
/// <remarks>
/// Receives and settlements are retried on 408, 429, 500, 502, 503, 504 and transport failures. A
/// receive whose answer was lost leaves a message locked that nobody holds; it is delivered again when
/// the lock expires, with a higher delivery count. A repeated settlement can only answer 404
/// (<see cref="ServiceBusFailureKind.NotFound"/>) if the first one did arrive, which is also what an
/// expired lock answers.
/// </remarks>
public sealed class ServiceBusReceiver
{
    private readonly ServiceBusChannel _channel;

    /// <summary>Creates a receiver that signs requests with a shared access signature from the connection string.</summary>
    /// <param name="connectionString">The namespace or entity connection string (needs the Listen right).</param>
    /// <param name="entityPath">The queue, or <c>topic/subscriptions/name</c>.</param>
    /// <param name="options">Client options.</param>
    public ServiceBusReceiver(string connectionString, string entityPath, ServiceBusClientOptions? options = null)
    {
        _channel = ServiceBusChannel.FromConnectionString(connectionString, entityPath, options);
    }

    /// <summary>Creates a receiver that sends Entra bearer tokens (the identity needs Azure Service Bus Data Receiver).</summary>
    /// <param name="fullyQualifiedNamespace">The namespace, e.g. <c>https://ns.servicebus.windows.net</c>.</param>
    /// <param name="entityPath">The queue, or <c>topic/subscriptions/name</c>.</param>
    /// <param name="credential">The Entra credential.</param>
    /// <param name="options">Client options.</param>
    public ServiceBusReceiver(Uri fullyQualifiedNamespace, string entityPath, TokenCredential credential, ServiceBusClientOptions? options = null)
    {
        _channel = ServiceBusChannel.FromCredential(fullyQualifiedNamespace, entityPath, credential, options);
    }

    /// <summary>The queue or subscription messages are received from.</summary>
    public string EntityPath => _channel.EntityPath;

    private string MessagesPath => "/" + EntityPath + "/messages/";

    /// <summary>
    /// Locks and returns the next message, waiting up to <paramref name="timeout"/> (whole seconds) for
    /// one to arrive; <c>null</c> when none did.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is negative or not at least 5 s shorter than the network timeout.</exception>
    /// <exception cref="ServiceBusException">The service refused the request, could not be reached, or its answer could not be read.</exception>
    public async Task<ReceivedMessage?> ReceiveAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        int seconds = ServiceBusGuards.ReceiveTimeout(timeout, _channel.NetworkTimeout, nameof(timeout));
        string path = MessagesPath + "head?timeout=" + seconds.ToString(CultureInfo.InvariantCulture);
        using var request = _channel.CreateMessage(RequestMethod.Post, path, ServiceBusOperation.Receive);
        var response = await _channel.SendAsync(request, nameof(ReceiveAsync), cancellationToken).ConfigureAwait(false);
        if (response.Status == 204)
        {
            return null;
        }

        // The REST reference answers a peek-lock with 201 Created; 200 is accepted as well.
        if (response.Status is not (200 or 201))
        {
            throw _channel.Failure(response, request, nameof(ReceiveAsync));
        }

        return Read(response)
            ?? throw ServiceBusErrors.Create(
                ServiceBusFailureKind.Other, response.Status, nameof(ReceiveAsync), EntityPath, request.Request.ClientRequestId, false,
                new InvalidDataException("The answer had no BrokerProperties header with a LockToken and SequenceNumber."));
    }

    /// <summary>Completes the message: deletes it from the entity. Call it only after processing succeeded.</summary>
    /// <exception cref="ServiceBusException">
    /// <see cref="ServiceBusFailureKind.NotFound"/> when the lock has expired (the message will be delivered again) or was already settled.
    /// </exception>
    public Task CompleteAsync(ReceivedMessage message, CancellationToken cancellationToken = default) =>
        SettleAsync(message, RequestMethod.Delete, nameof(CompleteAsync), cancellationToken);

    /// <summary>Abandons the message: unlocks it so that it is delivered again (its delivery count grows).</summary>
    /// <exception cref="ServiceBusException"><see cref="ServiceBusFailureKind.NotFound"/> when the lock has already expired.</exception>
    public Task AbandonAsync(ReceivedMessage message, CancellationToken cancellationToken = default) =>
        SettleAsync(message, RequestMethod.Put, nameof(AbandonAsync), cancellationToken);

    private async Task SettleAsync(ReceivedMessage message, RequestMethod method, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!message.LockPath.StartsWith(MessagesPath, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("The message was not received from this entity.", nameof(message));
        }

        using var request = _channel.CreateMessage(method, message.LockPath, ServiceBusOperation.Settle);
        var response = await _channel.SendAsync(request, operation, cancellationToken).ConfigureAwait(false);
        if (response.Status is < 200 or > 299)
        {
            throw _channel.Failure(response, request, operation);
        }
    }

    private ReceivedMessage? Read(Response response)
    {
        var headers = response.Headers;
        var broker = BrokerPropertiesJson.Parse(headers.TryGetValue("BrokerProperties", out var json) ? json : null);
        if (broker is not { LockToken: Guid lockToken, SequenceNumber: long sequenceNumber })
        {
            return null;
        }

        return new ReceivedMessage(
            response.Content.ToString(),
            broker.MessageId,
            lockToken,
            sequenceNumber,
            broker.DeliveryCount ?? 1,
            ApplicationPropertyHeaders.Read(headers))
        {
            ContentType = headers.TryGetValue(HttpHeader.Names.ContentType, out var contentType) ? contentType : null,
            CorrelationId = broker.CorrelationId,
            SessionId = broker.SessionId,
            Subject = broker.Label,
            EnqueuedTime = broker.EnqueuedTime,
            LockedUntil = broker.LockedUntil,
            LockPath = LockPath(headers.TryGetValue("Location", out var location) ? location : null, sequenceNumber, lockToken),
        };
    }

    /// <summary>
    /// The locked message's path. The REST reference says to use the Location URI as returned; only its
    /// path is taken, and requests still go to this client's own endpoint, so a Location naming another
    /// host can never receive our credentials. Without a usable Location the documented
    /// <c>/{entity}/messages/{sequenceNumber}/{lockToken}</c> form is built.
    /// </summary>
    private string LockPath(string? location, long sequenceNumber, Guid lockToken)
    {
        if (location is not null && Uri.TryCreate(location, UriKind.Absolute, out var uri)
            && uri.AbsolutePath.StartsWith(MessagesPath, StringComparison.OrdinalIgnoreCase)
            && uri.AbsolutePath[MessagesPath.Length..].Split('/') is [{ Length: > 0 }, { Length: > 0 }])
        {
            return uri.AbsolutePath;
        }

        return MessagesPath + sequenceNumber.ToString(CultureInfo.InvariantCulture) + "/" + lockToken.ToString("D");
    }
}
