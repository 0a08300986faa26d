using HandInHand.Infrastructure.Audit;
using HandInHand.Infrastructure.Notifications;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Retention;
using HandInHand.Infrastructure.Storage;
using HandInHand.Infrastructure.Surveys;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Host.Setup;

/// <summary>Creates the app's tables, moves the practitioners out of their retired table and seeds the configured ones, before the app takes requests.</summary>
public sealed class StorageInitializer(TableProvider tables, PractitionerDirectory practitioners, IConfiguration config) : IHostedService
{
    /// <summary>Every table the app keeps (before the configured prefix).</summary>
    public static IReadOnlyList<string> TableNames { get; } =
    [
        .. ReferralTables.All, .. WorkflowTables.All, YoungPersonIndex.TableName, EmailDelivery.TableName, AuditTables.Audit, DigestJob.TableName,
        ContactChannels.TableName, SurveyTokens.TableName, RetentionService.TableName, DataProtectionServices.TableName, .. Infrastructure.Reports.ReportTables.All, CaseBoard.TableName,
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var name in TableNames)
        {
            await tables.Get(name).CreateIfNotExistsAsync(cancellationToken);
        }

        await practitioners.AdoptRetiredTableAsync(cancellationToken);
        await practitioners.SeedAsync(WorkflowServices.ConfiguredPractitioners(config), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
