namespace HandInHand.Benchmark;

/// <summary>
/// Staff commands timed at the HTTP client, from the request to its answer with the referral's new
/// state: every command, and accept and first contact apart. <paramref name="Pending"/> counts the
/// answers 202 (the outcome not recorded within the host's command wait), which are counted as failed.
/// </summary>
internal sealed record RoundTrips(Throughput All, Throughput Accept, Throughput FirstContact, int Pending);
