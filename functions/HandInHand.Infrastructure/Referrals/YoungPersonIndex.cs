using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using HandInHand.Domain.Referrals;
using HandInHand.Infrastructure.Protection;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Referrals;

/// <summary>
/// Finds earlier referrals that may be about the same young person. Partitions are keyed by a
/// keyed hash of the date of birth or phone number, so neither appears in a key, a URL or a log;
/// the normalised name needed for the comparison is stored encrypted, like the form itself.
/// </summary>
public sealed class YoungPersonIndex
{
    public const string TableName = "YoungPeople";
    private readonly GuardedTableClient _table;
    private readonly byte[] _key;
    private readonly FieldEncryption _encryption;

    /// <param name="key">The secret for the keyed hash (at least 32 bytes).</param>
    public YoungPersonIndex(TableProvider tables, byte[] key, FieldEncryption encryption)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(encryption);
        _encryption = encryption;
        _table = tables.Get(TableName);
        _key = key;
    }

    /// <summary>References of other referrals with the same date of birth and a similar name, or the same phone.</summary>
    public async Task<IReadOnlyList<string>> FindAsync(YoungPerson person, string excludeReference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(person);
        var name = YoungPersonMatching.NormaliseName(person.FirstName, person.LastName);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var partition = DobPartition(person.DateOfBirth);
        await foreach (var row in _table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var stored = row.GetString("Name");
            if (row.RowKey != excludeReference && stored is not null && YoungPersonMatching.AreSimilarNames(name, _encryption.Decrypt(stored, partition + "|" + row.RowKey)))
            {
                found.Add(row.RowKey);
            }
        }

        if (person.Phone is not null)
        {
            await foreach (var row in _table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {PhonePartition(person.Phone)}"), ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (row.RowKey != excludeReference)
                {
                    found.Add(row.RowKey);
                }
            }
        }

        return [.. found];
    }

    /// <summary>Enters a referral in the index; entering it again changes nothing.</summary>
    public async Task AddAsync(YoungPerson person, string reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(person);
        var partition = DobPartition(person.DateOfBirth);
        await _table.UpsertEntityAsync(new TableEntity(partition, reference)
        {
            ["Name"] = _encryption.Encrypt(YoungPersonMatching.NormaliseName(person.FirstName, person.LastName), partition + "|" + reference),
        }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        if (person.Phone is not null)
        {
            await _table.UpsertEntityAsync(new TableEntity(PhonePartition(person.Phone), reference), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Takes a referral out of the index (erasure); entries already gone are fine.</summary>
    public async Task RemoveAsync(YoungPerson person, string reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(person);
        await _table.DeleteIfExistsAsync(DobPartition(person.DateOfBirth), reference, cancellationToken).ConfigureAwait(false);
        if (person.Phone is not null)
        {
            await _table.DeleteIfExistsAsync(PhonePartition(person.Phone), reference, cancellationToken).ConfigureAwait(false);
        }
    }

    private string DobPartition(DateOnly dob) => "dob-" + Hash(dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    private string PhonePartition(string phone) => "phone-" + Hash(YoungPersonMatching.NormalisePhone(phone));

    private string Hash(string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("young-person-index:" + value)))[..32];
}
