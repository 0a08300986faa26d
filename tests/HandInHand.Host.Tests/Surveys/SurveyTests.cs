using System.Net;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Workflow;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Surveys;

/// <summary>
/// The end-of-support survey and the partner feedback through their emailed links: opening never
/// uses a link, the answers are taken once, and every link that cannot be used shows one neutral page.
/// The survey's reminder and expiry are real timers: those tests run on a host whose survey clocks
/// are seconds long.
/// </summary>
public sealed class SurveyTests(HandInHandFactory factory, SurveyTests.ShortSurveyClocks shortClocks) : IClassFixture<HandInHandFactory>, IClassFixture<SurveyTests.ShortSurveyClocks>
{
    private const string UnknownToken = "/survey/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    [Fact]
    public async Task OpeningTheLinkNeverUsesItAndTheAnswersAreStoredOnce()
    {
        var driver = new LifecycleDriver(factory);
        var reference = await driver.CloseAfterSupportAsync();
        var link = await SurveyMail.SingleAsync(factory, reference, "survey");
        var client = factory.CreateClient();

        // A mail scanner's prefetch, a HEAD, and the young person opening it twice.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, link))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync(link)).StatusCode);
        var page = await client.GetStringAsync(link);
        Assert.Contains("Could you trust your worker?", page, StringComparison.Ordinal);
        Assert.DoesNotContain("exploitation", page, StringComparison.OrdinalIgnoreCase);

        var answered = await client.PostAsync(link, SurveyMail.Answers(page, ("trustedWorker", "yes"), ("feltListenedTo", "yes"), ("feltSafe", "not-sure"), ("wouldRecommend", "yes"), ("ideas", "More sessions after school")));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Contains("Thank you", await answered.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var stored = await SurveyMail.StoredAnswersAsync(driver, reference, "SurveyAnswered");
        Assert.Equal("yes", stored.GetProperty("trustedWorker").GetString());
        Assert.Equal("not-sure", stored.GetProperty("feltSafe").GetString());
        Assert.Equal("More sessions after school", stored.GetProperty("ideas").GetString());

        // Used up: the same neutral page as a link that never existed.
        var again = await client.PostAsync(link, SurveyMail.Answers(page, ("trustedWorker", "no")));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(await NeutralPageAsync(), await again.Content.ReadAsStringAsync());
        var reopened = await client.GetAsync(link);
        Assert.Equal(HttpStatusCode.NotFound, reopened.StatusCode);
        Assert.Equal(await NeutralPageAsync(), await reopened.Content.ReadAsStringAsync());
        Assert.Single(await driver.TimelineAsync(reference, StaffActor.Manager), s => s.Type == "SurveyAnswered");
    }

    [Fact]
    public async Task OfTwoSimultaneousSubmissionsExactlyOneIsTaken()
    {
        var driver = new LifecycleDriver(factory);
        var reference = await driver.CloseAfterSupportAsync();
        var link = await SurveyMail.SingleAsync(factory, reference, "survey");
        var first = factory.CreateClient();
        var second = factory.CreateClient();
        var firstPage = await first.GetStringAsync(link);
        var secondPage = await second.GetStringAsync(link);

        var statuses = await Task.WhenAll(
            first.PostAsync(link, SurveyMail.Answers(firstPage, ("trustedWorker", "yes"))),
            second.PostAsync(link, SurveyMail.Answers(secondPage, ("trustedWorker", "no"))));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.NotFound], statuses.Select(r => r.StatusCode).Order());
        Assert.Single(await driver.TimelineAsync(reference, StaffActor.Manager), s => s.Type == "SurveyAnswered");
    }

    [Fact]
    public async Task AnExpiredLinkShowsTheSameNeutralPage()
    {
        var driver = new LifecycleDriver(shortClocks);
        var reference = await driver.CloseAfterSupportAsync();
        var link = await SurveyMail.SingleAsync(shortClocks, reference, "survey");
        var client = shortClocks.CreateClient();
        var page = await client.GetStringAsync(link);
        var openUntil = (await driver.Service<ReferralWorkflowStore>().LoadAsync(reference))!.State.SurveyOpenUntil!.Value;

        // Past the survey's closing time in real time, and the host's clock caught up with it (never ahead).
        await LifecycleDriver.PastAsync(openUntil + TimeSpan.FromSeconds(1));
        shortClocks.Clock.SetUtcNow(DateTimeOffset.UtcNow);

        var expired = await client.GetAsync(link);
        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
        Assert.Equal(await NeutralPageAsync(), await expired.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync(link, SurveyMail.Answers(page, ("trustedWorker", "yes")))).StatusCode);
        Assert.DoesNotContain(await driver.TimelineAsync(reference, StaffActor.Manager), s => s.Type == "SurveyAnswered");
    }

    [Fact]
    public async Task APostFromAnotherSiteWithoutTheFormTokenIsRefusedAndDoesNotUseTheLink()
    {
        var driver = new LifecycleDriver(factory);
        var reference = await driver.CloseAfterSupportAsync();
        var link = await SurveyMail.SingleAsync(factory, reference, "survey");
        var client = factory.CreateClient();

        var forged = await client.PostAsync(link, new FormUrlEncodedContent([new("trustedWorker", "no")]));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(link)).StatusCode);
        Assert.DoesNotContain(await driver.TimelineAsync(reference, StaffActor.Manager), s => s.Type == "SurveyAnswered");
    }

    [Fact]
    public async Task AnAnswerOutsideTheChoicesIsShownAgainFieldByFieldAndNothingIsStored()
    {
        var driver = new LifecycleDriver(factory);
        var reference = await driver.CloseAfterSupportAsync();
        var link = await SurveyMail.SingleAsync(factory, reference, "survey");
        var client = factory.CreateClient();
        var page = await client.GetStringAsync(link);

        var invalid = await client.PostAsync(link, SurveyMail.Answers(page, ("feltSafe", "maybe"), ("ideas", new string('x', 2001))));

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var html = await invalid.Content.ReadAsStringAsync();
        Assert.Contains("href=\"#feltSafe\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"#ideas\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(await driver.TimelineAsync(reference, StaffActor.Manager), s => s.Type == "SurveyAnswered");
    }

    [Fact]
    public async Task WithoutASafeChannelOnlyTheReferrerIsAskedAndTheirFeedbackIsStored()
    {
        var driver = new LifecycleDriver(factory);
        var reference = await driver.CloseAfterSupportAsync(safeEmail: null);

        Assert.Empty(await SurveyMail.LinksAsync(factory, reference, "survey"));
        var link = await SurveyMail.SingleAsync(factory, reference, "feedback");
        var client = factory.CreateClient();
        var page = await client.GetStringAsync(link);
        Assert.Contains("Would you recommend the service to colleagues?", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(link.Replace("/feedback/", "/survey/", StringComparison.Ordinal))).StatusCode);

        var sent = await client.PostAsync(link, SurveyMail.Answers(page, ("wouldRecommend", "yes"), ("improvedCapacity", "yes"), ("improvedUnderstanding", "not-sure"), ("improvedResponse", "no")));

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Single(await driver.TimelineAsync(reference, StaffActor.Manager), s => s.Type == "PartnerFeedbackGiven");
        Assert.Equal("no", (await SurveyMail.StoredAnswersAsync(driver, reference, "PartnerFeedbackGiven")).GetProperty("improvedResponse").GetString());
    }

    [Fact]
    public async Task AnUnansweredSurveyIsRemindedAfterSevenDaysWithALinkOfItsOwn()
    {
        var driver = new LifecycleDriver(shortClocks);
        var reference = await driver.CloseAfterSupportAsync();
        var reminderDue = (await driver.ViewAsync(reference)).Timers[nameof(TimerKind.SurveyReminder)];

        await driver.NotifiedAsync(reference, NotificationKind.SurveyReminder);
        Assert.True(DateTimeOffset.UtcNow >= reminderDue, $"the reminder came before {reminderDue:O}");

        // The reminder is recorded before its email is handed over: wait for the email.
        IReadOnlyList<string> links = [];
        await LifecycleDriver.EventuallyAsync(async () => (links = await SurveyMail.LinksAsync(shortClocks, reference, "survey")).Count == 2, $"the survey reminder's email about {reference}");
        var client = shortClocks.CreateClient();
        var page = await client.GetStringAsync(links[1]);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(links[1], SurveyMail.Answers(page, ("trustedWorker", "yes")))).StatusCode);
        // The first link's survey is now answered too: the referral takes one set of answers.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(links[0])).StatusCode);
    }

    [Fact]
    public async Task TheSafeChannelIsCheckedFieldByFieldAndARefusedOneStoresNothing()
    {
        var driver = new LifecycleDriver(factory);
        var reference = await driver.SubmitAsync(driver.Form());
        var accepted = await driver.AcceptAsync(reference);
        var holder = StaffActor.Practitioner(accepted.PractitionerId!);

        var invalid = await driver.PutContactChannelAsync(reference, holder, new System.Text.Json.Nodes.JsonObject { ["channel"] = "email", ["address"] = "not an address" });
        var problem = await LifecycleDriver.ProblemAsync(invalid, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("address", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("markedSafe", out _));

        var other = await driver.PutContactChannelAsync(reference, StaffActor.Practitioner("practitioner-york"), new System.Text.Json.Nodes.JsonObject { ["channel"] = "email", ["address"] = "a@example.org", ["markedSafe"] = true });
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Null(await factory.Services.GetRequiredService<Infrastructure.Referrals.ContactChannels>().GetAsync(reference));
    }

    private async Task<string> NeutralPageAsync() => await (await factory.CreateClient().GetAsync(UnknownToken)).Content.ReadAsStringAsync();

    /// <summary>
    /// The app with the survey reminded after two seconds and closing after fifteen: long enough
    /// for the reminder's link to be used on a loaded machine before the survey closes.
    /// </summary>
    public sealed class ShortSurveyClocks : HandInHandFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Lifecycle:SurveyReminderAfter", "PT2S");
            builder.UseSetting("Lifecycle:SurveyExpiresAfter", "PT15S");
        }
    }
}
