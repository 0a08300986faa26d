using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>
/// Recording a step where one is recorded already. The Azure Storage backend sends an episode's
/// messages before it commits the episode's history, so the step-recording activity of an attempt
/// whose decision was never committed can still run; the attempt that is committed may then decide
/// another step from the same version (another command came first). The store must not take that
/// second step for the first one: it hands back what it holds, and the orchestration adopts it.
/// A fault run found the state and the fold of the history apart when it did not.
/// </summary>
public sealed class RecordedStepTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private static readonly Actor Manager = new("manager-1", Role.Manager);

    [Fact]
    public async Task ADifferentStepFoundRecordedFromTheSameVersionIsHandedBackAndTheSameOneIsLeftAlone()
    {
        var store = factory.Services.GetRequiredService<ReferralWorkflowStore>();
        var reference = "HH-2026-9" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var at = DateTimeOffset.UtcNow;
        ReferralEvent[] first = [new ReferralEvent.LegalHoldPlaced(Manager, at, "First attempt")];
        ReferralEvent[] second = [new ReferralEvent.LegalHoldPlaced(Manager, at.AddSeconds(1), "Second attempt"), new ReferralEvent.LegalHoldReleased(Manager, at.AddSeconds(1))];

        var recorded = await store.RecordStepAsync(reference, 0, ReferralState.Initial.Evolve(first), first, "command-1");
        Assert.Equal(new RecordedStep(1, null), recorded);

        // The same step again (the activity ran twice): left alone.
        Assert.Equal(new RecordedStep(1, null), await store.RecordStepAsync(reference, 0, ReferralState.Initial.Evolve(first), first, "command-1"));

        // Another step from version 0: the one recorded comes back, with its command, and nothing is written.
        var instead = await store.RecordStepAsync(reference, 0, ReferralState.Initial.Evolve(second), second, "command-2");
        Assert.Equal(1, instead.Version);
        Assert.Equal("command-1", instead.Instead!.CommandId);
        Assert.Equal(0, instead.Instead.FromVersion);
        Assert.Null(instead.Instead.Before);
        Assert.Equal("First attempt", Assert.IsType<ReferralEvent.LegalHoldPlaced>(Assert.Single(instead.Instead.Events)).Reason);
        var loaded = await store.LoadAsync(reference);
        Assert.Equal(1, loaded!.Version);
        Assert.Single(await store.ReadHistoryAsync(reference));
        Assert.Equal(WorkflowJson.Serialize(ReferralState.Initial.Evolve(first)), WorkflowJson.Serialize(loaded.State));

        // The next step builds on what is recorded.
        ReferralEvent[] then = [new ReferralEvent.LegalHoldReleased(Manager, at.AddSeconds(2))];
        var state = ReferralState.Initial.Evolve(first).Evolve(then);
        Assert.Equal(new RecordedStep(2, null), await store.RecordStepAsync(reference, 1, state, then));
        Assert.Equal(2, (await store.ReadHistoryAsync(reference)).Count);
    }

    [Fact]
    public async Task ARunThatFellMoreThanOneStepBehindGetsTheStoresLastStepWithTheStateBeforeIt()
    {
        var store = factory.Services.GetRequiredService<ReferralWorkflowStore>();
        var reference = "HH-2026-8" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var at = DateTimeOffset.UtcNow;
        ReferralEvent[] first = [new ReferralEvent.LegalHoldPlaced(Manager, at, "First")];
        ReferralEvent[] second = [new ReferralEvent.LegalHoldReleased(Manager, at.AddSeconds(1))];
        ReferralEvent[] third = [new ReferralEvent.LegalHoldPlaced(Manager, at.AddSeconds(2), "Third"), new ReferralEvent.LegalHoldReleased(Manager, at.AddSeconds(2))];
        var afterSecond = ReferralState.Initial.Evolve(first).Evolve(second);
        await store.RecordStepAsync(reference, 0, ReferralState.Initial.Evolve(first), first, "command-1");
        await store.RecordStepAsync(reference, 1, afterSecond, second, "command-2");
        await store.RecordStepAsync(reference, 2, afterSecond.Evolve(third), third, "command-3");

        // The first step again (a start delivered again after the referral moved on), and another step
        // from version 1: each gets the last step, which starts at version 2, with the fold before it.
        foreach (var (from, events) in new[] { (0L, first), (1L, third) })
        {
            var behind = await store.RecordStepAsync(reference, from, ReferralState.Initial, events);
            Assert.Equal(4, behind.Version);
            var last = behind.Instead!;
            Assert.Equal((2L, 4L, "command-3"), (last.FromVersion, last.Version, last.CommandId));
            Assert.Equal(WorkflowJson.Serialize(third), WorkflowJson.Serialize(last.Events));
            Assert.Equal(WorkflowJson.Serialize(afterSecond), WorkflowJson.Serialize(last.Before));
        }

        Assert.Equal(4, (await store.ReadHistoryAsync(reference)).Count);
    }
}
