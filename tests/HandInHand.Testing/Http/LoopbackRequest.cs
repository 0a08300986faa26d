namespace HandInHand.Testing.Http;

/// <summary>
/// One request as it arrived on the wire: headers in the order sent (repeats kept), the body
/// de-chunked. <c>Connection</c> numbers the TCP connection (1, 2, …) that carried it.
/// </summary>
public sealed record LoopbackRequest(string Method, string Target, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body, int Connection)
{
    /// <summary>All values of a header, in order.</summary>
    public IReadOnlyList<string> HeaderValues(string name) =>
        [.. Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)];

    /// <summary>A decoded query parameter of <paramref name="target"/>, or null.</summary>
    public static string? Query(string target, string name)
    {
        int question = target.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return null;
        }

        foreach (string pair in target[(question + 1)..].Split('&'))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && Uri.UnescapeDataString(pair[..equals]) == name)
            {
                return Uri.UnescapeDataString(pair[(equals + 1)..]);
            }
        }

        return null;
    }
}
