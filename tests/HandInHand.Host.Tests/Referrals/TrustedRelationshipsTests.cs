using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using HandInHand.Host.Referrals;
using HandInHand.Host.Tests.Support;
using HandInHand.Host.Web;

namespace HandInHand.Host.Tests.Referrals;

/// <summary>The Trusted Relationships pathway as a second service in the same deployment.</summary>
public sealed class TrustedRelationshipsTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static JsonObject Referral() => Submissions.Valid().AsTrustedRelationships();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, string actorId, string role)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add(ActorHeaders.IdHeader, actorId);
        request.Headers.Add(ActorHeaders.RoleHeader, role);
        return await _client.SendAsync(request);
    }

    [Fact]
    public async Task APanelTriagesATrustedRelationshipsReferralAndAllocatesItToAStrand()
    {
        var submit = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Content = JsonContent.Create(Referral()) };
        submit.Headers.Add(ReferralApi.IdempotencyKeyHeader, Guid.NewGuid().ToString());
        var created = await _client.SendAsync(submit);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var reference = (await created.Content.ReadFromJsonAsync<ReferralReceipt>())!.Reference;
        Assert.Matches(@"^TR-2026-\d{5}$", reference);

        // The referral's first step follows intake's answer.
        await Lifecycle.LifecycleDriver.ReceivedAsync(_client, reference);

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, $"/api/referrals/{reference}/accept", new { }, "manager-1", "manager")).StatusCode);
        var accepted = await SendAsync(HttpMethod.Post, $"/api/referrals/{reference}/accept", new { }, "panel-1", "panel");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

        // No automatic allocation: the panel chooses, and names the strand.
        var view = await (await SendAsync(HttpMethod.Get, $"/api/referrals/{reference}", null, "panel-1", "panel")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("AwaitingAllocation", view.GetProperty("stage").GetString());
        var noStrand = await SendAsync(HttpMethod.Post, $"/api/referrals/{reference}/allocate", new { practitionerId = "practitioner-selby" }, "panel-1", "panel");
        Assert.Equal(HttpStatusCode.BadRequest, noStrand.StatusCode);
        var allocated = await SendAsync(HttpMethod.Post, $"/api/referrals/{reference}/allocate", new { practitionerId = "practitioner-selby", strand = "subject-to" }, "panel-1", "panel");
        Assert.Equal(HttpStatusCode.OK, allocated.StatusCode);
        var after = await allocated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Allocated", after.GetProperty("stage").GetString());
        Assert.Equal("SubjectTo", after.GetProperty("strand").GetString());
    }

    [Fact]
    public async Task ATrustedRelationshipsReferralFromASchoolIsRefusedAndNothingIsStored()
    {
        var submit = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Content = JsonContent.Create(Referral().With("referrer.type", JsonValue.Create("school"))) };
        submit.Headers.Add(ReferralApi.IdempotencyKeyHeader, Guid.NewGuid().ToString());

        var response = await _client.SendAsync(submit);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("referrer.type", out _));
    }
}
