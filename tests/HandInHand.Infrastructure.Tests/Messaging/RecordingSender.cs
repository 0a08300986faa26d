using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;

namespace HandInHand.Infrastructure.Tests.Messaging;

/// <summary>
/// A <see cref="ServiceBusSender"/> that keeps what it is given instead of speaking AMQP (no broker
/// runs here), through the SDK's own test seam: the protected constructor and the virtual send.
/// <see cref="Failure"/>, when set, is thrown instead of accepting the message.
/// </summary>
internal sealed class RecordingSender(string entityPath) : ServiceBusSender
{
    private readonly ConcurrentQueue<ServiceBusMessage> _sent = new();

    public override string EntityPath => entityPath;

    public IReadOnlyList<ServiceBusMessage> Sent => [.. _sent];

    public Exception? Failure { get; set; }

    public int Attempts { get; private set; }

    public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
    {
        Attempts++;
        cancellationToken.ThrowIfCancellationRequested();
        if (Failure is not null)
        {
            throw Failure;
        }

        _sent.Enqueue(message);
        return Task.CompletedTask;
    }
}
