using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Host.Setup;

/// <summary>Creates the app's tables before the app starts taking requests.</summary>
public sealed class StorageInitializer(TableProvider tables) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var name in ReferralTables.All)
        {
            await tables.Get(name).CreateIfNotExistsAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
