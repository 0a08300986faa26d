namespace HandInHand.Benchmark;

/// <summary>
/// The lag from a timer's due time to its notification being recorded, both stamped by the host's
/// clock (the timer in the referral's state, the notification's delivery time), for a cohort of
/// <paramref name="Cohort"/> timers whose due times spread over <paramref name="DueSpread"/>, among
/// <paramref name="OpenReferrals"/> open orchestrations. <paramref name="Missing"/> never arrived
/// within the run's limit; <paramref name="WorkedOffIn"/> runs from the first due time to the last
/// notification.
/// </summary>
internal sealed record TimerLag(int Cohort, int Recorded, int Missing, Samples Lag, TimeSpan DueSpread, int OpenReferrals, TimeSpan WorkedOffIn);
