using System.Globalization;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Workflow;

namespace HandInHand.Infrastructure.Orchestration;

/// <summary>
/// One effect of one recorded step, as its activity's input. (Reference, Version, Index) names it
/// for good: an activity run twice for the same effect does its work once.
/// </summary>
public sealed record EffectWork(string Reference, long Version, int Index, DateTimeOffset At, Effect Effect)
{
    /// <summary>The effect's id outside: the notification's and the published event's message id.</summary>
    public string MessageId => string.Create(CultureInfo.InvariantCulture, $"{Reference}|{Version:D10}|{Index:D3}");
}

/// <summary>What an effect leaves for the orchestration to do: commands for this referral, and allocations offered to others.</summary>
public sealed record EffectResult(IReadOnlyList<ReferralCommand> FollowUps, IReadOnlyList<AllocationOffer> Offers)
{
    public static readonly EffectResult None = new([], []);
}

/// <summary>A caseload place taken for a waiting referral: the orchestration tells that referral to take it.</summary>
public sealed record AllocationOffer(string Reference, string PractitionerId);
