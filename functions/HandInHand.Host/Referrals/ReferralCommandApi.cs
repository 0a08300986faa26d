using System.Text.Json;
using System.Text.Json.Serialization;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Host.Security;
using HandInHand.Host.Web;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Workflow;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HandInHand.Host.Referrals;

/// <summary>
/// The staff commands on one referral, one route per action with its own small request model,
/// so no posted field can set a stage or an allocation directly. Each answers with the referral's
/// new stage; a command that does not fit the step gets 409, one the role may not make 403 with no
/// more in it than a refused read. Referrers act through <see cref="ReferrerApi"/>, with the code.
/// </summary>
public static class ReferralCommandApi
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static RouteGroupBuilder MapReferralCommandApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/referrals/{reference}").WithTags("Referral lifecycle").WithMetadata(new Audit.AuditedAttribute());
        Map<Empty>(group, "accept", (b, a, at) => new ReferralCommand.Accept(a, at));
        Map<CategorisedReasonRequest>(group, "decline", (b, a, at) => new ReferralCommand.Decline(a, at, b.Reason!, b.Category!.Value), b => b.Check(NotTakenReasons.ForDecline));
        Map<Empty>(group, "request-information", (b, a, at) => new ReferralCommand.RequestInformation(a, at));
        Map<Empty>(group, "receive-information", (b, a, at) => new ReferralCommand.ReceiveInformation(a, at));
        Map<Empty>(group, "confirm-still-needed", (b, a, at) => new ReferralCommand.ConfirmStillNeeded(a, at));
        Map<FirstContactRequest>(group, "first-contact", (b, a, at) => new ReferralCommand.RecordFirstContact(a, at, b.ContactedAt ?? at, b.Consent ?? throw Missing("consent")));
        Map<ReviewRequest>(group, "reviews", (b, a, at) => new ReferralCommand.RecordReview(a, at, b.MyWheel ?? new Dictionary<string, int>(), b.TrafficLights ?? new Dictionary<string, TrafficLight>(), b.RiskLevel ?? throw Missing("riskLevel")));
        Map<SessionRequest>(group, "sessions", (b, a, at) => new ReferralCommand.RecordSession(a, at, b.HeldOn ?? throw Missing("heldOn"), b.Kind ?? throw Missing("kind"), b.Note ?? string.Empty));
        Map<CloseRequest>(group, "close", (b, a, at) => new ReferralCommand.Close(a, at, b.Reason ?? string.Empty, b.FinalMyWheel ?? new Dictionary<string, int>(), b.RiskLevel ?? throw Missing("riskLevel")));
        Map<CategorisedReasonRequest>(group, "withdraw", (b, a, at) => new ReferralCommand.Withdraw(a, at, b.Reason!, b.Category!.Value), b => b.Check(NotTakenReasons.ForWithdrawal));
        Map<ReasonRequest>(group, "reopen", (b, a, at) => new ReferralCommand.Reopen(a, at, b.Reason ?? string.Empty));
        Map<Empty>(group, "survey-opt-out", (b, a, at) => new ReferralCommand.OptOutOfSurvey(a, at));
        Map<ReasonRequest>(group, "legal-hold", (b, a, at) => new ReferralCommand.PlaceLegalHold(a, at, b.Reason ?? string.Empty));
        Map<Empty>(group, "legal-hold/release", (b, a, at) => new ReferralCommand.ReleaseLegalHold(a, at));
        Map<Empty>(group, "erase", (b, a, at) => new ReferralCommand.ConfirmErasure(a, at));
        group.MapPut("contact-channel", RecordContactChannelAsync).WithName("RecordContactChannel").RequireAuthorization(Policies.CaseWork);
        group.MapPost("allocate", AllocateAsync).WithName("Allocate").RequireAuthorization(Policies.CaseWork);
        group.MapGet("", GetReferralAsync).WithName("GetReferral").RequireAuthorization(Policies.CaseReading);
        group.MapGet("commands/{commandId}", GetCommandAsync).WithName("GetCommandOutcome").RequireAuthorization(Policies.CaseReading);
        group.MapGet("timeline", GetTimelineAsync).WithName("GetTimeline").RequireAuthorization(Policies.CaseReading);
        return group;
    }

    /// <summary>GET /api/referrals/{reference}: the workflow state for staff.</summary>
    public static async Task<Results<Ok<ReferralView>, ProblemHttpResult>> GetReferralAsync(string reference, HttpRequest request, ReferralWorkflowStore store, CancellationToken cancellationToken)
    {
        // The route's policy admits staff only; CaseAccess narrows it to the caller's referrals.
        var loaded = await LoadOpenToCallerAsync(reference, request, store, cancellationToken);
        if (loaded is null)
        {
            return NotFound();
        }

        return TypedResults.Ok(ReferralView.From(loaded.State, loaded.Version));
    }

    /// <summary>
    /// GET /api/referrals/{reference}/commands/{commandId}: the outcome of a command that was still
    /// queued when its request answered 202: the referral after it, or the refusal, or 202 again.
    /// </summary>
    public static async Task<Results<Ok<ReferralView>, Accepted<CommandQueued>, ValidationProblem, ProblemHttpResult>> GetCommandAsync(
        string reference, string commandId, HttpRequest request, ReferralWorkflowStore store, ReferralCommands commands, CancellationToken cancellationToken)
    {
        if (await LoadOpenToCallerAsync(reference, request, store, cancellationToken) is null || !CommandIds.IsWellFormed(commandId))
        {
            return NotFound();
        }

        return await RunAsync(reference, request, async () =>
            await commands.FindAsync(reference, commandId, cancellationToken) ?? throw new CommandPendingException(reference, commandId));
    }

    /// <summary>The address where the outcome of a queued command can be read.</summary>
    public static string CommandStatusPath(string reference, string commandId) => $"/api/referrals/{reference}/commands/{commandId}";

    /// <summary>GET /api/referrals/{reference}/timeline: the history, oldest first.</summary>
    public static async Task<Results<Ok<IReadOnlyList<TimelineEntry>>, ProblemHttpResult>> GetTimelineAsync(string reference, HttpRequest request, ReferralWorkflowStore store, CancellationToken cancellationToken)
    {
        // The route's policy admits staff only; a practitioner sees only the cases allocated to them.
        var loaded = await LoadOpenToCallerAsync(reference, request, store, cancellationToken);
        if (loaded is null)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Referral not found", "No referral with this reference is open to you.");
        }

        var history = await store.ReadHistoryAsync(reference, cancellationToken);
        IReadOnlyList<TimelineEntry> entries = [.. history.Select(StaffTimeline.Entry)];
        return TypedResults.Ok(entries);
    }

    private static async Task<LoadedReferral?> LoadOpenToCallerAsync(string reference, HttpRequest request, ReferralWorkflowStore store, CancellationToken cancellationToken)
    {
        var loaded = ReferenceNumber.TryParse(reference, out _) ? await store.LoadAsync(reference, cancellationToken) : null;
        return loaded is not null && ActorHeaders.From(request) is { } actor && CaseAccess.IsOpenTo(actor, loaded.State)
            ? loaded
            : null;
    }

    /// <summary>POST /api/referrals/{reference}/allocate: the manager's (or panel's) choice of practitioner.</summary>
    public static async Task<Results<Ok<ReferralView>, Accepted<CommandQueued>, ValidationProblem, ProblemHttpResult>> AllocateAsync(
        string reference, HttpRequest request, ReferralCommands commands, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await NotOpenToCallerAsync(reference, request, cancellationToken) is { } notFound)
        {
            return notFound;
        }

        var (body, actor, problem) = await ReadAsync<AllocateRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return AsResult(problem);
        }

        if (string.IsNullOrWhiteSpace(body!.PractitionerId))
        {
            return Problems.Fields(new FieldError("practitionerId", "Choose the practitioner to allocate to."));
        }

        return await RunAsync(reference, request, () =>
            commands.AllocateByHandAsync(reference, new ReferralCommand.Allocate(actor!, clock.GetUtcNow(), body.PractitionerId, Manual: true, body.Strand), CommandKey(request), cancellationToken));
    }

    /// <summary>
    /// PUT /api/referrals/{reference}/contact-channel: how the young person can be reached and
    /// whether it is safe. The step is decided first, so a refused request stores no address; the
    /// address is kept apart from the history and never comes back in an answer.
    /// </summary>
    public static async Task<Results<Ok<ReferralView>, Accepted<CommandQueued>, ValidationProblem, ProblemHttpResult>> RecordContactChannelAsync(
        string reference, HttpRequest request, ReferralCommands commands, ContactChannels channels, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await NotOpenToCallerAsync(reference, request, cancellationToken) is { } notFound)
        {
            return notFound;
        }

        var (body, actor, problem) = await ReadAsync<ContactChannelRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return AsResult(problem);
        }

        var errors = new List<FieldError>();
        var address = body!.Address?.Trim();
        if (body.Channel is null)
        {
            errors.Add(new("channel", "Choose the channel: email or sms."));
        }
        else if (!ContactAddresses.IsValid(body.Channel.Value, address))
        {
            errors.Add(new("address", body.Channel == ContactChannel.Email ? "Enter an email address, like name@example.com." : "Enter a mobile number of 10 to 15 digits."));
        }

        if (body.MarkedSafe is null)
        {
            errors.Add(new("markedSafe", "Say whether the young person agreed that this channel is safe to use."));
        }

        if (errors.Count > 0)
        {
            return Problems.Fields([.. errors]);
        }

        return await RunAsync(reference, request, async () =>
        {
            var record = new ContactChannelRecord(body.Channel!.Value, address!, body.MarkedSafe!.Value);
            try
            {
                var outcome = await commands.SendAsync(reference, new ReferralCommand.RecordContactChannel(actor!, clock.GetUtcNow(), record.Channel, record.MarkedSafe), CommandKey(request), cancellationToken);
                await channels.SetAsync(reference, record, cancellationToken);
                return outcome;
            }
            catch (CommandPendingException)
            {
                // Queued, not refused: the address the practitioner entered is kept now rather
                // than lost; the state says whether a channel is recorded.
                await channels.SetAsync(reference, record, cancellationToken);
                throw;
            }
        });
    }

    private static void Map<TBody>(RouteGroupBuilder group, string action, Func<TBody, Actor, DateTimeOffset, ReferralCommand> toCommand, Func<TBody, FieldError[]>? validate = null)
        where TBody : class, new()
    {
        group.MapPost(action, async Task<Results<Ok<ReferralView>, Accepted<CommandQueued>, ValidationProblem, ProblemHttpResult>> (
            string reference, HttpRequest request, ReferralCommands commands, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            if (await NotOpenToCallerAsync(reference, request, cancellationToken) is { } notFound)
            {
                return notFound;
            }

            var (body, actor, problem) = await ReadAsync<TBody>(request, cancellationToken);
            if (problem is not null)
            {
                return AsResult(problem);
            }

            if (validate?.Invoke(body!) is { Length: > 0 } errors)
            {
                return Problems.Fields(errors);
            }

            ReferralCommand command;
            try
            {
                command = toCommand(body!, actor!, clock.GetUtcNow());
            }
            catch (CommandRejectedException ex)
            {
                return Problems.Fields(new FieldError(ex.Field ?? "body", ex.Message));
            }

            return await RunAsync(reference, request, () => commands.SendAsync(reference, command, CommandKey(request), cancellationToken));
        }).WithName(action).RequireAuthorization(Policies.CaseWork);
    }

    /// <summary>
    /// Sends a command and answers with the referral as it stands once the command, and what it
    /// set off, is done (an accepted referral is allocated or placed on the waiting list). A
    /// command still queued when the wait ends answers 202 with the address of its outcome.
    /// </summary>
    private static async Task<Results<Ok<ReferralView>, Accepted<CommandQueued>, ValidationProblem, ProblemHttpResult>> RunAsync(
        string reference, HttpRequest request, Func<Task<WorkflowOutcome>> run)
    {
        if (!ReferenceNumber.TryParse(reference, out _))
        {
            return NotFound();
        }

        try
        {
            var outcome = await run();
            return TypedResults.Ok(ReferralView.From(outcome.State, outcome.Version));
        }
        catch (CommandPendingException pending)
        {
            var status = CommandStatusPath(pending.Reference, pending.CommandId);
            return TypedResults.Accepted(status, new CommandQueued(status));
        }
        catch (ReferralNotFoundException)
        {
            return NotFound();
        }
        catch (CommandRejectedException ex)
        {
            return ex.Kind switch
            {
                RejectionKind.Invalid => Problems.Fields(new FieldError(ex.Field ?? "body", ex.Message)),
                // The decider's message names the role, the command and the step: the refusal says
                // no more than the authorization layer's refusal of a read does.
                RejectionKind.NotAllowed => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden),
                _ => Problems.Status(StatusCodes.Status409Conflict, "Not at this step", ex.Message),
            };
        }
    }

    /// <summary>
    /// A caller sees and changes only the referrals <see cref="CaseAccess"/> opens to them (a
    /// practitioner their own cases, the panel its pathway's); any other answers 404, as one that
    /// does not exist, before anything else about the request is looked at.
    /// </summary>
    private static async Task<ProblemHttpResult?> NotOpenToCallerAsync(string reference, HttpRequest request, CancellationToken cancellationToken)
    {
        if (ActorHeaders.From(request) is not { } actor)
        {
            // Nobody known is acting: the body reader answers 401.
            return null;
        }

        var store = request.HttpContext.RequestServices.GetRequiredService<ReferralWorkflowStore>();
        var loaded = ReferenceNumber.TryParse(reference, out _) ? await store.LoadAsync(reference, cancellationToken) : null;
        return loaded is not null && CaseAccess.IsOpenTo(actor, loaded.State) ? null : NotFound();
    }

    /// <summary>The one answer for a referral that does not exist or is not open to the caller.</summary>
    private static ProblemHttpResult NotFound() =>
        Problems.Status(StatusCodes.Status404NotFound, "Referral not found", "No referral with this reference is open to you.");

    private static Results<Ok<ReferralView>, Accepted<CommandQueued>, ValidationProblem, ProblemHttpResult> AsResult(IResult problem) => problem switch
    {
        ValidationProblem v => v,
        ProblemHttpResult p => p,
        _ => throw new ArgumentOutOfRangeException(nameof(problem), "Not a problem result."),
    };

    private static async Task<(TBody? Body, Actor? Actor, IResult? Problem)> ReadAsync<TBody>(HttpRequest request, CancellationToken cancellationToken)
        where TBody : class, new()
    {
        var actor = ActorHeaders.From(request);
        if (actor is null)
        {
            return (null, null, Problems.Status(StatusCodes.Status401Unauthorized, "Who is acting?", $"Send the {ActorHeaders.IdHeader} and {ActorHeaders.RoleHeader} headers."));
        }

        var (body, problem) = await JsonBody.ReadAsync<TBody>(request, 16 * 1024, Json, "This field is missing, has the wrong type, or is not part of this command.", cancellationToken);
        return (body, actor, problem);
    }

    private static string? CommandKey(HttpRequest request)
    {
        string? key = request.Headers[ReferralApi.IdempotencyKeyHeader];
        return IdempotencyKeys.Check(key) is null ? key : null;
    }

    private static CommandRejectedException Missing(string field) =>
        new(RejectionKind.Invalid, $"The {field} field is required.", field);

    /// <summary>A command with no fields.</summary>
    public sealed class Empty;

    public sealed class ContactChannelRequest
    {
        public ContactChannel? Channel { get; init; }
        public string? Address { get; init; }
        public bool? MarkedSafe { get; init; }
    }

    public sealed class ReasonRequest
    {
        public string? Reason { get; init; }
    }

    /// <summary>A decision not to take a referral on: the reason in words and its category, both required.</summary>
    public sealed class CategorisedReasonRequest
    {
        public string? Reason { get; init; }
        public NotTakenReason? Category { get; init; }

        internal FieldError[] Check(IReadOnlyList<NotTakenReason> allowed)
        {
            var errors = new List<FieldError>();
            if (string.IsNullOrWhiteSpace(Reason) || Reason.Length > 2000)
            {
                errors.Add(new("reason", "Give a reason of 1 to 2000 characters."));
            }

            if (Category is not { } category || !allowed.Contains(category))
            {
                errors.Add(new("category", "Choose a category: " + string.Join(", ", allowed.Select(Domain.Reports.ReportFacts.Code)) + "."));
            }

            return [.. errors];
        }
    }

    public sealed class AllocateRequest
    {
        public string? PractitionerId { get; init; }
        public Strand? Strand { get; init; }
    }

    public sealed class FirstContactRequest
    {
        public DateTimeOffset? ContactedAt { get; init; }
        public bool? Consent { get; init; }
    }

    public sealed class ReviewRequest
    {
        public Dictionary<string, int>? MyWheel { get; init; }
        public Dictionary<string, TrafficLight>? TrafficLights { get; init; }
        public RiskLevel? RiskLevel { get; init; }
    }

    public sealed class SessionRequest
    {
        public DateOnly? HeldOn { get; init; }
        public SessionKind? Kind { get; init; }
        public string? Note { get; init; }
    }

    public sealed class CloseRequest
    {
        public string? Reason { get; init; }
        public Dictionary<string, int>? FinalMyWheel { get; init; }
        public RiskLevel? RiskLevel { get; init; }
    }
}

/// <summary>A referral's workflow state as staff see it.</summary>
public sealed record ReferralView(
    string Reference, string Stage, long Version, string Region, string RiskLevel, DateTimeOffset ReceivedAt, string? PractitionerId, string? Strand,
    DateTimeOffset? FirstContactAt, DateTimeOffset? NextReviewDue, int ReviewCount, string? ClosureReason, IReadOnlyList<string> PossibleDuplicates,
    IReadOnlyDictionary<string, DateTimeOffset> Timers, IReadOnlyDictionary<string, DateTimeOffset> Missed)
{
    public static ReferralView From(ReferralState s, long version)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Reference, s.Stage.ToString(), version, s.Region, s.CurrentRisk.ToString(), s.ReceivedAt, s.PractitionerId, s.Strand?.ToString(),
            s.FirstContactAt, s.NextReviewDue, s.ReviewCount, s.ClosureReason, s.PossibleDuplicates, s.Timers.ToDictionary(t => t.Key.ToString(), t => t.Value), s.Missed.ToDictionary(t => t.Key.ToString(), t => t.Value));
    }
}

/// <summary>One history entry: what happened, when, by whom in what role, and its details.</summary>
public sealed record TimelineEntry(long Sequence, string Type, DateTimeOffset At, string ActorId, string ActorRole, JsonElement Details);
