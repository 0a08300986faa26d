using Microsoft.Extensions.Time.Testing;

namespace HandInHand.Testing.Time;

/// <summary>
/// A <see cref="FakeTimeProvider"/> whose time moves only when someone waits on it: arming a timer
/// (<c>Task.Delay</c> with this provider, a <c>CancelAfter</c>, …) soon moves the clock on to that
/// timer's due time, so waits of any length take no real time while every reading of the clock
/// stays exact. <see cref="Waits"/> records each wait that was asked for.
/// </summary>
/// <remarks>
/// Not <see cref="FakeTimeProvider.AutoAdvanceAmount"/>: that moves the clock on every reading, by a
/// fixed step, so a wait is only over once enough readings have happened, and the times a test
/// asserts would depend on how often the code under test looks at the clock.
/// </remarks>
public sealed class AutoAdvancingFakeTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _waits = [];

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

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new AdvancingTimer(this, base.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock to <paramref name="due"/> unless it is there already; the fake fires every timer due by then, earliest first.</summary>
    private void AdvanceTo(DateTimeOffset due)
    {
        lock (_gate)
        {
            if (GetUtcNow() < due)
            {
                SetUtcNow(due);
            }
        }
    }

    private sealed class AdvancingTimer(AutoAdvancingFakeTimeProvider clock, ITimer inner) : ITimer
    {
        // Bumped by every Change and Dispose, so that an advance scheduled for an earlier arming does nothing.
        private int _arming;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            int arming = Interlocked.Increment(ref _arming);
            DateTimeOffset due;
            lock (clock._gate)
            {
                if (!inner.Change(dueTime, period))
                {
                    return false;
                }

                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    return true;
                }

                clock._waits.Add(dueTime);
                due = clock.GetUtcNow() + dueTime;
            }

            // On another thread, after whoever armed the timer has stored it: its callback may rely on that.
            _ = Task.Run(() =>
            {
                if (Volatile.Read(ref _arming) == arming)
                {
                    clock.AdvanceTo(due);
                }
            });
            return true;
        }

        public void Dispose()
        {
            Interlocked.Increment(ref _arming);
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
