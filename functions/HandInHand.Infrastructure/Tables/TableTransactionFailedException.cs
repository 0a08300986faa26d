namespace HandInHand.Infrastructure.Tables;

/// <summary>
/// An entity group transaction was rejected; the service applied none of its actions.
/// <see cref="FailedActionIndex"/> is the zero-based index of the action that failed (when the service
/// said which), and <see cref="Azure.RequestFailedException.Status"/> / <see cref="Azure.RequestFailedException.ErrorCode"/>
/// are that action's own status and code (for example 409 <c>EntityAlreadyExists</c>).
/// </summary>
public sealed class TableTransactionFailedException : TableStorageException
{
    /// <summary>Creates the exception.</summary>
    public TableTransactionFailedException(TableFailureKind kind, int status, string? errorCode, int? failedActionIndex, string message, Exception? innerException = null)
        : base(kind, status, errorCode, message, innerException)
    {
        FailedActionIndex = failedActionIndex;
    }

    /// <summary>The zero-based index of the failed action in the submitted list, if the service reported it.</summary>
    public int? FailedActionIndex { get; }
}
