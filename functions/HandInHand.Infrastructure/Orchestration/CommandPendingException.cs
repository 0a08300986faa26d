namespace HandInHand.Infrastructure.Orchestration;

/// <summary>
/// A command was raised and is safely queued, but its outcome did not come within the wait: the
/// caller answers 202 with the address where the outcome will be.
/// </summary>
public sealed class CommandPendingException : Exception
{
    public CommandPendingException(string reference, string commandId)
        : base("The command is queued; its outcome is not known yet.")
    {
        Reference = reference;
        CommandId = commandId;
    }

    public CommandPendingException()
    {
    }

    public CommandPendingException(string message)
        : base(message)
    {
    }

    public CommandPendingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public string Reference { get; } = string.Empty;

    public string CommandId { get; } = string.Empty;
}
