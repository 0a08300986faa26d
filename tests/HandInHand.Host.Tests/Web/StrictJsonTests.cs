using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Referrals;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Web;

/// <summary>
/// Every JSON body the app reads is read strictly: a key given twice is refused against that key,
/// never settled by "last one wins"; a UTF-8 byte-order mark is not content; names that would
/// read differently from how they are stored are refused against their field.
/// </summary>
public sealed class StrictJsonTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private static readonly byte[] ByteOrderMark = [0xEF, 0xBB, 0xBF];

    private static readonly string[] Selby = ["Selby"];

    private readonly LifecycleDriver _hh = new(factory);

    private static string Form() => Submissions.Valid().ToJsonString();

    private async Task<HttpResponseMessage> SubmitAsync(byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await _hh.Client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> SendAsStaffAsync(HttpMethod method, string path, byte[] body, StaffActor actor)
    {
        var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Actor-Id", actor.Id);
        request.Headers.Add("X-Actor-Role", actor.Role);
        return await _hh.Client.SendAsync(request);
    }

    private static async Task<string[]> ErrorFieldsAsync(HttpResponseMessage response)
    {
        var problem = await LifecycleDriver.ProblemAsync(response, HttpStatusCode.BadRequest);
        return [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name)];
    }

    [Fact]
    public async Task AReferralWithAKeyGivenTwiceIsRefusedNamingTheKeyAndNothingIsStored()
    {
        var store = factory.Services.GetRequiredService<ReferralStore>();
        var before = await store.CountAsync("HH-");
        var body = Form().Replace("\"firstName\":\"Alex\"", "\"firstName\":\"Alex\",\"firstName\":\"Alice\"", StringComparison.Ordinal);

        var fields = await ErrorFieldsAsync(await SubmitAsync(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(["youngPerson.firstName"], fields);
        Assert.Equal(before, await store.CountAsync("HH-"));
    }

    [Fact]
    public async Task AKeyGivenTwiceInAnotherCaseIsTheSameKey()
    {
        var body = Form().Replace("\"riskLevel\":\"high\"", "\"riskLevel\":\"high\",\"RiskLevel\":\"standard\"", StringComparison.Ordinal);

        var fields = await ErrorFieldsAsync(await SubmitAsync(Encoding.UTF8.GetBytes(body)));

        // Named as the caller spelled it the second time.
        Assert.Equal("riskLevel", Assert.Single(fields), ignoreCase: true);
    }

    [Fact]
    public async Task AReferralWithAUtf8ByteOrderMarkIsAccepted()
    {
        var response = await SubmitAsync([.. ByteOrderMark, .. Encoding.UTF8.GetBytes(Form())]);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task AReferralWhoseNameCarriesARightToLeftOverrideIsRefusedAgainstTheName()
    {
        var body = Submissions.Valid().With("referrer.name", JsonValue.Create("Sam \u202EWorker")).ToJsonString();

        var fields = await ErrorFieldsAsync(await SubmitAsync(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(["referrer.name"], fields);
    }

    [Fact]
    public async Task AReferralInArabicOrHebrewIsAccepted()
    {
        var body = Submissions.Valid("مريم", "שרה").ToJsonString();

        var response = await SubmitAsync(Encoding.UTF8.GetBytes(body));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task ACommandWithAKeyGivenTwiceIsRefusedNamingTheKeyAndChangesNothing()
    {
        var reference = await _hh.SubmitAsync();
        var body = "{\"reason\":\"Outside the criteria\",\"category\":\"criteria\",\"category\":\"capacity\"}";

        var fields = await ErrorFieldsAsync(await SendAsStaffAsync(HttpMethod.Post, $"/api/referrals/{reference}/decline", Encoding.UTF8.GetBytes(body), StaffActor.Manager));

        Assert.Equal(["category"], fields);
        Assert.Equal("AwaitingTriage", (await _hh.ViewAsync(reference, StaffActor.Manager)).Stage);
    }

    [Fact]
    public async Task ADictionaryKeyGivenTwiceIsRefusedNamingTheKey()
    {
        var reference = await _hh.SubmitAsync();
        var holder = StaffActor.Practitioner((await _hh.ActivateAsync(reference)).PractitionerId!);
        var review = LifecycleDriver.Review().ToJsonString().Replace("\"safety\":6", "\"safety\":6,\"safety\":9", StringComparison.Ordinal);
        Assert.Contains("\"safety\":9", review, StringComparison.Ordinal);

        var fields = await ErrorFieldsAsync(await SendAsStaffAsync(HttpMethod.Post, $"/api/referrals/{reference}/reviews", Encoding.UTF8.GetBytes(review), holder));

        Assert.Equal(["myWheel.safety"], fields);
    }

    [Fact]
    public async Task ACommandWithAUtf8ByteOrderMarkIsAccepted()
    {
        var reference = await _hh.SubmitAsync();
        var body = Encoding.UTF8.GetBytes("{\"reason\":\"Outside the criteria\",\"category\":\"criteria\"}");

        var response = await SendAsStaffAsync(HttpMethod.Post, $"/api/referrals/{reference}/decline", [.. ByteOrderMark, .. body], StaffActor.Manager);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AReferrersWithdrawalWithAUtf8ByteOrderMarkIsAcceptedAndWithAKeyGivenTwiceIsRefusedNamingIt()
    {
        var twice = await _hh.SubmitAsync();
        var doubled = Encoding.UTF8.GetBytes("{\"reason\":\"No longer needed\",\"reason\":\"Moved away\",\"category\":\"no-longer-needed\"}");
        Assert.Equal(["reason"], await ErrorFieldsAsync(await SendAsReferrerAsync(twice, "withdraw", doubled)));

        var reference = await _hh.SubmitAsync();
        var body = Encoding.UTF8.GetBytes("{\"reason\":\"No longer needed\",\"category\":\"no-longer-needed\"}");
        var response = await SendAsReferrerAsync(reference, "withdraw", [.. ByteOrderMark, .. body]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsReferrerAsync(string reference, string action, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/referrals/{reference}/status/{action}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(HandInHand.Host.Referrals.ReferralApi.AccessCodeHeader, _hh.AccessCode(reference));
        return await _hh.Client.SendAsync(request);
    }

    [Fact]
    public async Task APractitionerWithAKeyGivenTwiceIsRefusedNamingTheKey()
    {
        var body = "{\"displayName\":\"Jo Smith\",\"regions\":[\"Selby\"],\"capacity\":3,\"capacity\":90}";

        var fields = await ErrorFieldsAsync(await SendAsStaffAsync(HttpMethod.Put, "/api/staff/practitioners/practitioner-json-twice", Encoding.UTF8.GetBytes(body), StaffActor.Manager));

        Assert.Equal(["capacity"], fields);
    }

    [Fact]
    public async Task APractitionerWithAUtf8ByteOrderMarkIsAccepted()
    {
        var body = Encoding.UTF8.GetBytes("{\"displayName\":\"Jo Smith\",\"regions\":[\"Selby\"],\"capacity\":3}");

        var response = await SendAsStaffAsync(HttpMethod.Put, "/api/staff/practitioners/practitioner-json-bom", [.. ByteOrderMark, .. body], StaffActor.Manager);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task APractitionerWhoseDisplayNameHidesACharacterIsRefusedAgainstIt()
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { displayName = "Jo\u200B Smith", regions = Selby, capacity = 3 });

        var fields = await ErrorFieldsAsync(await SendAsStaffAsync(HttpMethod.Put, "/api/staff/practitioners/practitioner-json-hidden", body, StaffActor.Manager));

        Assert.Equal(["displayName"], fields);
    }
}
