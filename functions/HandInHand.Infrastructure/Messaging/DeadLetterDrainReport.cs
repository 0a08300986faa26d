namespace HandInHand.Infrastructure.Messaging;

/// <summary>
/// What one run of <see cref="DeadLetterDrain"/> did: how many batches it received, how many dead
/// letters it recorded and completed (of which how many had a body it could not read), how many it
/// left on the queue for a later run (not recorded, not completed, or handed back after an earlier
/// failure in their batch), and whether it stopped at its bound with more perhaps waiting.
/// </summary>
public sealed record DeadLetterDrainReport(int Batches, int Recorded, int Unreadable, int Failed, bool StoppedAtBound);
