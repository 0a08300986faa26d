using Azure.Messaging.ServiceBus;

namespace HandInHand.Host.Tests.Messaging;

/// <summary>
/// A <see cref="ServiceBusClient"/> (the SDK's protected constructor) whose receivers are one
/// <see cref="DeadLetterQueueReceiver"/>; it keeps what each receiver was asked for. Registered as an
/// instance, it is not disposed by the container (the base would close an AMQP connection never opened).
/// </summary>
internal sealed class DeadLetterQueueClient(DeadLetterQueueReceiver receiver) : ServiceBusClient
{
    public List<(string Queue, SubQueue SubQueue, ServiceBusReceiveMode Mode)> Receivers { get; } = [];

    public override ServiceBusReceiver CreateReceiver(string queueName, ServiceBusReceiverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Receivers.Add((queueName, options.SubQueue, options.ReceiveMode));
        return receiver;
    }

    /// <summary>The app creates its notifications sender at start; these tests send nothing through it.</summary>
    public override ServiceBusSender CreateSender(string queueOrTopicName) => new UnusedSender(queueOrTopicName);

    private sealed class UnusedSender(string entityPath) : ServiceBusSender
    {
        public override string EntityPath => entityPath;

        public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The dead-letter tests send no notification.");
    }
}
