using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Protection;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Referrals;

/// <summary>A young person's contact channel: where, and whether the case holder marked it safe to use.</summary>
public sealed record ContactChannelRecord(ContactChannel Channel, string Address, bool MarkedSafe);

/// <summary>
/// The address a young person can safely be reached at, kept apart from the referral's history so
/// that it can be changed and erased on its own. The address is encrypted, bound to its row.
/// </summary>
public sealed class ContactChannels
{
    public const string TableName = "ContactChannels";
    private const string Row = "channel";
    private readonly GuardedTableClient _table;
    private readonly FieldEncryption _encryption;

    public ContactChannels(TableProvider tables, FieldEncryption encryption)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _table = tables.Get(TableName);
        _encryption = encryption ?? throw new ArgumentNullException(nameof(encryption));
    }

    public async Task SetAsync(string reference, ContactChannelRecord channel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        await _table.UpsertEntityAsync(new TableEntity(reference, Row)
        {
            ["Channel"] = channel.Channel.ToString(),
            ["MarkedSafe"] = channel.MarkedSafe,
            ["Address"] = _encryption.Encrypt(channel.Address, Context(reference)),
        }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ContactChannelRecord?> GetAsync(string reference, CancellationToken cancellationToken = default)
    {
        var row = await _table.GetEntityIfExistsAsync(reference, Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (row is null || !Enum.TryParse<ContactChannel>(row.GetString("Channel"), out var channel) || row.GetString("Address") is not { } sealedAddress)
        {
            return null;
        }

        return new ContactChannelRecord(channel, _encryption.Decrypt(sealedAddress, Context(reference)), row.GetBoolean("MarkedSafe") ?? false);
    }

    public Task<bool> DeleteAsync(string reference, CancellationToken cancellationToken = default) =>
        _table.DeleteIfExistsAsync(reference, Row, cancellationToken);

    private static string Context(string reference) => reference + "|" + Row;
}
