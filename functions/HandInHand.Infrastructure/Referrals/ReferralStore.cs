using System.Globalization;
using HandInHand.Domain.Referrals;
using HandInHand.Infrastructure.Storage;
using HandInHand.Infrastructure.Tables;

namespace HandInHand.Infrastructure.Referrals;

/// <summary>
/// Reads and writes referrals and intake keys in Table Storage. A referral is one partition,
/// keyed by its reference, so that the lifecycle can later commit state, history and outbox
/// rows of the same referral in one entity group transaction.
/// </summary>
public sealed class ReferralStore
{
    /// <summary>The row that holds the referral's current state.</summary>
    public const string StateRow = "state";

    private const string IntakeKeyRow = "key";
    private readonly TableClient _referrals;
    private readonly TableClient _intakeKeys;

    public ReferralStore(TableProvider tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _referrals = tables.Get(ReferralTables.Referrals);
        _intakeKeys = tables.Get(ReferralTables.IntakeKeys);
    }

    /// <summary>Stores a new referral. Returns false, changing nothing, when that reference is already stored.</summary>
    public async Task<bool> TryAddAsync(ReferralRecord referral, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(referral);
        var entity = new TableEntity(referral.Reference, StateRow)
        {
            ["Status"] = referral.Status.ToString(),
            ["ReceivedAt"] = referral.ReceivedAt,
            ["FirstContactDueAt"] = referral.FirstContactDueAt,
            ["RiskLevel"] = referral.Form.RiskLevel.ToString(),
            ["Region"] = referral.Form.YoungPerson.Region,
            ["ReferrerType"] = referral.Form.Referrer.Type,
            ["AccessCodeHash"] = referral.AccessCodeHash,
            ["Fingerprint"] = referral.Fingerprint,
            ["FormVersion"] = 1,
            ["Form"] = ReferralFormJson.Serialize(referral.Form),
        };
        try
        {
            await _referrals.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableStorageException ex) when (ex.Kind == TableFailureKind.Conflict)
        {
            return false;
        }
    }

    /// <summary>The referral with <paramref name="reference"/>, or null when there is none.</summary>
    public async Task<ReferralRecord?> GetAsync(string reference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var e = await _referrals.GetEntityIfExistsAsync(reference, StateRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (e is null)
        {
            return null;
        }

        return new ReferralRecord(
            e.PartitionKey,
            Enum.Parse<ReferralStatus>(e.GetString("Status") ?? nameof(ReferralStatus.Received)),
            e.GetDateTimeOffset("ReceivedAt") ?? throw Corrupt("ReceivedAt"),
            e.GetDateTimeOffset("FirstContactDueAt") ?? throw Corrupt("FirstContactDueAt"),
            e.GetString("AccessCodeHash") ?? throw Corrupt("AccessCodeHash"),
            e.GetString("Fingerprint") ?? throw Corrupt("Fingerprint"),
            ReferralFormJson.Deserialize(e.GetString("Form") ?? throw Corrupt("Form")));
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
        catch (TableStorageException ex) when (ex.Kind == TableFailureKind.Conflict)
        {
            return false;
        }
    }

    /// <summary>Counts stored referrals whose reference starts with <paramref name="referencePrefix"/> (tests and checks).</summary>
    public async Task<int> CountAsync(string referencePrefix, CancellationToken cancellationToken = default)
    {
        var filter = TableFilter.Create(
            $"PartitionKey ge {referencePrefix} and PartitionKey lt {referencePrefix + "\uffff"} and RowKey eq {StateRow}");
        var count = 0;
        await foreach (var _ in _referrals.QueryAsync(filter, ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    private static InvalidDataException Corrupt(string property) =>
        new(string.Create(CultureInfo.InvariantCulture, $"A stored referral row lacks its {property} property."));
}
