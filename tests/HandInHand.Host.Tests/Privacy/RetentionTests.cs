using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using HandInHand.Host.Setup;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using HandInHand.Host.Tests.Surveys;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Storage;
using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Workflow;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Tests.Privacy;

/// <summary>
/// Retention: when the period has passed the record waits for the manager's review; a legal hold
/// stops erasure; a confirmed erasure leaves nothing personal in any table, keeps the anonymous
/// figures, and is itself audited. The six-year period cannot be waited for: the erasure test runs
/// on a host whose period is zero years and age zero (the review falls due at closure, through the
/// same durable timer and decider path); the refusal before the period ends runs on the defaults.
/// </summary>
public sealed class RetentionTests(RetentionTests.PromptRetentionFactory factory) : IClassFixture<RetentionTests.PromptRetentionFactory>
{
    private const string Marker = "Zqxkeep";

    [Fact]
    public async Task ErasureIsRefusedBeforeTheRetentionPeriodEnds()
    {
        using var defaults = new HandInHandFactory();
        var driver = new LifecycleDriver(defaults);
        var reference = await driver.SubmitAsync();
        var active = await driver.ActivateAsync(reference);
        var closed = await driver.CommandAsync(reference, "close", StaffActor.Practitioner(active.PractitionerId!), LifecycleDriver.Closure());

        // Six years on at the least: the review is set, not due, and the manager's erasure does not fit.
        Assert.True(closed.Timers["RetentionReview"] > driver.Now.AddYears(5), $"retention review due {closed.Timers["RetentionReview"]:O}");
        await LifecycleDriver.ProblemAsync(await driver.SendAsync(reference, "erase", StaffActor.Manager, new JsonObject()), HttpStatusCode.Conflict);
        Assert.DoesNotContain(await driver.GetOkAsync<List<RetentionReviewView>>("/api/staff/retention-reviews"), q => q.Reference == reference);
        Assert.NotNull(await defaults.Services.GetRequiredService<ReferralStore>().GetAsync(reference));
    }

    [Fact]
    public async Task AfterTheRetentionPeriodTheManagerConfirmsAndNothingPersonalIsLeftInAnyTable()
    {
        var driver = new LifecycleDriver(factory);
        var form = driver.Form()
            .With("youngPerson.schoolOrSetting", JsonValue.Create(Marker + " school"))
            .With("youngPerson.safeContact", JsonValue.Create(Marker + " contact"))
            .With("concernDetails", JsonValue.Create(Marker + " concern"))
            .With("referrer.name", JsonValue.Create(Marker + " referrer"));
        var firstName = form["youngPerson"]!["firstName"]!.GetValue<string>();
        var dateOfBirth = form["youngPerson"]!["dateOfBirth"]!.GetValue<string>();
        var reference = await driver.SubmitAsync(form);
        var active = await driver.ActivateAsync(reference);
        var holder = StaffActor.Practitioner(active.PractitionerId!);
        Assert.Equal(HttpStatusCode.OK, (await driver.PutContactChannelAsync(reference, holder, new JsonObject { ["channel"] = "email", ["address"] = "zqxkeep.young@example.org", ["markedSafe"] = true })).StatusCode);
        await driver.CommandAsync(reference, "reviews", holder, LifecycleDriver.Review());
        var closing = DateTimeOffset.UtcNow;
        await driver.CommandAsync(reference, "close", holder, LifecycleDriver.Closure(reason: Marker + " closing note"));
        await AnswerSurveyAsync(reference, Marker + " idea");
        string[] markers = [Marker, firstName, dateOfBirth, "zqxkeep.young@example.org"];

        // The markers are there to be found before erasure: the checks below can fail.
        Assert.Contains(Marker, await PersonalTextAsync(reference), StringComparison.Ordinal);
        Assert.Contains(dateOfBirth, await PersonalTextAsync(reference), StringComparison.Ordinal);

        // The period (zero here) ran from the closure: the durable timer fires and the record joins the manager's review.
        RetentionReviewView? review = null;
        await LifecycleDriver.EventuallyAsync(
            async () => (review = (await driver.GetOkAsync<List<RetentionReviewView>>("/api/staff/retention-reviews")).SingleOrDefault(q => q.Reference == reference)) is not null,
            $"{reference} in the retention reviews");
        Assert.False(review!.LegalHold);
        Assert.InRange(review.ReviewDueAt, closing.AddSeconds(-2), DateTimeOffset.UtcNow);
        await driver.NotifiedAsync(reference, NotificationKind.RetentionReviewDue);

        // A legal hold stops the erasure until it is released.
        await driver.CommandAsync(reference, "legal-hold", StaffActor.Manager, new JsonObject { ["reason"] = "Court order" });
        Assert.Equal(HttpStatusCode.Conflict, (await driver.SendAsync(reference, "erase", StaffActor.Manager, new JsonObject())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await driver.SendAsync(reference, "erase", holder, new JsonObject())).StatusCode);
        await driver.CommandAsync(reference, "legal-hold/release", StaffActor.Manager, new JsonObject());
        Assert.NotEmpty(await TaskHubRowsOfAsync(reference));

        var erased = await driver.CommandAsync(reference, "erase", StaffActor.Manager, new JsonObject());

        // The orchestration ended with the erasure, and its records in the task hub went with it:
        // they held the earlier state, encrypted with a key that the erasure does not destroy.
        Assert.Empty(await TaskHubRowsOfAsync(reference));

        // An erased record takes no further step, and says so at once (its orchestration is gone):
        // a step the decider refuses anyway, one it would take, and a repeat of the erasure.
        await LifecycleDriver.ProblemAsync(await driver.SendAsync(reference, "legal-hold", StaffActor.Manager, new JsonObject { ["reason"] = "Late order" }), HttpStatusCode.Conflict);
        await LifecycleDriver.ProblemAsync(await driver.SendAsync(reference, "survey-opt-out", holder, new JsonObject()), HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, (await driver.SendAsync(reference, "erase", StaffActor.Manager, new JsonObject())).StatusCode);

        Assert.Equal("Closed", erased.Stage);
        Assert.DoesNotContain(await driver.GetOkAsync<List<RetentionReviewView>>("/api/staff/retention-reviews"), q => q.Reference == reference);
        var personal = await PersonalTextAsync(reference);
        Assert.All(markers, m => Assert.DoesNotContain(m, personal, StringComparison.OrdinalIgnoreCase));
        var raw = await EveryStoredValueAsync();
        raw.AddRange(await TaskHubValuesAsync());
        Assert.All(markers, m => Assert.DoesNotContain(raw, v => v.Contains(m, StringComparison.OrdinalIgnoreCase)));
        Assert.Null(await factory.Services.GetRequiredService<ReferralStore>().GetAsync(reference));
        Assert.Null(await factory.Services.GetRequiredService<ContactChannels>().GetAsync(reference));

        // The anonymous figures stay; the erasure is in the audit trail, whose chain is intact.
        var state = (await factory.Services.GetRequiredService<ReferralWorkflowStore>().LoadAsync(reference))!.State;
        Assert.Equal(Domain.Referrals.RiskLevel.Standard, state.RiskAtClosure);
        Assert.NotNull(state.FirstContactAt);
        Assert.NotNull(state.SurveyAnsweredAt);
        var audit = factory.Services.GetRequiredService<Infrastructure.Audit.AuditTrail>();
        Assert.Contains(await audit.ReadAsync(reference), e => e.Event.Action == "erase-personal-data");
        Assert.True((await audit.VerifyAsync(reference)).Intact);

        // Running the scheduled job afterwards finds nothing left to do.
        var response = await driver.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/retention/run") { Headers = { { "X-Actor-Id", "admin-1" }, { "X-Actor-Role", "admin" } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The young person's answers through the emailed link, as the browser would send them.</summary>
    private async Task AnswerSurveyAsync(string reference, string idea)
    {
        var link = await SurveyMail.SingleAsync(factory, reference, "survey");
        var client = factory.CreateClient();
        var page = await client.GetStringAsync(link);
        var sent = await client.PostAsync(link, SurveyMail.Answers(page, ("trustedWorker", "yes"), ("ideas", idea)));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
    }

    /// <summary>Everything the app itself can read back about the referral: state, history, form, channel.</summary>
    private async Task<string> PersonalTextAsync(string reference)
    {
        var store = factory.Services.GetRequiredService<ReferralWorkflowStore>();
        var state = (await store.LoadAsync(reference))!.State;
        var history = await store.ReadHistoryAsync(reference);
        var form = await factory.Services.GetRequiredService<ReferralStore>().GetAsync(reference);
        var channel = await factory.Services.GetRequiredService<ContactChannels>().GetAsync(reference);
        return JsonSerializer.Serialize(state, WorkflowJson.Options) + JsonSerializer.Serialize(history.Select(h => h.Event), WorkflowJson.Options)
            + (form is null ? string.Empty : JsonSerializer.Serialize(form)) + (channel is null ? string.Empty : JsonSerializer.Serialize(channel));
    }

    /// <summary>Every property value of every row of every table the app keeps, as stored.</summary>
    private async Task<List<string>> EveryStoredValueAsync()
    {
        var tables = factory.Services.GetRequiredService<TableProvider>();
        var values = new List<string>();
        foreach (var name in StorageInitializer.TableNames)
        {
            await foreach (var row in tables.Get(name).QueryAsync(null))
            {
                values.Add(row.PartitionKey);
                values.Add(row.RowKey);
                values.AddRange(row.Select(p => p.Value?.ToString() ?? string.Empty));
            }
        }

        Assert.NotEmpty(values);
        return values;
    }

    /// <summary>
    /// Every value of the orchestrations' own tables (instances and history of the task hub): what
    /// they hold is encrypted by the data converter, so no marker may show there in clear either
    /// (the erased referral's rows are purged; those of other referrals stay).
    /// </summary>
    private async Task<List<string>> TaskHubValuesAsync()
    {
        var hub = factory.Services.GetRequiredService<IOptions<OrchestrationOptions>>().Value.TaskHubName;
        var service = new TableServiceClient(TestStorage.ConnectionString);
        var values = new List<string>();
        foreach (var name in new[] { hub + "Instances", hub + "History" })
        {
            await foreach (var row in service.GetTableClient(name).QueryAsync<TableEntity>())
            {
                values.AddRange(row.Select(p => p.Value?.ToString() ?? string.Empty));
            }
        }

        return values;
    }

    /// <summary>The rows the task hub keeps for one referral's orchestration (its instance and history).</summary>
    private async Task<List<string>> TaskHubRowsOfAsync(string reference)
    {
        var hub = factory.Services.GetRequiredService<IOptions<OrchestrationOptions>>().Value.TaskHubName;
        var service = new TableServiceClient(TestStorage.ConnectionString);
        var rows = new List<string>();
        foreach (var name in new[] { hub + "Instances", hub + "History" })
        {
            await foreach (var row in service.GetTableClient(name).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {reference}")))
            {
                rows.Add(name + "/" + row.RowKey);
            }
        }

        return rows;
    }

    /// <summary>A host whose retention period ends at closure: zero years after it, and no age to wait for.</summary>
    public sealed class PromptRetentionFactory : HandInHandFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Lifecycle:RetentionYears", "0");
            builder.UseSetting("Lifecycle:RetentionUntilAge", "0");
        }
    }
}

internal sealed record RetentionReviewView(string Reference, DateTimeOffset ReviewDueAt, string Stage, DateTimeOffset? ClosedAt, bool LegalHold);
