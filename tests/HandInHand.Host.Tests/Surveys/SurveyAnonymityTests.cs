using System.Net;
using System.Text.Json;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Support;

namespace HandInHand.Host.Tests.Surveys;

/// <summary>
/// The survey email promises the young person that their answers are anonymous to anyone else: staff
/// see that a survey was answered and when, and the answers only as suppressed aggregates. The
/// partner's feedback is treated the same way, so that a referrer can be candid about the worker.
/// </summary>
public sealed class SurveyAnonymityTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private const string Idea = "Qzvidea meet somewhere other than school";

    [Fact]
    public async Task TheTimelineOfAnAnsweredSurveyCarriesNoneOfTheAnswersOrTheIdeas()
    {
        var driver = new LifecycleDriver(factory);
        var reference = await driver.CloseAfterSupportAsync();
        var holder = StaffActor.Practitioner((await driver.ViewAsync(reference)).PractitionerId!);
        var link = await SurveyMail.SingleAsync(factory, reference, "survey");
        var client = factory.CreateClient();
        var page = await client.GetStringAsync(link);
        var answered = await client.PostAsync(link, SurveyMail.Answers(page, ("trustedWorker", "no"), ("feltListenedTo", "not-sure"), ("feltSafe", "no"), ("wouldRecommend", "no"), ("ideas", Idea)));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);

        foreach (var actor in new[] { holder, StaffActor.Manager })
        {
            var timeline = await driver.GetAsync($"/api/referrals/{reference}/timeline", actor);
            Assert.Equal(HttpStatusCode.OK, timeline.StatusCode);
            var text = await timeline.Content.ReadAsStringAsync();
            Assert.DoesNotContain("Qzvidea", text, StringComparison.OrdinalIgnoreCase);

            var step = Assert.Single(JsonSerializer.Deserialize<List<Step>>(text, JsonSerializerOptions.Web)!, s => s.Type == "SurveyAnswered");
            Assert.True(step.At > DateTimeOffset.MinValue, "the timeline says when the survey was answered");
            var details = step.Details.GetRawText();
            Assert.DoesNotContain("answers", details, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("NotSure", details, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("\"No\"", details, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("trustedWorker", details, StringComparison.OrdinalIgnoreCase);

            var view = await (await driver.GetAsync($"/api/referrals/{reference}", actor)).Content.ReadAsStringAsync();
            Assert.DoesNotContain("Qzvidea", view, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("trustedWorker", view, StringComparison.OrdinalIgnoreCase);
        }

        // The young person's own subject access export still holds everything they said.
        var export = await (await driver.GetAsync($"/api/referrals/{reference}/subject-access-export", StaffActor.Manager)).Content.ReadAsStringAsync();
        Assert.Contains(Idea, export, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTimelineOfGivenPartnerFeedbackCarriesNoneOfItsAnswers()
    {
        var driver = new LifecycleDriver(factory);
        var reference = await driver.CloseAfterSupportAsync(safeEmail: null);
        var link = await SurveyMail.SingleAsync(factory, reference, "feedback");
        var client = factory.CreateClient();
        var page = await client.GetStringAsync(link);
        var sent = await client.PostAsync(link, SurveyMail.Answers(page, ("wouldRecommend", "no"), ("improvedCapacity", "not-sure"), ("improvedUnderstanding", "no"), ("improvedResponse", "no")));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);

        var step = Assert.Single(await driver.TimelineAsync(reference, StaffActor.Manager), s => s.Type == "PartnerFeedbackGiven");
        var details = step.Details.GetRawText();
        Assert.DoesNotContain("answers", details, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("improved", details, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheManagersExactReportsStillSuppressSmallCountsOfSurveyAnswers()
    {
        var driver = new LifecycleDriver(factory);
        var reference = await driver.CloseAfterSupportAsync();
        var link = await SurveyMail.SingleAsync(factory, reference, "survey");
        var client = factory.CreateClient();
        var page = await client.GetStringAsync(link);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(link, SurveyMail.Answers(page, ("trustedWorker", "no")))).StatusCode);

        string Day(int offset) => driver.Now.AddDays(offset).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var reports = await driver.GetOkAsync<JsonElement>($"/api/reports?from={Day(-1)}&to={Day(1)}&service=all", StaffActor.Manager);

        // The manager sees other figures exactly; the answers never below the threshold.
        Assert.Null(reports.GetProperty("suppressionThreshold").GetString());
        var trusted = reports.GetProperty("survey").EnumerateArray().Single(b => b.GetProperty("id").GetString() == "survey-trusted-worker");
        var no = trusted.GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("code").GetString() == "no");
        Assert.Equal("Suppressed", no.GetProperty("count").GetProperty("state").GetString());
        Assert.StartsWith("<", no.GetProperty("count").GetProperty("display").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, trusted.GetProperty("total").GetProperty("value").ValueKind);
    }
}
