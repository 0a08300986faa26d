using Azure.Messaging.ServiceBus;

namespace HandInHand.Host.Tests.Messaging;

/// <summary>
/// A dead-letter subqueue in memory behind the SDK's receiver seam (the protected constructor and the
/// virtual receive, complete and abandon), since no broker runs here. It keeps PeekLock's rules: a
/// received message is locked until it is completed (gone) or abandoned (back on the queue), and a
/// locked message is not received again. <see cref="IsRecorded"/>, when set, is asked at each
/// completion whether the message was already recorded, so a test sees the order of the two.
/// </summary>
internal sealed class DeadLetterQueueReceiver(string entityPath) : ServiceBusReceiver
{
    private readonly object _gate = new();
    private readonly List<ServiceBusReceivedMessage> _queue = [];
    private readonly HashSet<long> _locked = [];

    public override string EntityPath => entityPath;

    public Func<ServiceBusReceivedMessage, Task<bool>>? IsRecorded { get; set; }

    /// <summary>When set, each completion throws this (as when a lock is lost) and the message stays.</summary>
    public Exception? CompleteFailure { get; set; }

    public List<string> Completed { get; } = [];

    /// <summary>Whether each completed message was recorded when it was completed, in completion order.</summary>
    public List<bool> RecordedWhenCompleted { get; } = [];

    public List<string> Abandoned { get; } = [];

    public int Receives { get; private set; }

    public bool Closed { get; private set; }

    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public void Add(params ServiceBusReceivedMessage[] messages)
    {
        lock (_gate)
        {
            _queue.AddRange(messages);
        }
    }

    public override Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveMessagesAsync(int maxMessages, TimeSpan? maxWaitTime = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            Receives++;
            var batch = _queue.Where(m => !_locked.Contains(m.SequenceNumber)).Take(maxMessages).ToList();
            _locked.UnionWith(batch.Select(m => m.SequenceNumber));
            return Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>(batch);
        }
    }

    public override async Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var recorded = IsRecorded is not null && await IsRecorded(message);
        lock (_gate)
        {
            if (!_locked.Remove(message.SequenceNumber))
            {
                throw new ServiceBusException("The message is not locked by this receiver.", ServiceBusFailureReason.MessageLockLost);
            }

            if (CompleteFailure is not null)
            {
                // The lock is gone with the failure: the broker hands the message out again.
                throw CompleteFailure;
            }

            _queue.Remove(message);
            Completed.Add(message.MessageId);
            RecordedWhenCompleted.Add(recorded);
        }
    }

    public override Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            if (!_locked.Remove(message.SequenceNumber))
            {
                throw new ServiceBusException("The message is not locked by this receiver.", ServiceBusFailureReason.MessageLockLost);
            }

            Abandoned.Add(message.MessageId);
        }

        return Task.CompletedTask;
    }

    public override Task CloseAsync(CancellationToken cancellationToken = default)
    {
        // The base would close an AMQP link that this seam never opened.
        Closed = true;
        return Task.CompletedTask;
    }
}
