using System.Security.Cryptography;
using System.Text;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Workflow;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Referrals;

/// <summary>
/// Accepts referral forms: validates them, gives each a reference, stores it and makes a retried
/// submission safe.
/// </summary>
/// <remarks>
/// What must stay true: a referral is stored before a 201 leaves; the same idempotency key with the
/// same form always yields the same referral; with a different form it yields a conflict; and a
/// crash at any point leaves either nothing or a claimed key that the retry completes. The order is
/// (1) take a reference number, (2) claim the key, recording the reference and the form's
/// fingerprint, (3) store the referral. A retry that finds the key claimed but the referral missing
/// (a crash between 2 and 3) stores it under the recorded reference and arrival time.
/// </remarks>
public sealed partial class ReferralIntake(
    ReferralStore store,
    ReferenceSequence sequence,
    AccessCodes accessCodes,
    YoungPersonIndex youngPeople,
    ReferralCommands commands,
    IOptions<IntakePolicy> policy,
    IOptions<LifecycleSettings> lifecycle,
    IOptions<IntakeOptions> options,
    TimeProvider clock,
    ILogger<ReferralIntake> logger)
{
    private readonly TimeZoneInfo _timeZone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    /// <summary>Validates and stores a submission made with <paramref name="idempotencyKey"/>.</summary>
    public async Task<IntakeResult> SubmitAsync(ReferralSubmission submission, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);

        var now = clock.GetUtcNow();
        var referralDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, _timeZone).DateTime);
        var validation = ReferralValidator.Validate(submission, referralDate, policy.Value);
        if (!validation.IsValid)
        {
            LogRejected(logger, validation.Errors.Count);
            return new IntakeResult.Invalid(validation.Errors);
        }

        var form = validation.Form!;
        var fingerprint = ReferralFormJson.Fingerprint(form);
        var keyHash = HashKey(idempotencyKey);

        var earlier = await store.GetIntakeKeyAsync(keyHash, cancellationToken).ConfigureAwait(false);
        if (earlier is not null)
        {
            return await ReplayAsync(earlier, form, fingerprint, cancellationToken).ConfigureAwait(false);
        }

        var prefix = form.Pathway == ServicePathway.TrustedRelationships ? options.Value.TrustedRelationshipsReferencePrefix : options.Value.ReferencePrefix;
        var number = await sequence.NextAsync(prefix, now.Year, cancellationToken).ConfigureAwait(false);
        var reference = new ReferenceNumber(prefix, now.Year, number).ToString();
        var claim = new IntakeKeyRecord(keyHash, reference, fingerprint, now);
        if (!await store.TryClaimIntakeKeyAsync(claim, cancellationToken).ConfigureAwait(false))
        {
            // A concurrent request with the same key won the claim; answer as its retry would.
            // The number taken above stays unused: a gap in the sequence, never a duplicate.
            earlier = await store.GetIntakeKeyAsync(keyHash, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("An intake key was claimed but cannot be read back.");
            return await ReplayAsync(earlier, form, fingerprint, cancellationToken).ConfigureAwait(false);
        }

        var record = await StoreAsync(claim, form, cancellationToken).ConfigureAwait(false);
        LogAccepted(logger, record.Reference, form.RiskLevel, form.Referrer.Type);
        return new IntakeResult.Created(record, accessCodes.For(record.Reference));
    }

    /// <summary>The status of the referral with <paramref name="reference"/>, when <paramref name="accessCode"/> is its code; otherwise null.</summary>
    public async Task<ReferralRecord?> FindForReferrerAsync(string? reference, string? accessCode, CancellationToken cancellationToken = default)
    {
        if (!ReferenceNumber.TryParse(reference, out var parsed))
        {
            return null;
        }

        var record = await store.GetAsync(parsed.ToString(), cancellationToken).ConfigureAwait(false);

        // Unknown reference and wrong code answer alike, so the answer does not reveal which
        // references exist.
        return record is not null && AccessCodes.Matches(accessCode, record.AccessCodeHash) ? record : null;
    }

    private async Task<IntakeResult> ReplayAsync(IntakeKeyRecord earlier, ReferralForm form, string fingerprint, CancellationToken cancellationToken)
    {
        if (!string.Equals(earlier.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            LogKeyReused(logger);
            return new IntakeResult.KeyReused();
        }

        var record = await store.GetAsync(earlier.Reference, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            record = await StoreAsync(earlier, form, cancellationToken).ConfigureAwait(false);
        }
        else if (!await commands.IsStartedAsync(record.Reference, cancellationToken).ConfigureAwait(false))
        {
            // Stored by a submission that crashed before its orchestration was started: start it now.
            await StartAsync(record, cancellationToken).ConfigureAwait(false);
        }
        var code = accessCodes.For(record.Reference);

        // After a change of the access-code key the derived code no longer opens the referral;
        // then the replay hands back no code rather than a wrong one.
        return new IntakeResult.Replayed(record, AccessCodes.Matches(code, record.AccessCodeHash) ? code : null);
    }

    /// <summary>
    /// Stores the form, then starts the referral's orchestration, whose first step (received,
    /// acknowledgement, first-contact and triage timers) follows on its own. Each part is safe to
    /// repeat: a retry after a crash stores no second form and starts no second orchestration.
    /// </summary>
    private async Task<ReferralRecord> StoreAsync(IntakeKeyRecord claim, ReferralForm form, CancellationToken cancellationToken)
    {
        var record = new ReferralRecord(
            claim.Reference,
            ReferralStatus.Received,
            claim.ReceivedAt,
            claim.ReceivedAt + lifecycle.Value.FirstContactDeadline,
            AccessCodes.Hash(accessCodes.For(claim.Reference)),
            claim.Fingerprint,
            form);
        var stored = await store.AddFormAsync(record, cancellationToken).ConfigureAwait(false);
        await StartAsync(stored, cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <summary>Starts the referral's orchestration with the form's arrival as its first command, and indexes the young person for duplicate checks.</summary>
    private async Task StartAsync(ReferralRecord record, CancellationToken cancellationToken)
    {
        var form = record.Form;
        var duplicates = await youngPeople.FindAsync(form.YoungPerson, record.Reference, cancellationToken).ConfigureAwait(false);
        var receive = new ReferralCommand.Receive(
            Actor.System, record.ReceivedAt, record.Reference, form.Pathway, form.YoungPerson.Region, form.RiskLevel, form.YoungPerson.DateOfBirth, duplicates, ReferralProfile.Of(form));
        await commands.StartAsync(receive, cancellationToken).ConfigureAwait(false);
        await youngPeople.AddAsync(form.YoungPerson, record.Reference, cancellationToken).ConfigureAwait(false);
    }

    private static string HashKey(string idempotencyKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)));

    [LoggerMessage(Level = LogLevel.Information, Message = "Referral {Reference} received (risk {RiskLevel}, referrer type {ReferrerType})")]
    private static partial void LogAccepted(ILogger logger, string reference, RiskLevel riskLevel, string referrerType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Referral rejected with {ErrorCount} field errors")]
    private static partial void LogRejected(ILogger logger, int errorCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An idempotency key was reused with a different referral form")]
    private static partial void LogKeyReused(ILogger logger);
}

/// <summary>The outcome of a submission.</summary>
public abstract record IntakeResult
{
    private IntakeResult()
    {
    }

    /// <summary>A new referral was stored.</summary>
    public sealed record Created(ReferralRecord Referral, string AccessCode) : IntakeResult;

    /// <summary>The same submission was made before with this key; this is its referral.</summary>
    public sealed record Replayed(ReferralRecord Referral, string? AccessCode) : IntakeResult;

    /// <summary>The form did not pass validation; nothing was stored.</summary>
    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : IntakeResult;

    /// <summary>The key was used before for a different form; nothing was stored.</summary>
    public sealed record KeyReused : IntakeResult;
}
