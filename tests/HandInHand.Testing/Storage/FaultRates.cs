namespace HandInHand.Testing.Storage;

/// <summary>How often each fault happens, as shares of all requests.</summary>
public sealed record FaultRates(double Latency = 0.06, double ServerBusy = 0.03, double OperationTimeout = 0.02, double Dropped = 0.02, double ResetAfterApplied = 0.02);
