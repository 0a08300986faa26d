using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;

namespace HandInHand.Infrastructure.ServiceBus;

/// <summary>
/// Sends messages to one Service Bus queue or topic over the REST API
/// (<c>POST https://{namespace}/{entity}/messages</c>, answered 201), on an Azure.Core
/// <see cref="HttpPipeline"/>. Authenticates with a shared access signature (connection string) or a
/// Microsoft Entra token (<see cref="TokenCredential"/>, scope <c>https://servicebus.azure.net/.default</c>).
/// Failures surface as <see cref="ServiceBusException"/>. Thread-safe; create one per entity and reuse it.
/// </summary>
/// <remarks>
/// Retries: 408, 429, 500, 502, 503, 504 and transport failures are retried with jittered exponential
/// back-off (<see cref="Azure.Core.ClientOptions.Retry"/>). After such a failure the message may already
/// have been enqueued, and re-sending it is safe only because it carries the same
/// <see cref="ServiceBusMessage.MessageId"/> and the entity is expected to have duplicate detection on:
/// the broker then drops the second copy — but only if it arrives within the entity's
/// duplicate-detection window. The client therefore stops re-sending once a copy could arrive after
/// <see cref="ServiceBusClientOptions.DuplicateDetectionWindow"/>, and never re-sends an ambiguous send
/// when that is zero. 400, 401, 403, 404, 410 and 413 are not retried. A failure whose message says the
/// send may or may not have happened can be repeated by the caller with the same MessageId, again
/// only within the window.
/// </remarks>
public sealed class ServiceBusSender
{
    private const string DefaultContentType = "text/plain; charset=utf-8";
    private const string BatchContentType = "application/vnd.microsoft.servicebus.json";
    private const string BrokerPropertiesHeader = "BrokerProperties";

    private readonly ServiceBusChannel _channel;

    /// <summary>
    /// Creates a sender that signs requests with a shared access signature built from
    /// <c>Endpoint=sb://{namespace}/;SharedAccessKeyName=…;SharedAccessKey=…</c> (an <c>EntityPath</c>
    /// in the string must name the same entity).
    /// </summary>
    /// <param name="connectionString">The namespace or entity connection string.</param>
    /// <param name="entityPath">The queue or topic.</param>
    /// <param name="options">Client options.</param>
    /// <exception cref="ArgumentException">The connection string, entity path or options are not valid.</exception>
    public ServiceBusSender(string connectionString, string entityPath, ServiceBusClientOptions? options = null)
    {
        _channel = ServiceBusChannel.FromConnectionString(connectionString, entityPath, options);
    }

    /// <summary>
    /// Creates a sender that sends <c>Authorization: Bearer</c> tokens for
    /// <c>https://servicebus.azure.net/.default</c> obtained from <paramref name="credential"/>.
    /// </summary>
    /// <param name="fullyQualifiedNamespace">The namespace, e.g. <c>https://ns.servicebus.windows.net</c>.</param>
    /// <param name="entityPath">The queue or topic.</param>
    /// <param name="credential">The Entra credential (the identity needs the Azure Service Bus Data Sender role).</param>
    /// <param name="options">Client options.</param>
    public ServiceBusSender(Uri fullyQualifiedNamespace, string entityPath, TokenCredential credential, ServiceBusClientOptions? options = null)
    {
        _channel = ServiceBusChannel.FromCredential(fullyQualifiedNamespace, entityPath, credential, options);
    }

    /// <summary>The queue or topic messages are sent to.</summary>
    public string EntityPath => _channel.EntityPath;

    private string MessagesPath => "/" + EntityPath + "/messages";

    /// <summary>
    /// Sends one message: its body as the request body, its broker properties as the
    /// <c>BrokerProperties</c> header and each application property as a header of its own.
    /// </summary>
    /// <exception cref="ArgumentException">The message breaks a rule (see <see cref="ServiceBusMessage"/>); nothing was sent.</exception>
    /// <exception cref="ServiceBusException">The service refused the message or could not be reached.</exception>
    public async Task SendAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
    {
        ServiceBusGuards.Message(message, nameof(message));
        using var request = _channel.CreateMessage(
            RequestMethod.Post, MessagesPath, ServiceBusOperation.Send, Encoding.UTF8.GetBytes(message.Body), message.ContentType ?? DefaultContentType);
        var headers = request.Request.Headers;
        headers.Add(BrokerPropertiesHeader, BrokerPropertiesJson.Serialize(message));
        foreach (var (name, value) in message.ApplicationProperties)
        {
            headers.Add(name, ApplicationPropertyHeaders.Encode(value));
        }

        var response = await _channel.SendAsync(request, nameof(SendAsync), cancellationToken).ConfigureAwait(false);
        if (response.Status != 201)
        {
            throw _channel.Failure(response, request, nameof(SendAsync));
        }
    }

    /// <summary>
    /// Sends several messages in one request, as the JSON array of the REST API's Send Message Batch
    /// (<c>Content-Type: application/vnd.microsoft.servicebus.json</c>; each element carries <c>Body</c>,
    /// <c>BrokerProperties</c> and <c>UserProperties</c>). The format has no per-message content type, so
    /// messages that set <see cref="ServiceBusMessage.ContentType"/> are refused; MessageIds must be distinct.
    /// </summary>
    /// <exception cref="ArgumentException">The batch is empty, too large, or a message breaks a rule; nothing was sent.</exception>
    /// <exception cref="ServiceBusException">The service refused the batch or could not be reached.</exception>
    public async Task SendBatchAsync(IReadOnlyList<ServiceBusMessage> messages, CancellationToken cancellationToken = default)
    {
        byte[] body = SerializeBatch(messages, nameof(messages));
        using var request = _channel.CreateMessage(RequestMethod.Post, MessagesPath, ServiceBusOperation.Send, body, BatchContentType);
        var response = await _channel.SendAsync(request, nameof(SendBatchAsync), cancellationToken).ConfigureAwait(false);
        if (response.Status != 201)
        {
            throw _channel.Failure(response, request, nameof(SendBatchAsync));
        }
    }

    internal static byte[] SerializeBatch(IReadOnlyList<ServiceBusMessage> messages, string paramName)
    {
        ArgumentNullException.ThrowIfNull(messages, paramName);
        if (messages.Count == 0)
        {
            throw new ArgumentException("The batch is empty.", paramName);
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            ServiceBusGuards.Message(message, paramName);
            if (message.ContentType is not null)
            {
                throw new ArgumentException("A batch cannot carry a per-message ContentType; send such messages one by one.", paramName);
            }

            if (!ids.Add(message.MessageId))
            {
                throw new ArgumentException("Two messages in the batch share a MessageId; the broker would drop one as a duplicate.", paramName);
            }
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var message in messages)
            {
                writer.WriteStartObject();
                writer.WriteString("Body", message.Body);
                writer.WritePropertyName("BrokerProperties");
                BrokerPropertiesJson.Write(writer, message);
                if (message.ApplicationProperties.Count > 0)
                {
                    writer.WriteStartObject("UserProperties");
                    foreach (var (name, value) in message.ApplicationProperties)
                    {
                        ApplicationPropertyHeaders.WriteJson(writer, name, value);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        // Assumed, conservatively: the whole request is bounded by the Standard tier's 256 KiB message size.
        if (buffer.Length > ServiceBusMessage.MaxBodyBytes)
        {
            throw new ArgumentException("The batch is larger than 256 KiB; split it.", paramName);
        }

        return buffer.ToArray();
    }
}
