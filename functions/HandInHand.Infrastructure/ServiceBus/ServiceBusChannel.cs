using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using HandInHand.Infrastructure.Http;

namespace HandInHand.Infrastructure.ServiceBus;

/// <summary>
/// What a sender and a receiver share: the pipeline (retry, then authorisation on every attempt), the
/// address requests go to, and the entity. Transport failures become <see cref="ServiceBusException"/>s
/// with status 0; answers are left to the caller to interpret.
/// </summary>
internal sealed class ServiceBusChannel
{
    internal const string EntraScope = "https://servicebus.azure.net/.default";

    private readonly HttpPipeline _pipeline;

    private ServiceBusChannel(HttpPipeline pipeline, Uri requestEndpoint, string entityPath, TimeSpan networkTimeout)
    {
        _pipeline = pipeline;
        RequestEndpoint = requestEndpoint;
        EntityPath = entityPath;
        NetworkTimeout = networkTimeout;
    }

    /// <summary>Scheme and authority every request goes to, without a trailing slash.</summary>
    internal Uri RequestEndpoint { get; }

    internal string EntityPath { get; }

    internal TimeSpan NetworkTimeout { get; }

    internal static ServiceBusChannel FromConnectionString(string connectionString, string entityPath, ServiceBusClientOptions? options)
    {
        ServiceBusGuards.EntityPath(entityPath, nameof(entityPath));
        var parsed = ServiceBusConnectionString.Parse(connectionString, nameof(connectionString));
        if (parsed.EntityPath is not null && !string.Equals(parsed.EntityPath, entityPath, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("The connection string's EntityPath names a different entity.", nameof(entityPath));
        }

        options ??= new ServiceBusClientOptions();
        ValidateOptions(options);
        if (options.SharedAccessSignatureLifetime < TimeSpan.FromMinutes(1) || options.SharedAccessSignatureLifetime > TimeSpan.FromDays(365))
        {
            throw new ArgumentException("SharedAccessSignatureLifetime must be between one minute and one year.", nameof(options));
        }

        var endpoint = RequestEndpointFor(parsed.Host, options);
        // The token claims the entity on the namespace, wherever the request is actually sent.
        string resource = "https://" + parsed.Host + "/" + entityPath;
        var authorisation = new SharedAccessSignaturePolicy(
            resource, parsed.KeyName, parsed.Key, options.SharedAccessSignatureLifetime, options.TimeProvider);
        return new ServiceBusChannel(Build(options, authorisation), endpoint, entityPath, options.Retry.NetworkTimeout);
    }

    internal static ServiceBusChannel FromCredential(Uri fullyQualifiedNamespace, string entityPath, TokenCredential credential, ServiceBusClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(fullyQualifiedNamespace);
        ArgumentNullException.ThrowIfNull(credential);
        ServiceBusGuards.EntityPath(entityPath, nameof(entityPath));
        if (!fullyQualifiedNamespace.IsAbsoluteUri || fullyQualifiedNamespace.Host.Length == 0
            || fullyQualifiedNamespace.Scheme is not ("https" or "sb" or "amqps"))
        {
            throw new ArgumentException("The namespace must be an absolute https://, sb:// or amqps:// address.", nameof(fullyQualifiedNamespace));
        }

        options ??= new ServiceBusClientOptions();
        ValidateOptions(options);
        var endpoint = RequestEndpointFor(fullyQualifiedNamespace.Host, options);
        if (endpoint.Scheme != Uri.UriSchemeHttps)
        {
            // Azure.Core's bearer policy refuses plain http at the first request; say so up front.
            throw new ArgumentException("Bearer tokens are never sent over plain http: CustomEndpointAddress must be https.", nameof(options));
        }

        var authorisation = new BearerTokenAuthenticationPolicy(credential, EntraScope);
        return new ServiceBusChannel(Build(options, authorisation), endpoint, entityPath, options.Retry.NetworkTimeout);
    }

    /// <summary>A request to <paramref name="pathAndQuery"/> (which starts with '/'), with an empty or given body.</summary>
    internal HttpMessage CreateMessage(RequestMethod method, string pathAndQuery, ServiceBusOperation operation, byte[]? body = null, string? contentType = null)
    {
        var message = _pipeline.CreateMessage();
        message.SetOperation(operation);
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(new Uri(RequestEndpoint, pathAndQuery));
        if (contentType is not null)
        {
            request.Headers.Add(HttpHeader.Names.ContentType, contentType);
        }

        // Always a body, if only an empty one, so that every request carries Content-Length as documented.
        request.Content = RequestContent.Create(body ?? []);
        return message;
    }

    /// <summary>Sends; a transport failure becomes a <see cref="ServiceBusException"/> with status 0.</summary>
    internal async Task<Azure.Response> SendAsync(HttpMessage message, string operation, CancellationToken cancellationToken)
    {
        try
        {
            await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            return message.Response;
        }
        catch (Exception e) when (TransportFailures.IsTransportFailure(e, cancellationToken))
        {
            bool sendMayHaveHappened = message.GetOperation() == ServiceBusOperation.Send && !TransportFailures.NothingWasSent(e);
            throw ServiceBusErrors.Create(
                ServiceBusFailureKind.Other, 0, operation, EntityPath, message.Request.ClientRequestId, sendMayHaveHappened, e);
        }
    }

    internal ServiceBusException Failure(Azure.Response response, HttpMessage message, string operation) =>
        ServiceBusErrors.FromResponse(
            response, operation, EntityPath, message.Request.ClientRequestId, message.GetOperation() == ServiceBusOperation.Send);

    private static void ValidateOptions(ServiceBusClientOptions options)
    {
        if (options.RetryPolicy is not ServiceBusRetryPolicy)
        {
            throw new ArgumentException(
                "ServiceBusClientOptions.RetryPolicy must stay the Service Bus client's own policy, which keeps sends from being re-sent outside the duplicate-detection window; tune ServiceBusClientOptions.Retry instead.",
                nameof(options));
        }

        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        if (options.DuplicateDetectionWindow < TimeSpan.Zero || options.DuplicateDetectionWindow > TimeSpan.FromDays(7))
        {
            throw new ArgumentException("DuplicateDetectionWindow must be between zero and 7 days.", nameof(options));
        }
    }

    private static Uri RequestEndpointFor(string host, ServiceBusClientOptions options)
    {
        if (options.CustomEndpointAddress is not { } custom)
        {
            return new Uri("https://" + host);
        }

        if (!custom.IsAbsoluteUri || custom.AbsolutePath != "/" || custom.Query.Length > 0
            || (custom.Scheme != Uri.UriSchemeHttps && custom.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("CustomEndpointAddress must be an absolute http(s) address with no path or query.", nameof(options));
        }

        if (custom.Scheme == Uri.UriSchemeHttp && !IsLoopback(custom))
        {
            throw new ArgumentException("CustomEndpointAddress may use plain http only for a loopback address.", nameof(options));
        }

        return new Uri(custom.GetLeftPart(UriPartial.Authority));
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address));

    private static HttpPipeline Build(ServiceBusClientOptions options, HttpPipelinePolicy authorisation) =>
        HttpPipelineBuilder.Build(options, [], [authorisation], new ResponseClassifier());
}
