using Azure;
using Azure.Data.Tables;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Referrals;

/// <summary>
/// Hands out each year's reference numbers: 1, 2, 3, … never the same number twice, also under
/// concurrent submissions on several instances. The counter is one entity per year, advanced with
/// an ETag-conditional update, so two writers cannot both take the same number: the loser of a
/// race gets 412 and tries again. A number taken by a request that then fails is skipped (a gap),
/// which is the price of never issuing a duplicate. Within one process the takers queue for the
/// counter one at a time, so that only takers on other instances can collide with each other: a
/// burst of submissions to one host costs one read and one update each, not a storm of 412s.
/// </summary>
public sealed class ReferenceSequence : IDisposable
{
    private const string Partition = "reference";
    private const string NextProperty = "Next";
    private readonly GuardedTableClient _table;
    private readonly SemaphoreSlim _turn = new(1, 1);

    public ReferenceSequence(TableProvider tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _table = tables.Get(ReferralTables.ReferenceCounters);
    }

    /// <summary>Takes the next number of the sequence of <paramref name="prefix"/> in <paramref name="year"/>.</summary>
    public async Task<long> NextAsync(string prefix, int year, CancellationToken cancellationToken = default)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await TakeAsync(prefix, year, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose() => _turn.Dispose();

    private async Task<long> TakeAsync(string prefix, int year, CancellationToken cancellationToken)
    {
        var rowKey = prefix + "-" + year.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var counter = await _table.GetEntityIfExistsAsync(Partition, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            try
            {
                if (counter is null)
                {
                    await _table.AddEntityAsync(new TableEntity(Partition, rowKey) { [NextProperty] = 2L }, cancellationToken).ConfigureAwait(false);
                    return 1;
                }

                var next = counter.GetInt64(NextProperty) ?? 1;
                var update = new TableEntity(Partition, rowKey) { [NextProperty] = next + 1 };
                await _table.UpdateEntityAsync(update, counter.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return next;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Someone else took this number first. Back off a little, with jitter, so that a
                // burst of concurrent submissions spreads out instead of colliding in lock-step.
                var ceiling = Math.Min(200, 5 * (1 << Math.Min(attempt, 5)));
                await Task.Delay(Random.Shared.Next(1, ceiling), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
