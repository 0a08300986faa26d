using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace HandInHand.Infrastructure.Storage;

/// <summary>
/// The app's one <see cref="TableServiceClient"/> (a connection string locally, the managed identity
/// with <see cref="StorageOptions.TableEndpoint"/> in Azure), and a <see cref="GuardedTableClient"/>
/// for each of its tables; all share one pipeline built with <see cref="GuardedTableClient.CreateClientOptions"/>.
/// </summary>
public sealed class TableProvider
{
    private readonly StorageOptions _options;

    public TableProvider(IOptions<StorageOptions> options, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        var clientOptions = GuardedTableClient.CreateClientOptions();
        if (!string.IsNullOrWhiteSpace(_options.ConnectionString))
        {
            Service = new TableServiceClient(_options.ConnectionString, clientOptions);
        }
        else if (_options.TableEndpoint is not null)
        {
            Service = new TableServiceClient(
                _options.TableEndpoint,
                credential ?? throw new InvalidOperationException("Storage:TableEndpoint needs a token credential."),
                clientOptions);
        }
        else
        {
            throw new InvalidOperationException("Storage is not configured: set Storage:ConnectionString, or Storage:TableEndpoint with a managed identity.");
        }
    }

    /// <summary>The SDK's service client for the account.</summary>
    public TableServiceClient Service { get; }

    /// <summary>The client for the table called <paramref name="name"/> (before the prefix).</summary>
    public GuardedTableClient Get(string name) => new(Service.GetTableClient(_options.TablePrefix + name));
}
