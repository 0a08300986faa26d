using System.Diagnostics;
using Azure.Storage.Queues;

namespace HandInHand.Benchmark;

/// <summary>
/// Waits until the host has worked off what a phase left queued, so that the next phase measures
/// itself and not the last one's backlog: a referral's first step is "completed" when its step is
/// recorded, while its effects (emails, report figures, the stage's announcement) are still queued
/// as activities behind it. Quiet means no visible message in any of the task hub's queues, twice,
/// a second apart (a durable timer waits invisible in its control queue and does not count).
/// </summary>
internal static class TaskHubQuiet
{
    public static async Task<TimeSpan> WaitAsync(string connectionString, string taskHub, TimeSpan limit)
    {
        var service = new QueueServiceClient(connectionString);
        var queues = new List<QueueClient>();
        await foreach (var queue in service.GetQueuesAsync(prefix: taskHub.ToLowerInvariant() + "-"))
        {
            queues.Add(service.GetQueueClient(queue.Name));
        }

        var waited = Stopwatch.StartNew();
        var quietChecks = 0;
        while (quietChecks < 2 && waited.Elapsed < limit)
        {
            var visible = 0;
            foreach (var queue in queues)
            {
                visible += (await queue.PeekMessagesAsync(maxMessages: 1)).Value.Length;
            }

            quietChecks = visible == 0 ? quietChecks + 1 : 0;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return waited.Elapsed;
    }
}
