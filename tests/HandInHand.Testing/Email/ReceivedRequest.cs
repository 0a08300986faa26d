using System.Text;

namespace HandInHand.Testing.Email;

/// <summary>One request as the peer received it. <c>Number</c> counts requests (1, 2, …), <c>Connection</c> TCP connections.</summary>
public sealed record ReceivedRequest(string Method, string Target, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public int Number { get; init; }

    public int Connection { get; init; }

    public DateTimeOffset ArrivedAt { get; init; }

    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>All values of a header, in order.</summary>
    public IReadOnlyList<string> HeaderValues(string name) =>
        [.. Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)];

    public string? Header(string name) => HeaderValues(name) is [var only] ? only : null;
}
