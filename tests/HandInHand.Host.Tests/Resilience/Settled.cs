namespace HandInHand.Host.Tests.Resilience;

/// <summary>How a resilience run settled: what was still broken at the end (empty when settled clean), after how many checks and how long.</summary>
internal sealed record Settled(IReadOnlyList<string> Violations, int Checks, TimeSpan Waited);
