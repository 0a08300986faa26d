namespace HandInHand.Domain.Lifecycle;

/// <summary>Why a command was refused.</summary>
public enum RejectionKind
{
    /// <summary>The command does not fit the referral's current step (HTTP 409).</summary>
    WrongStep,
    /// <summary>The actor's role may not do this (HTTP 403, or 404 where existence must not leak).</summary>
    NotAllowed,
    /// <summary>The command's own content is invalid (HTTP 400).</summary>
    Invalid,
}

/// <summary>
/// A command the decider refuses. The message names the command and the step, and never any
/// personal data, so it can be returned to the caller and logged.
/// </summary>
public sealed class CommandRejectedException : Exception
{
    public CommandRejectedException(RejectionKind kind, string message, string? field = null)
        : base(message)
    {
        Kind = kind;
        Field = field;
    }

    public CommandRejectedException()
    {
    }

    public CommandRejectedException(string message)
        : base(message)
    {
    }

    public CommandRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RejectionKind Kind { get; }

    /// <summary>For <see cref="RejectionKind.Invalid"/>, the command field at fault.</summary>
    public string? Field { get; }
}
