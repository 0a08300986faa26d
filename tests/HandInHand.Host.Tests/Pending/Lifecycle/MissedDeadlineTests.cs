using HandInHand.Host.Staff;
using HandInHand.Host.Tests.Support;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>A missed deadline stays in front of the manager until it is met, not only until it escalates.</summary>
public sealed class MissedDeadlineTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task AMissedFirstContactStaysOverdueInTheDueViewAfterItsEscalationUntilFirstContactIsRecorded()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var allocated = await _hh.AcceptAsync(reference);
        var deadline = allocated.ReceivedAt.AddHours(24);

        await _hh.TickAtAsync(deadline.AddMinutes(1));
        await _hh.TickAtAsync(deadline.AddHours(3));

        var due = await _hh.GetOkAsync<List<DueItem>>("/api/staff/due");
        var missed = Assert.Single(due, d => d.Reference == reference && d.Deadline == "FirstContactDeadline");
        Assert.True(missed.Overdue);
        Assert.Equal(deadline, missed.DueAt);

        await _hh.CommandAsync(reference, "first-contact", StaffActor.Selby, new System.Text.Json.Nodes.JsonObject { ["consent"] = true });

        due = await _hh.GetOkAsync<List<DueItem>>("/api/staff/due");
        Assert.DoesNotContain(due, d => d.Reference == reference && d.Deadline == "FirstContactDeadline");
    }
}
