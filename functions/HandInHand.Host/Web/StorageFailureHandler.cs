using Azure;
using HandInHand.Infrastructure.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace HandInHand.Host.Web;

/// <summary>
/// Turns a storage outage into 503 problem details with Retry-After, so that a client retries
/// (with the same idempotency key) instead of giving up on a 500. Other failures fall through to
/// the default handler. Neither passes on the exception's text.
/// </summary>
public sealed partial class StorageFailureHandler(IProblemDetailsService problems, ILogger<StorageFailureHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsStorageFailure(exception))
        {
            return false;
        }

        var storage = exception as RequestFailedException;
        LogStorageFailure(logger, storage?.Status ?? 0, storage?.ErrorCode, storage is TableOutcomeUnknownException ? "OutcomeUnknown" : exception.GetType().Name);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Temporarily unavailable",
                Detail = "The service could not reach its storage. Try again shortly; resend a referral with the same idempotency key so that it is not stored twice.",
            },
        });
    }

    // The Azure SDK reports a failed answer as RequestFailedException (status 0 when none came) and,
    // once its retries are spent on broken connections, an AggregateException of those.
    private static bool IsStorageFailure(Exception exception) => exception switch
    {
        RequestFailedException or HttpRequestException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsStorageFailure),
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage failure {Status} {ErrorCode} ({Kind})")]
    private static partial void LogStorageFailure(ILogger logger, int status, string? errorCode, string kind);
}
