namespace HandInHand.Host.Referrals;

/// <summary>The answer to a command that is queued but not yet applied: where its outcome will be.</summary>
public sealed record CommandQueued(string Status);
