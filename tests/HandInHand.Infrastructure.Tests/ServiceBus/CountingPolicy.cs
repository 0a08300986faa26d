using Azure.Core;
using Azure.Core.Pipeline;

namespace HandInHand.Infrastructure.Tests.ServiceBus;

/// <summary>Calls back on every attempt that reaches the transport (add it per retry).</summary>
public sealed class CountingPolicy(Action onAttempt) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message) => onAttempt();
}
