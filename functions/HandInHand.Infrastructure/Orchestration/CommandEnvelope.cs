using HandInHand.Domain.Lifecycle;

namespace HandInHand.Infrastructure.Orchestration;

/// <summary>
/// A command on its way to a referral's orchestration, as the payload of its <c>command</c> event.
/// </summary>
/// <param name="CommandId">
/// Identifies the command: the same id is applied once, and a caller waiting for the outcome
/// reads it under this id. Null for the orchestration's own commands (a timer that fired).
/// </param>
/// <param name="Answer">Whether someone waits for the outcome, so that it must be recorded.</param>
public sealed record CommandEnvelope(string? CommandId, ReferralCommand Command, bool Answer);
