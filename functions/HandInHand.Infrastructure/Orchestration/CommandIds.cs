namespace HandInHand.Infrastructure.Orchestration;

/// <summary>The shape of a command id a caller may ask about: 32 or 64 lowercase hex digits, as <see cref="ReferralCommands"/> makes them.</summary>
public static class CommandIds
{
    public static bool IsWellFormed(string? commandId) =>
        commandId is { Length: 32 or 64 } && commandId.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
