using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Infrastructure.Protection;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Referrals;

/// <summary>
/// Reads referral forms and keeps intake keys in Table Storage. A referral is one partition, keyed
/// by its reference, holding its form, its workflow state, history and outbox; the form is written
/// in the same transaction as the workflow's first step.
/// </summary>
public sealed class ReferralStore
{
    /// <summary>The row that holds the referral form.</summary>
    public const string FormRow = "form";

    /// <summary>The row that holds the referral's workflow state.</summary>
    public const string StateRow = "state";

    private const string IntakeKeyRow = "key";
    private readonly GuardedTableClient _referrals;
    private readonly GuardedTableClient _intakeKeys;
    private readonly FieldEncryption _encryption;

    public ReferralStore(TableProvider tables, FieldEncryption encryption)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(encryption);
        _encryption = encryption;
        _referrals = tables.Get(ReferralTables.Referrals);
        _intakeKeys = tables.Get(ReferralTables.IntakeKeys);
    }

    /// <summary>
    /// Stores the form as received, once: when a form is already stored under the reference (a
    /// retried submission), that one stays and is returned.
    /// </summary>
    public async Task<ReferralRecord> AddFormAsync(ReferralRecord referral, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(referral);
        try
        {
            await _referrals.AddEntityAsync(FormEntity(referral), cancellationToken).ConfigureAwait(false);
            return referral;
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException { Status: 409 } or TableOutcomeUnknownException)
        {
            return await GetAsync(referral.Reference, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("A form was reported stored but cannot be read back.", ex);
        }
    }

    /// <summary>The row that holds the referral form as received. The form itself is encrypted, bound to this referral's form row.</summary>
    public TableEntity FormEntity(ReferralRecord referral)
    {
        ArgumentNullException.ThrowIfNull(referral);
        return new TableEntity(referral.Reference, FormRow)
        {
            ["ReceivedAt"] = referral.ReceivedAt,
            ["FirstContactDueAt"] = referral.FirstContactDueAt,
            ["AccessCodeHash"] = referral.AccessCodeHash,
            ["Fingerprint"] = referral.Fingerprint,
            ["FormVersion"] = 1,
            ["Form"] = _encryption.Encrypt(ReferralFormJson.Serialize(referral.Form), FormContext(referral.Reference)),
        };
    }

    /// <summary>The referral with <paramref name="reference"/>, or null when there is none.</summary>
    public async Task<ReferralRecord?> GetAsync(string reference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var e = await _referrals.GetEntityIfExistsAsync(reference, FormRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (e is null)
        {
            return null;
        }

        var state = await _referrals.GetEntityIfExistsAsync(reference, StateRow, ["Stage"], cancellationToken).ConfigureAwait(false);
        var stage = Enum.TryParse<Stage>(state?.GetString("Stage"), out var s) ? s : Stage.AwaitingTriage;
        return new ReferralRecord(
            e.PartitionKey,
            ReferralStatuses.ForStage(stage),
            e.GetDateTimeOffset("ReceivedAt") ?? throw Corrupt("ReceivedAt"),
            e.GetDateTimeOffset("FirstContactDueAt") ?? throw Corrupt("FirstContactDueAt"),
            e.GetString("AccessCodeHash") ?? throw Corrupt("AccessCodeHash"),
            e.GetString("Fingerprint") ?? throw Corrupt("Fingerprint"),
            ReferralFormJson.Deserialize(_encryption.Decrypt(e.GetString("Form") ?? throw Corrupt("Form"), FormContext(reference))));
    }

    /// <summary>What the idempotency key with <paramref name="keyHash"/> was used for, or null when unused.</summary>
    public async Task<IntakeKeyRecord?> GetIntakeKeyAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        var e = await _intakeKeys.GetEntityIfExistsAsync(keyHash, IntakeKeyRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return e is null
            ? null
            : new IntakeKeyRecord(
                keyHash,
                e.GetString("Reference") ?? throw Corrupt("Reference"),
                e.GetString("Fingerprint") ?? throw Corrupt("Fingerprint"),
                e.GetDateTimeOffset("ReceivedAt") ?? throw Corrupt("ReceivedAt"));
    }

    /// <summary>Erasure: removes the referral form and the intake keys that point at it (their fingerprints are hashes of the form).</summary>
    public async Task EraseAsync(string reference, CancellationToken cancellationToken = default)
    {
        var keys = new List<string>();
        await foreach (var row in _intakeKeys.QueryAsync(TableClient.CreateQueryFilter($"Reference eq {reference}"), ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add(row.PartitionKey);
        }

        foreach (var key in keys)
        {
            await _intakeKeys.DeleteIfExistsAsync(key, IntakeKeyRow, cancellationToken).ConfigureAwait(false);
        }

        await _referrals.DeleteIfExistsAsync(reference, FormRow, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Claims an idempotency key. Returns false, changing nothing, when another request claimed it first.</summary>
    public async Task<bool> TryClaimIntakeKeyAsync(IntakeKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var entity = new TableEntity(key.KeyHash, IntakeKeyRow)
        {
            ["Reference"] = key.Reference,
            ["Fingerprint"] = key.Fingerprint,
            ["ReceivedAt"] = key.ReceivedAt,
        };
        try
        {
            await _intakeKeys.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Counts stored referrals whose reference starts with <paramref name="referencePrefix"/> (tests and checks).</summary>
    public async Task<int> CountAsync(string referencePrefix, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {referencePrefix} and PartitionKey lt {referencePrefix + "\uffff"} and RowKey eq {FormRow}");
        var count = 0;
        await foreach (var _ in _referrals.QueryAsync(filter, ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    private static string FormContext(string reference) => reference + "|" + FormRow;

    private static InvalidDataException Corrupt(string property) =>
        new(string.Create(CultureInfo.InvariantCulture, $"A stored referral row lacks its {property} property."));
}
