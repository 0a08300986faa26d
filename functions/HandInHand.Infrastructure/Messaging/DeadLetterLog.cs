using System.Text;
using Azure;
using Azure.Data.Tables;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Messaging;

/// <summary>
/// A message Service Bus gave up on: which entity, which message, the referral and notification kind
/// it was about (when it was a notification), the broker's reason, how often it was tried.
/// </summary>
public sealed record DeadLetter(
    string Entity, string MessageId, string? Reference, string? Kind, string? Reason, int DeliveryCount, DateTimeOffset? EnqueuedAt, DateTimeOffset RecordedAt);

/// <summary>
/// The record of dead-lettered messages, so that they are seen: nothing cleans a dead-letter queue,
/// and a notification stuck there is an email nobody got. Filled by <see cref="DeadLetterDrain"/>, which reads the
/// notifications queue's dead-letter subqueue; read by the manager's view. One row per entity and
/// message id, inserted once.
/// </summary>
public sealed class DeadLetterLog
{
    public const string TableName = "DeadLetters";

    /// <summary>The broker's reason and description are cut to this length.</summary>
    public const int MaxReasonLength = 256;

    private readonly GuardedTableClient _table;

    public DeadLetterLog(TableProvider tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _table = tables.Get(TableName);
    }

    /// <summary>Records a dead letter; recording the same one again changes nothing.</summary>
    public async Task RecordAsync(DeadLetter letter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var row = new TableEntity(KeyOf(letter.Entity), KeyOf(letter.MessageId))
        {
            ["MessageId"] = letter.MessageId,
            ["Reference"] = letter.Reference,
            ["Kind"] = letter.Kind,
            ["Reason"] = Cut(letter.Reason),
            ["DeliveryCount"] = letter.DeliveryCount,
            ["EnqueuedAt"] = letter.EnqueuedAt,
            ["RecordedAt"] = letter.RecordedAt,
        };
        try
        {
            await _table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Received again after its completion was lost: already recorded.
        }
    }

    /// <summary>Every recorded dead letter, newest first.</summary>
    public async Task<IReadOnlyList<DeadLetter>> ListAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<DeadLetter>();
        await foreach (var row in _table.QueryAsync(null, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(new DeadLetter(
                row.PartitionKey,
                row.GetString("MessageId") ?? row.RowKey,
                row.GetString("Reference"),
                row.GetString("Kind"),
                row.GetString("Reason"),
                row.GetInt32("DeliveryCount") ?? 0,
                row.GetDateTimeOffset("EnqueuedAt"),
                row.GetDateTimeOffset("RecordedAt") ?? default));
        }

        return list.OrderByDescending(l => l.RecordedAt).ToList();
    }

    private static string? Cut(string? text) => text is { Length: > MaxReasonLength } ? text[..MaxReasonLength] : text;

    /// <summary>Keys may not hold '/', '\', '#', '?' or control characters; they become '-'.</summary>
    private static string KeyOf(string value)
    {
        var key = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            key.Append(c is '/' or '\\' or '#' or '?' or '|' || char.IsControl(c) ? '-' : c);
        }

        return key.ToString();
    }
}
