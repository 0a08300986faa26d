using HandInHand.Infrastructure.Audit;
using HandInHand.Infrastructure.Notifications;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Retention;
using HandInHand.Infrastructure.Storage;
using HandInHand.Infrastructure.Surveys;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Host.Setup;

/// <summary>Creates the app's tables and seeds the configured practitioners before the app takes requests.</summary>
public sealed class StorageInitializer(TableProvider tables, PractitionerDirectory practitioners, IConfiguration config) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var name in ReferralTables.All.Concat(WorkflowTables.All).Append(YoungPersonIndex.TableName).Append(EmailDelivery.TableName).Append(AuditTables.Audit).Append(DigestJob.TableName)
            .Append(ContactChannels.TableName).Append(SurveyTokens.TableName).Append(RetentionService.TableName).Concat(Infrastructure.Reports.ReportTables.All))
        {
            await tables.Get(name).CreateIfNotExistsAsync(cancellationToken);
        }

        await practitioners.SeedAsync(WorkflowServices.ConfiguredPractitioners(config), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
