namespace HandInHand.Infrastructure.Tests.Email;

/// <summary>
/// A fake clock whose time moves only when someone waits on it: a background loop finds the earliest
/// pending timer, moves the clock to its due time and fires it. Waits of any length therefore take
/// no real time, and <see cref="Waits"/> records each one that was asked for.
/// </summary>
public sealed class AutoAdvancingClock : TimeProvider, IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private readonly List<TimeSpan> _waits = [];
    private readonly CancellationTokenSource _stop = new();
    private DateTimeOffset _now;

    public AutoAdvancingClock(DateTimeOffset start)
    {
        _now = start;

        // Taken here: a token keeps working after its source is disposed, because Dispose cancels first.
        var stop = _stop.Token;
        _ = Task.Run(() => RunAsync(stop));
    }

    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (_gate)
            {
                return [.. _waits];
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            FakeTimer? due = null;
            lock (_gate)
            {
                // A timer is fired only once it has been pending for a moment, so that whoever created it
                // has stored it before its callback runs.
                due = _timers.Where(t => t.ArmedAt < Environment.TickCount64 - 2).MinBy(t => t.Due);
                if (due is not null)
                {
                    _timers.Remove(due);
                    if (due.Due > _now)
                    {
                        _now = due.Due;
                    }
                }
            }

            if (due is null)
            {
                try
                {
                    await Task.Delay(1, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            else
            {
                due.Fire();
            }
        }
    }

    private sealed class FakeTimer(AutoAdvancingClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset Due { get; private set; }

        public long ArmedAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    return true;
                }

                clock._waits.Add(dueTime);
                Due = clock._now + dueTime;
                ArmedAt = Environment.TickCount64;
                clock._timers.Add(this);
                return true;
            }
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
