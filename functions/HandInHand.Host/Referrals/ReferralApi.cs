using System.Text.Json;
using System.Text.Json.Serialization;
using HandInHand.Domain.Referrals;
using HandInHand.Host.Web;
using HandInHand.Infrastructure.Referrals;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Referrals;

/// <summary>The referral API: submit a referral (JSON), read its status and, with its code, act on it as its referrer.</summary>
public static class ReferralApi
{
    /// <summary>The request header that carries the client's idempotency key.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The request header that carries a referral's access code.</summary>
    public const string AccessCodeHeader = "Referral-Access-Code";

    internal static readonly JsonSerializerOptions SubmissionJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = 8,
    };

    public static RouteGroupBuilder MapReferralApi(this IEndpointRouteBuilder app)
    {
        // Public: anyone may refer; the status needs the referral's access code.
        var group = app.MapGroup("api/referrals").WithTags("Referrals").AllowAnonymous();
        group.MapPost("", SubmitReferralAsync)
            .WithName(nameof(SubmitReferralAsync))
            .WithSummary("Submit a referral")
            .WithMetadata(new PublicEndpointAttribute())
            // The body is read by the handler (to bound its size and report field errors), so the
            // OpenAPI description is given here rather than through Accepts<T>, whose content-type
            // matching would answer other media types before the handler's own 415 problem.
            .AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var schema = await context.GetOrCreateSchemaAsync(typeof(ReferralSubmission), null, cancellationToken);
                operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
                };
            })
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapGet("{reference}/status", GetReferralStatusAsync)
            .WithName(nameof(GetReferralStatusAsync))
            .WithSummary("Read a referral's status with its access code")
            .WithMetadata(new Audit.AuditedAttribute())
            .WithMetadata(new PublicEndpointAttribute());
        ReferrerApi.MapReferrerActions(group);
        return group;
    }

    /// <summary>POST /api/referrals: validates and stores a referral; a retry with the same key returns the first.</summary>
    public static async Task<Results<Created<ReferralReceipt>, Ok<ReferralReceipt>, ValidationProblem, ProblemHttpResult>> SubmitReferralAsync(
        HttpRequest request,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        ReferralIntake intake,
        IOptions<IntakeOptions> options,
        CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the referral as application/json.");
        }

        var keyError = IdempotencyKeys.Check(idempotencyKey);
        if (keyError is not null)
        {
            return Problems.Fields(new FieldError(IdempotencyKeyHeader, keyError));
        }

        var body = await RequestBody.ReadLimitedAsync(request, options.Value.MaxRequestBytes, cancellationToken);
        if (body is null)
        {
            return Problems.Status(StatusCodes.Status413PayloadTooLarge, "Request too large", $"A referral may be at most {options.Value.MaxRequestBytes} bytes.");
        }

        // Syntax first, so that a broken body is reported as such and not against the field
        // the reader had reached; then shape, so that a wrong type is reported against its field.
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(JsonBody.WithoutByteOrderMark(body), new JsonDocumentOptions { MaxDepth = SubmissionJson.MaxDepth });
        }
        catch (JsonException)
        {
            return Problems.Fields(new FieldError("body", "The body is not valid JSON: send the referral form as one JSON object."));
        }

        ReferralSubmission? submission;
        using (document)
        {
            try
            {
                submission = document.Deserialize<ReferralSubmission>(SubmissionJson);
            }
            catch (JsonException ex)
            {
                return Problems.Fields(new FieldError(JsonField(ex.Path), JsonBody.IsDuplicateProperty(ex) ? JsonBody.DuplicateMessage : JsonMessage(ex)));
            }
        }

        if (submission is null)
        {
            return Problems.Status(StatusCodes.Status400BadRequest, "Empty referral", "Send the referral form as a JSON object.");
        }

        var result = await intake.SubmitAsync(submission, idempotencyKey!, cancellationToken);
        return result switch
        {
            IntakeResult.Created created => TypedResults.Created(StatusPath(created.Referral.Reference), Receipt(created.Referral, created.AccessCode)),
            IntakeResult.Replayed replayed => TypedResults.Ok(Receipt(replayed.Referral, replayed.AccessCode)),
            IntakeResult.Invalid invalid => Problems.Fields([.. invalid.Errors]),
            IntakeResult.KeyReused => Problems.Status(StatusCodes.Status409Conflict, "Idempotency key already used", "This idempotency key was used before for a different referral. Use a new key for a new referral."),
            _ => throw new InvalidOperationException($"Unhandled intake result {result.GetType().Name}."),
        };
    }

    /// <summary>GET /api/referrals/{reference}/status: the status, for whoever holds the referral's access code.</summary>
    public static async Task<Results<Ok<ReferralStatusView>, ProblemHttpResult>> GetReferralStatusAsync(
        string reference,
        [FromHeader(Name = AccessCodeHeader)] string? accessCode,
        ReferralIntake intake,
        CancellationToken cancellationToken)
    {
        var record = await intake.FindForReferrerAsync(reference, accessCode, cancellationToken);
        return record is null ? NotFound() : TypedResults.Ok(StatusView(record));
    }

    /// <summary>The one answer for an unknown reference or a wrong code, on every route the code opens.</summary>
    internal static ProblemHttpResult NotFound() =>
        Problems.Status(StatusCodes.Status404NotFound, "Referral not found", "No referral matches this reference and access code.");

    internal static ReferralStatusView StatusView(ReferralRecord record) => new(record.Reference, record.Status.ToString(), record.ReceivedAt);

    internal static string StatusPath(string reference) => $"/api/referrals/{reference}/status";

    private static ReferralReceipt Receipt(ReferralRecord referral, string? accessCode) =>
        new(referral.Reference, referral.Status.ToString(), referral.ReceivedAt, accessCode, StatusPath(referral.Reference));

    /// <summary>Turns a JSON path such as <c>$.youngPerson.dateOfBirth</c> or <c>$.concerns[2]</c> into a form field name.</summary>
    private static string JsonField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        var bracket = field.IndexOf('[', StringComparison.Ordinal);
        return bracket > 0 ? field[..bracket] : field;
    }

    // The serializer's own messages name .NET types and may quote the unknown property; these
    // say what to fix in the request's own terms and never echo submitted content.
    private static string JsonMessage(JsonException ex) =>
        ex.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "This field is not part of the referral form."
        : ex.Path is null or "$" ? "Send the referral form as one JSON object."
        : "This field has the wrong type or is not valid JSON: text fields take strings, yes/no fields take true or false, and concerns takes a list of codes.";
}

/// <summary>What a referrer gets back on submission.</summary>
/// <param name="Reference">The referral's reference.</param>
/// <param name="Status">Where the referral is in its lifecycle.</param>
/// <param name="ReceivedAt">When the service accepted it.</param>
/// <param name="StatusUrl">Where its status can be read.</param>
/// <param name="AccessCode">The code that, with the reference, opens the referral's status. Shown once; null on a replay after a key change.</param>
public sealed record ReferralReceipt(string Reference, string Status, DateTimeOffset ReceivedAt, string? AccessCode, string StatusUrl);

/// <summary>A referral's status as its referrer may see it: nothing about the young person.</summary>
public sealed record ReferralStatusView(string Reference, string Status, DateTimeOffset ReceivedAt);
