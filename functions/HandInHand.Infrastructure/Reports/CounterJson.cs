using System.Text.Json;

namespace HandInHand.Infrastructure.Reports;

/// <summary>Counters as stored: a JSON object of name → whole number, names in ordinal order.</summary>
internal static class CounterJson
{
    public static string Serialize(IReadOnlyDictionary<string, int> counters) =>
        JsonSerializer.Serialize(new SortedDictionary<string, int>(counters.ToDictionary(), StringComparer.Ordinal));

    public static Dictionary<string, int> Deserialize(string? json) =>
        string.IsNullOrEmpty(json) ? new Dictionary<string, int>(StringComparer.Ordinal) : JsonSerializer.Deserialize<Dictionary<string, int>>(json) ?? [];

    public static void AddInto(Dictionary<string, long> total, IReadOnlyDictionary<string, int> counters)
    {
        foreach (var (name, value) in counters)
        {
            total[name] = total.GetValueOrDefault(name) + value;
        }
    }
}
