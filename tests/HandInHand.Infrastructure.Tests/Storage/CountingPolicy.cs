using Azure.Core;
using Azure.Core.Pipeline;

namespace HandInHand.Infrastructure.Tests.Storage;

/// <summary>Counts the attempts that reach the transport (add it per retry).</summary>
public sealed class CountingPolicy : HttpPipelineSynchronousPolicy
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
}
