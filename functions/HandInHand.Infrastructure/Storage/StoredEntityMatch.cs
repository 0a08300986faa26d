using Azure.Data.Tables;

namespace HandInHand.Infrastructure.Storage;

/// <summary>
/// Whether a stored entity holds what a write sent: how <see cref="GuardedTableClient"/> recognises
/// its own write after the answer was lost. Only custom properties count; the keys, the ETag and
/// the Timestamp are the service's.
/// </summary>
internal static class StoredEntityMatch
{
    private static readonly HashSet<string> SystemProperties = new(StringComparer.Ordinal)
    {
        nameof(ITableEntity.PartitionKey), nameof(ITableEntity.RowKey), nameof(ITableEntity.Timestamp), "odata.etag",
    };

    /// <summary>True when <paramref name="stored"/> holds exactly the properties of <paramref name="sent"/> (what an insert or a replace leaves).</summary>
    internal static bool Same(TableEntity sent, TableEntity stored)
    {
        var sentProperties = Custom(sent).ToList();
        return sentProperties.Count == Custom(stored).Count() && Includes(stored, sentProperties);
    }

    /// <summary>True when <paramref name="stored"/> holds every property of <paramref name="sent"/> with the same value (what a merge leaves).</summary>
    internal static bool Includes(TableEntity stored, TableEntity sent) => Includes(stored, Custom(sent));

    private static bool Includes(TableEntity stored, IEnumerable<KeyValuePair<string, object>> sent) =>
        sent.All(p => stored.TryGetValue(p.Key, out var value) && value is not null && SameValue(p.Value, value));

    // Table Storage has no null: the SDK leaves a null property out of the request.
    private static IEnumerable<KeyValuePair<string, object>> Custom(TableEntity entity) =>
        entity.Where(p => p.Value is not null && !SystemProperties.Contains(p.Key));

    private static bool SameValue(object sent, object stored) => (sent, stored) switch
    {
        (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
        (BinaryData a, byte[] b) => a.ToMemory().Span.SequenceEqual(b),
        (DateTimeOffset a, DateTimeOffset b) => a.UtcTicks == b.UtcTicks,
        (DateTime a, DateTimeOffset b) => a.ToUniversalTime().Ticks == b.UtcTicks,
        // A whole-number double may come back as a bare JSON integer, i.e. an Int32.
        (double a, int b) => a.Equals((double)b),
        (Enum a, string b) => a.ToString() == b,
        _ => sent.Equals(stored),
    };
}
