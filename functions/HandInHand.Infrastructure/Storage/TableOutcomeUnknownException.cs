using Azure;

namespace HandInHand.Infrastructure.Storage;

/// <summary>
/// A write that is not safe to repeat (an insert, a transaction) may or may not have been applied:
/// its answer was lost (500, 502, 504, a 503 that is not <c>ServerBusy</c>, a timeout or a connection
/// broken after the request went out) and a point read could not settle it. Read the data back
/// before deciding what to do. <see cref="RequestFailedException.Status"/> is the last answer's
/// status, 0 when none arrived. The message names the operation and table only.
/// </summary>
public sealed class TableOutcomeUnknownException : RequestFailedException
{
    /// <summary>Creates the exception.</summary>
    public TableOutcomeUnknownException(string operation, string table, int status, string? errorCode, Exception? innerException)
        : base(status, $"{operation} on table '{table}': the answer was lost, so the write may or may not have been applied. Read the data back before deciding what to do.", errorCode, innerException)
    {
    }
}
