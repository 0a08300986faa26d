using Azure;

namespace HandInHand.Infrastructure.Tables;

/// <summary>
/// A table operation failed. <see cref="Kind"/> says what it means, <see cref="RequestFailedException.Status"/>
/// and <see cref="RequestFailedException.ErrorCode"/> carry the service's answer (status 0 when no answer
/// arrived). The message names the operation, the table, the status and the error code only: it
/// never contains keys or property values, which may hold personal data.
/// </summary>
public class TableStorageException : RequestFailedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What the failure means to the caller.</param>
    /// <param name="status">The HTTP status, or 0 when no response was received.</param>
    /// <param name="errorCode">The service error code (for example <c>EntityAlreadyExists</c>), if any.</param>
    /// <param name="message">A message free of entity data.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public TableStorageException(TableFailureKind kind, int status, string? errorCode, string message, Exception? innerException = null)
        : base(status, message, errorCode, innerException)
    {
        Kind = kind;
    }

    /// <summary>What the failure means to the caller.</summary>
    public TableFailureKind Kind { get; }
}
