using Azure.Core;
using Azure.Data.Tables;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Tests.Storage;

/// <summary>
/// The real Azurite started by ./scripts/test.sh. Without it the tests fail loudly rather than
/// skip: a skipped storage test is a test that silently stopped protecting anything.
/// </summary>
public sealed class AzuriteFixture
{
    public const string VariableName = "HANDINHAND_TEST_STORAGE";

    public AzuriteFixture()
    {
        string? connectionString = Environment.GetEnvironmentVariable(VariableName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"{VariableName} is not set. Run ./scripts/test.sh, which starts Azurite and sets it to the emulator's connection string.");
        }

        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static string NewTableName() => "t" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>A client on a fresh, uniquely named table that exists until the returned scope is disposed.</summary>
    public async Task<TestTable> CreateTableAsync(Action<TableClientOptions>? configure = null)
    {
        var counter = new CountingPolicy();
        var client = GuardedTableClient.FromConnectionString(ConnectionString, NewTableName(), options =>
        {
            options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
            configure?.Invoke(options);
        });
        await client.CreateIfNotExistsAsync();
        return new TestTable(client, counter);
    }
}

public sealed class TestTable(GuardedTableClient client, CountingPolicy requests) : IAsyncDisposable
{
    public GuardedTableClient Client { get; } = client;

    /// <summary>Every attempt that reached the transport, retries included.</summary>
    public CountingPolicy Requests { get; } = requests;

    public async ValueTask DisposeAsync() => await Client.DeleteTableAsync();
}
