using Azure.Core;
using Azure.Core.Pipeline;

namespace HandInHand.Infrastructure.SendGrid;

/// <summary>
/// Adds <c>Authorization: Bearer &lt;API key&gt;</c>. Azure.Core's logging redacts the header
/// (it is not in <c>LoggedHeaderNames</c>, and the client refuses options that put it there).
/// </summary>
internal sealed class SendGridAuthenticationPolicy(string apiKey) : HttpPipelineSynchronousPolicy
{
    private readonly string _value = "Bearer " + apiKey;

    public override void OnSendingRequest(HttpMessage message) =>
        message.Request.Headers.SetValue(HttpHeader.Names.Authorization, _value);
}
