using Azure.Messaging.ServiceBus;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Messaging;

/// <summary>Publishes lifecycle integration events to the Service Bus topic (ids, stage names and UTC times only).</summary>
public sealed class ServiceBusLifecycleEvents(ServiceBusSender topic) : ILifecycleEvents
{
    public Task PublishAsync(StageChanged change, CancellationToken cancellationToken = default) =>
        topic.SendMessageAsync(IntegrationMessages.StageChanged(change), cancellationToken);
}
