namespace HandInHand.Benchmark;

/// <summary>
/// How fast the host starts orchestrations and completes their first step: <paramref name="Started"/>
/// submissions answered 201 within <paramref name="StartedIn"/> of the first submission, and
/// <paramref name="Completed"/> first steps recorded (the referral's state row written) within
/// <paramref name="CompletedIn"/> of it. The orchestrations are eternal: "completed" is the first
/// generation's step, not the end of the case.
/// </summary>
internal sealed record OrchestrationRate(int Submitted, int Started, int Completed, int Failed, TimeSpan StartedIn, TimeSpan CompletedIn, Samples SubmitLatency)
{
    public double StartedPerSecond => Started / StartedIn.TotalSeconds;

    public double CompletedPerSecond => Completed / CompletedIn.TotalSeconds;
}
