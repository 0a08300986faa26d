namespace HandInHand.Infrastructure.Tables;

/// <summary>Decides whether a stored entity holds exactly the properties a write sent.</summary>
internal static class EntityComparison
{
    internal static bool SameProperties(TableEntity sent, TableEntity stored)
    {
        if (sent.Properties.Count != stored.Properties.Count)
        {
            return false;
        }

        foreach (var (name, value) in sent.Properties)
        {
            if (!stored.Properties.TryGetValue(name, out var storedValue) || !SameValue(value, storedValue))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="stored"/> holds every property of <paramref name="sent"/> with the same value (what a merge leaves).</summary>
    internal static bool Includes(TableEntity stored, TableEntity sent) =>
        sent.Properties.All(p => stored.Properties.TryGetValue(p.Key, out var storedValue) && SameValue(p.Value, storedValue));

    private static bool SameValue(object sent, object stored) => (sent, stored) switch
    {
        (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
        (DateTimeOffset a, DateTimeOffset b) => a.UtcTicks == b.UtcTicks,
        // A whole-number double may come back as a bare JSON integer, i.e. an Int32.
        (double a, int b) => a.Equals((double)b),
        _ => sent.Equals(stored),
    };
}
