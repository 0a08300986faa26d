using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Workflow;

/// <summary>A notification as delivered: which referral, what kind, to whom, when. No personal data.</summary>
/// <remarks>Kind and role serialise by name, as everywhere else in the API: their numbers would shift whenever a kind is added.</remarks>
public sealed record DeliveredNotification(
    string MessageId,
    string Reference,
    [property: JsonConverter(typeof(JsonStringEnumConverter<NotificationKind>))] NotificationKind Kind,
    [property: JsonConverter(typeof(JsonStringEnumConverter<Role>))] Role RecipientRole,
    string? RecipientId,
    DateTimeOffset DeliveredAt);

/// <summary>
/// The recorder that outbox notifications are delivered to until email exists: one row per message
/// id, inserted once, so a notification delivered twice by a retried drain is recorded once.
/// </summary>
public sealed class NotificationLog
{
    private readonly GuardedTableClient _table;

    public NotificationLog(TableProvider tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _table = tables.Get(WorkflowTables.Notifications);
    }

    /// <summary>Records a notification; true when new, false when this message id was recorded before.</summary>
    public async Task<bool> RecordAsync(DeliveredNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var row = new TableEntity(notification.Reference, notification.MessageId.Replace('|', '-'))
        {
            ["MessageId"] = notification.MessageId,
            ["Kind"] = notification.Kind.ToString(),
            ["RecipientRole"] = notification.RecipientRole.ToString(),
            ["RecipientId"] = notification.RecipientId,
            ["DeliveredAt"] = notification.DeliveredAt,
        };
        try
        {
            await _table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Every notification, or those of one referral, oldest first.</summary>
    public async Task<IReadOnlyList<DeliveredNotification>> ListAsync(string? reference = null, CancellationToken cancellationToken = default)
    {
        var filter = reference is null ? null : TableClient.CreateQueryFilter($"PartitionKey eq {reference}");
        var list = new List<DeliveredNotification>();
        await foreach (var row in _table.QueryAsync(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(new DeliveredNotification(
                row.GetString("MessageId") ?? row.RowKey,
                row.PartitionKey,
                Enum.Parse<NotificationKind>(row.GetString("Kind")!),
                Enum.Parse<Role>(row.GetString("RecipientRole")!),
                row.GetString("RecipientId"),
                row.GetDateTimeOffset("DeliveredAt") ?? default));
        }

        return [.. list.OrderBy(n => n.DeliveredAt).ThenBy(n => n.MessageId, StringComparer.Ordinal)];
    }
}
