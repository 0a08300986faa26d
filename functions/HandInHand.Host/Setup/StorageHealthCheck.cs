using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HandInHand.Host.Setup;

/// <summary>Healthy when the referrals table answers a one-row query.</summary>
public sealed class StorageHealthCheck(TableProvider tables) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (var _ in tables.Get(ReferralTables.Referrals).QueryAsync(select: ["PartitionKey"], pageSize: 1, cancellationToken: cancellationToken))
            {
                break;
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or IOException)
        {
            // The exception's text is not passed on: the health endpoint is public.
            return HealthCheckResult.Unhealthy("Table Storage did not answer.");
        }
    }
}
