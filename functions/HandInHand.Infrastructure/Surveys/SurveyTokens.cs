using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Surveys;

/// <summary>What a survey link stands for: whose survey, for which referral, until when.</summary>
public sealed record SurveyTicket(string TokenHash, string Reference, SurveyAudience Audience, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt);

/// <summary>
/// The links of the end-of-support survey and the partner feedback. A token is 256 bits from the
/// operating system's CSPRNG, written base64url into the link; only its SHA-256 hash is stored.
/// Looking a token up never uses it: the referral's workflow takes one set of answers, and
/// <see cref="MarkUsedAsync"/> records afterwards that the link has done its work.
/// </summary>
public sealed class SurveyTokens
{
    public const string TableName = "SurveyTokens";
    private const int TokenBytes = 32;
    private const string Row = "token";
    private readonly GuardedTableClient _table;

    public SurveyTokens(TableProvider tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _table = tables.Get(TableName);
    }

    /// <summary>The length of a token as it appears in a link.</summary>
    public static int TokenLength { get; } = Base64Url.GetEncodedLength(TokenBytes);

    /// <summary>Makes a new link token for <paramref name="reference"/>'s survey and stores its hash.</summary>
    public async Task<string> IssueAsync(string reference, SurveyAudience audience, DateTimeOffset issuedAt, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
        await _table.AddEntityAsync(new TableEntity(HashOf(token), Row)
        {
            ["Reference"] = reference,
            ["Audience"] = audience.ToString(),
            ["IssuedAt"] = issuedAt,
            ["ExpiresAt"] = expiresAt,
        }, cancellationToken).ConfigureAwait(false);
        return token;
    }

    /// <summary>The ticket a token stands for, or null for anything that is not a token we issued.</summary>
    public async Task<SurveyTicket?> FindAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (token is null || token.Length != TokenLength || !Base64Url.IsValid(token))
        {
            return null;
        }

        var hash = HashOf(token);
        var row = await _table.GetEntityIfExistsAsync(hash, Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (row is null || !Enum.TryParse<SurveyAudience>(row.GetString("Audience"), out var audience))
        {
            return null;
        }

        return new SurveyTicket(hash, row.GetString("Reference") ?? string.Empty, audience, row.GetDateTimeOffset("ExpiresAt") ?? default, row.GetDateTimeOffset("UsedAt"));
    }

    /// <summary>Records that the link's answers were taken.</summary>
    public async Task MarkUsedAsync(SurveyTicket ticket, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        await _table.UpsertEntityAsync(new TableEntity(ticket.TokenHash, Row) { ["UsedAt"] = at }, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes every link of a referral (erasure).</summary>
    public async Task<int> DeleteForAsync(string reference, CancellationToken cancellationToken = default)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync(TableClient.CreateQueryFilter($"Reference eq {reference}"), ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        foreach (var row in rows)
        {
            await _table.DeleteIfExistsAsync(row.PartitionKey, row.RowKey, cancellationToken).ConfigureAwait(false);
        }

        return rows.Count;
    }

    private static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
}
