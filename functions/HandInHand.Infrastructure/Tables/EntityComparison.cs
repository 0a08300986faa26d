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

    private static bool SameValue(object sent, object stored) => (sent, stored) switch
    {
        (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
        (DateTimeOffset a, DateTimeOffset b) => a.UtcTicks == b.UtcTicks,
        // A whole-number double may come back as a bare JSON integer, i.e. an Int32.
        (double a, int b) => a.Equals((double)b),
        _ => sent.Equals(stored),
    };
}
