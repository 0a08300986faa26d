using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Workflow;
using Microsoft.AspNetCore.Hosting;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>
/// A referral's orchestration that failed is started again, from where the store is. The fault run
/// found orchestrations failed by the backend itself: under storage faults it met a referral's
/// first start message again after the orchestration had moved on, ran it as a fresh start over
/// the live generation's history, and the next replay failed as non-deterministic. A failed
/// orchestration drops every command raised on it and fires no timer.
/// </summary>
public sealed class FailedOrchestrationTests(FailedOrchestrationTests.ShortWaitFactory factory) : IClassFixture<FailedOrchestrationTests.ShortWaitFactory>
{
    /// <summary>A command waits 10 s for its outcome before it looks whether the orchestration failed (the test hosts' usual 60 s would make this slow).</summary>
    public sealed class ShortWaitFactory : HandInHandFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Orchestration:CommandWait", "PT10S");
        }
    }

    [Fact]
    public async Task ACommandToAReferralWhoseOrchestrationFailedStartsItAgainFromTheStoredStateAndIsApplied()
    {
        var hh = new LifecycleDriver(factory);
        var reference = await hh.SubmitAsync();
        var client = factory.Services.GetRequiredService<DurableTaskClient>();

        await FailedOrchestrationSupport.TerminateAsync(client, reference);
        await FailedOrchestrationSupport.FailAsync(client, reference);

        // The loop sweeps every five minutes: this is the command's own doing. Its first raise is
        // dropped by the failed orchestration; once its wait is over, it starts the orchestration
        // again and raises the command once more.
        var accepted = await hh.AcceptAsync(reference);

        Assert.Equal("Allocated", accepted.Stage);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await client.GetInstanceAsync(reference))!.RuntimeStatus);
        // The resumed run carried the received step's effects out again: its acknowledgement is still sent once.
        Assert.Single(await hh.NotificationsAsync(reference, NotificationKind.ReferralAcknowledged));
    }

    [Fact]
    public async Task AStepTheFailedRunRecordedButDidNotCarryOutIsCarriedOutByTheRunStartedAgain()
    {
        var hh = new LifecycleDriver(factory);
        var reference = await hh.SubmitAsync();
        var client = factory.Services.GetRequiredService<DurableTaskClient>();
        await FailedOrchestrationSupport.TerminateAsync(client, reference);

        // The failed run had recorded the manager's acceptance and died before its effects: the
        // allocation the acceptance sets off was never made.
        var store = factory.Services.GetRequiredService<ReferralWorkflowStore>();
        var loaded = (await store.LoadAsync(reference))!;
        var settings = factory.Services.GetRequiredService<IOptionsMonitor<LifecycleSettings>>().CurrentValue;
        var events = new ReferralDecider(settings).Decide(new ReferralCommand.Accept(new Actor("manager-1", Role.Manager), hh.Now), loaded.State);
        await store.RecordStepAsync(reference, loaded.Version, loaded.State.Evolve(events), events, "accept-1");
        await FailedOrchestrationSupport.FailAsync(client, reference);
        Assert.Equal("AwaitingAllocation", (await hh.ViewAsync(reference)).Stage);

        Assert.True(await factory.Services.GetRequiredService<FailedOrchestrations>().RestartIfFailedAsync(reference));

        await LifecycleDriver.EventuallyAsync(async () => (await hh.ViewAsync(reference)).Stage == "Allocated", $"{reference} allocated", TimeSpan.FromSeconds(60));
        Assert.False(await factory.Services.GetRequiredService<FailedOrchestrations>().RestartIfFailedAsync(reference));
    }
}

/// <summary>The sweep: a host looks for failed orchestrations on its own, here every second.</summary>
public sealed class FailedOrchestrationSweepTests(FailedOrchestrationSweepTests.SweepingFactory factory) : IClassFixture<FailedOrchestrationSweepTests.SweepingFactory>
{
    public sealed class SweepingFactory : HandInHandFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Orchestration:RecoveryInterval", "PT1S");
        }
    }

    [Fact]
    public async Task AnOrchestrationFailedWithAnOlderGenerationsInputIsStartedAgainByTheSweepAndTakesUpWhereTheStoreIs()
    {
        var hh = new LifecycleDriver(factory);
        var reference = await hh.SubmitAsync();
        var client = factory.Services.GetRequiredService<DurableTaskClient>();
        var older = (await client.GetInstanceAsync(reference, getInputsAndOutputs: true))!.SerializedInput;
        Assert.Equal("Allocated", (await hh.AcceptAsync(reference)).Stage);

        // What the backend's stale start leaves: the orchestration failed, holding the input of a
        // generation from before the referral was accepted.
        await FailedOrchestrationSupport.TerminateAsync(client, reference);
        var instances = new TableClient(TestStorage.ConnectionString, "hub" + factory.TablePrefix + "Instances");
        var row = (await instances.GetEntityAsync<TableEntity>(reference, string.Empty)).Value;
        row["RuntimeStatus"] = OrchestrationRuntimeStatus.Failed.ToString();
        row["Input"] = older;
        await instances.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);

        await FailedOrchestrationSupport.UntilAsync(client, reference, OrchestrationRuntimeStatus.Running);

        // Started from the stored state, the run takes the step that fits an allocated case; started
        // from the older input, it would refuse it as a step that does not fit a case awaiting triage.
        var practitioner = (await hh.ViewAsync(reference)).PractitionerId!;
        var contacted = await hh.CommandAsync(reference, "first-contact", StaffActor.Practitioner(practitioner), new System.Text.Json.Nodes.JsonObject { ["contactedAt"] = hh.Now, ["consent"] = true });
        Assert.Equal("Active", contacted.Stage);
    }
}

internal static class FailedOrchestrationSupport
{
    public static async Task TerminateAsync(DurableTaskClient client, string reference)
    {
        await client.TerminateInstanceAsync(reference);
        await UntilAsync(client, reference, OrchestrationRuntimeStatus.Terminated);
    }

    /// <summary>Starts the ended orchestration again with an input no run can read: it fails at once.</summary>
    public static async Task FailAsync(DurableTaskClient client, string reference)
    {
        await client.ScheduleNewOrchestrationInstanceAsync(ReferralActivityNames.Orchestrator, "not a run", new StartOrchestrationOptions(reference));
        await UntilAsync(client, reference, OrchestrationRuntimeStatus.Failed);
    }

    public static Task UntilAsync(DurableTaskClient client, string reference, OrchestrationRuntimeStatus status) =>
        LifecycleDriver.EventuallyAsync(
            async () => (await client.GetInstanceAsync(reference))?.RuntimeStatus == status,
            $"the orchestration of {reference} {status}",
            TimeSpan.FromSeconds(60));
}
