namespace HandInHand.Testing.Storage;

/// <summary>
/// The fault schedule: the n-th request through the proxy gets the n-th draw of a
/// <see cref="Random"/> seeded with the run's seed, so the same seed gives the same sequence of
/// faults (which request gets which depends on the order requests arrive in).
/// </summary>
public sealed class FaultSchedule(int seed, FaultRates rates)
{
    private readonly Random _random = new(seed);
    private readonly Lock _gate = new();
    private readonly Queue<FaultKind> _script = new();

    /// <summary>A schedule that injects <paramref name="faults"/> in this order, then nothing (for tests of one fault).</summary>
    public static FaultSchedule Scripted(params FaultKind[] faults)
    {
        var schedule = new FaultSchedule(0, new FaultRates(0, 0, 0, 0, 0));
        foreach (var fault in faults)
        {
            schedule._script.Enqueue(fault);
        }

        return schedule;
    }

    public (FaultKind Kind, int Parameter) Next()
    {
        lock (_gate)
        {
            if (_script.TryDequeue(out var scripted))
            {
                // Even parameter: an Operation Timeout reaches storage before it is answered.
                return (scripted, 100);
            }

            var draw = _random.NextDouble();
            var parameter = _random.Next(20, 400);
            foreach (var (kind, share) in new[]
            {
                (FaultKind.Latency, rates.Latency), (FaultKind.ServerBusy, rates.ServerBusy), (FaultKind.OperationTimeout, rates.OperationTimeout),
                (FaultKind.Dropped, rates.Dropped), (FaultKind.ResetAfterApplied, rates.ResetAfterApplied),
            })
            {
                if (draw < share)
                {
                    return (kind, parameter);
                }

                draw -= share;
            }

            return (FaultKind.None, parameter);
        }
    }
}
