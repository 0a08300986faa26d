using Azure.Core;
using HandInHand.Infrastructure.Tables;
using Microsoft.Extensions.Options;

namespace HandInHand.Infrastructure.Storage;

/// <summary>Creates the <see cref="TableClient"/> for each of the app's tables from <see cref="StorageOptions"/>.</summary>
public sealed class TableProvider
{
    private readonly StorageOptions _options;
    private readonly TokenCredential? _credential;

    public TableProvider(IOptions<StorageOptions> options, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _credential = credential;
        if (string.IsNullOrWhiteSpace(_options.ConnectionString) && _options.TableEndpoint is null)
        {
            throw new InvalidOperationException("Storage is not configured: set Storage:ConnectionString, or Storage:TableEndpoint with a managed identity.");
        }
    }

    /// <summary>The client for the table called <paramref name="name"/> (before the prefix).</summary>
    public TableClient Get(string name)
    {
        var fullName = _options.TablePrefix + name;
        if (!string.IsNullOrWhiteSpace(_options.ConnectionString))
        {
            return new TableClient(_options.ConnectionString, fullName);
        }

        return new TableClient(
            _options.TableEndpoint!,
            fullName,
            _credential ?? throw new InvalidOperationException("Storage:TableEndpoint needs a token credential."));
    }
}
