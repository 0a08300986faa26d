namespace HandInHand.Infrastructure.Workflow;

/// <summary>Where an accepted referral goes: to a practitioner whose place was taken for it, or onto the waiting list.</summary>
public abstract record AllocationChoice
{
    /// <summary>The referral is no longer waiting for allocation: there is nothing to do.</summary>
    public static readonly AllocationChoice NothingToDo = new Nothing();

    public static readonly AllocationChoice WaitingList = new Waiting();

    private AllocationChoice()
    {
    }

    public sealed record Practitioner(string PractitionerId) : AllocationChoice;

    private sealed record Nothing : AllocationChoice;

    private sealed record Waiting : AllocationChoice;
}
