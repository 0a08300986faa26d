using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HandInHand.Domain.Referrals;
using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Workflow;

/// <summary>A referral on the waiting list.</summary>
public sealed record WaitingEntry(string Region, string Reference, RiskLevel RiskLevel, DateTimeOffset ReceivedAt, DateTimeOffset JoinedAt);

/// <summary>
/// The waiting list, one partition per region, with row keys that sort by risk (high first) and
/// then by arrival (oldest first): the head of a region's partition is the next referral to offer.
/// Kept by the outbox effects of joining and leaving, so it follows the referrals' own state.
/// </summary>
public sealed class WaitingListIndex
{
    private readonly GuardedTableClient _table;

    public WaitingListIndex(TableProvider tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _table = tables.Get(WorkflowTables.WaitingList);
    }

    public Task JoinAsync(string region, string reference, RiskLevel riskLevel, DateTimeOffset receivedAt, DateTimeOffset joinedAt, CancellationToken cancellationToken = default) =>
        _table.UpsertEntityAsync(new TableEntity(region, KeyOf(reference, riskLevel, receivedAt))
        {
            ["Reference"] = reference,
            ["RiskLevel"] = riskLevel.ToString(),
            ["ReceivedAt"] = receivedAt,
            ["JoinedAt"] = joinedAt,
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task LeaveAsync(string region, string reference, RiskLevel riskLevel, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        try
        {
            await _table.DeleteEntityAsync(region, KeyOf(reference, riskLevel, receivedAt), ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }

    /// <summary>The waiting referrals of <paramref name="region"/> (or of every region), in the order they will be offered.</summary>
    public async Task<IReadOnlyList<WaitingEntry>> ListAsync(string? region = null, int? max = null, CancellationToken cancellationToken = default)
    {
        var filter = region is null ? null : TableClient.CreateQueryFilter($"PartitionKey eq {region}");
        var list = new List<WaitingEntry>();
        await foreach (var row in _table.QueryAsync(filter, pageSize: max, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(new WaitingEntry(
                row.PartitionKey,
                row.GetString("Reference")!,
                Enum.Parse<RiskLevel>(row.GetString("RiskLevel")!),
                row.GetDateTimeOffset("ReceivedAt") ?? default,
                row.GetDateTimeOffset("JoinedAt") ?? default));
            if (list.Count == max)
            {
                break;
            }
        }

        return [.. WaitingOrder.Sort(list, e => e.RiskLevel, e => e.ReceivedAt, e => e.Reference)];
    }

    private static string KeyOf(string reference, RiskLevel risk, DateTimeOffset receivedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{WaitingOrder.Rank(risk)}|{receivedAt.UtcTicks:D19}|{reference}");
}
