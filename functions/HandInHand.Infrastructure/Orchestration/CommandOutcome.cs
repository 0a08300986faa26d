using HandInHand.Domain.Lifecycle;

namespace HandInHand.Infrastructure.Orchestration;

/// <summary>What became of a command, as its caller reads it: applied (or already so), or refused and why.</summary>
/// <param name="Version">The referral's version once the command (and what it set off) was done.</param>
/// <param name="Refusal">Null when applied; otherwise the kind of refusal.</param>
/// <param name="Message">The decider's words for a refusal: the step and the rule, never anything about the young person.</param>
public sealed record CommandOutcome(string Reference, string CommandId, long Version, bool Changed, RejectionKind? Refusal = null, string? Message = null, string? Field = null)
{
    public CommandRejectedException ToException() =>
        new(Refusal ?? throw new InvalidOperationException("An applied command has no refusal."), Message ?? string.Empty, Field);
}
