namespace HandInHand.Infrastructure.Tables;

/// <summary>
/// What a failed table operation means to the caller, independent of the exact status and
/// error code (both are on <see cref="TableStorageException"/> too).
/// </summary>
public enum TableFailureKind
{
    /// <summary>The table or entity does not exist (404).</summary>
    NotFound,

    /// <summary>The entity or table already exists (409).</summary>
    Conflict,

    /// <summary>The If-Match ETag no longer matches the stored entity (412).</summary>
    PreconditionFailed,

    /// <summary>The service kept answering 429 or 503 until the retries ran out.</summary>
    Throttled,

    /// <summary>The service rejected the request as malformed or invalid (400).</summary>
    BadRequest,

    /// <summary>
    /// A non-idempotent write may or may not have been applied (a 5xx or a broken connection after
    /// the request was sent). Read the data back before deciding what to do.
    /// </summary>
    OutcomeUnknown,

    /// <summary>Anything else: authentication or authorization (401/403), other server errors, transport failures.</summary>
    Other,
}
