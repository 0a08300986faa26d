using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Referrals;
using HandInHand.Infrastructure.Protection;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Storage;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Orchestration.Hosting;
using HandInHand.Infrastructure.Workflow;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Setup;

/// <summary>Registers the referral lifecycle: the stores it records into, the orchestrations that run it, and the one entry point for commands.</summary>
public static class WorkflowServices
{
    /// <summary>Configuration section holding the practitioners to seed.</summary>
    public const string PractitionersSection = "Practitioners";

    public static IServiceCollection AddWorkflow(this IServiceCollection services, IConfiguration config, BackgroundWork backgroundWork = BackgroundWork.InThisProcess)
    {
        IsoDurationConverter.Register();
        services.AddOptions<LifecycleSettings>().Bind(config.GetSection("Lifecycle"));
        services.AddOptions<WorkflowOptions>().Bind(config.GetSection(WorkflowOptions.SectionName));
        services.AddOptions<OrchestrationOptions>().Bind(config.GetSection(OrchestrationOptions.SectionName))
            .Validate(o => o.RecoveryInterval > TimeSpan.Zero, "Orchestration:RecoveryInterval must be more than zero.")
            .ValidateOnStart();
        services.AddSingleton<ReferralWorkflowStore>();
        services.AddSingleton(sp => new YoungPersonIndex(sp.GetRequiredService<TableProvider>(), sp.GetRequiredService<IOptions<IntakeOptions>>().Value.SecretKeyBytes(), sp.GetRequiredService<FieldEncryption>()));
        services.AddSingleton<NotificationLog>();
        services.AddSingleton<PractitionerDirectory>();
        services.AddSingleton<CaseloadLedger>();
        services.AddSingleton<WaitingListIndex>();
        services.AddSingleton<AllocationService>();
        services.AddSingleton<Infrastructure.Reports.ReportProjection>();
        services.AddSingleton<CaseBoard>();
        services.AddSingleton<Infrastructure.Reports.ReportReader>();
        services.AddSingleton<CommandOutcomes>();
        services.AddSingleton<ReferralCommands>();
        services.AddSingleton<FinishedOrchestrations>();
        services.AddSingleton<FailedOrchestrations>();
        if (backgroundWork == BackgroundWork.InThisProcess)
        {
            // Under the Functions host the host runs the orchestrations, the Functions app
            // registers the DurableTaskClient it lends for each invocation, and the RecoveryRun
            // timer takes the loop's place.
            services.AddLocalOrchestrations();
            services.AddHostedService<RecoveryLoop>();
        }

        return services;
    }

    /// <summary>The practitioners listed in configuration.</summary>
    public static IReadOnlyList<Practitioner> ConfiguredPractitioners(IConfiguration config) =>
        config.GetSection(PractitionersSection).GetChildren()
            .Select(s => new Practitioner(
                s["Id"] ?? throw new InvalidOperationException("A configured practitioner has no Id."),
                s["DisplayName"] ?? s["Id"]!,
                s.GetSection("Regions").Get<string[]>() ?? [],
                s.GetValue("Capacity", 0)))
            .ToList();
}
