using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HandInHand.Host.Referrals;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Referrals;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Referrals;

public sealed class ReferralApiTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private ReferralStore Store => factory.Services.GetRequiredService<ReferralStore>();

    private static HttpRequestMessage Post(JsonNode body, string? key = null) => PostRaw(body.ToJsonString(), "application/json", key ?? Guid.NewGuid().ToString());

    private static HttpRequestMessage PostRaw(string body, string contentType, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Content = new StringContent(body, Encoding.UTF8, contentType) };
        if (key is not null)
        {
            request.Headers.Add(ReferralApi.IdempotencyKeyHeader, key);
        }

        return request;
    }

    private async Task<int> StoredCountAsync() => await Store.CountAsync("HH-");

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }

    [Fact]
    public async Task AValidReferralIsStoredWithAReferenceAStatusUrlAndItsFirstContactDeadline()
    {
        var response = await _client.SendAsync(Post(Submissions.Valid()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<ReferralReceipt>();
        Assert.NotNull(receipt);
        Assert.Matches(@"^HH-2026-\d{5}$", receipt.Reference);
        Assert.Equal($"/api/referrals/{receipt.Reference}/status", response.Headers.Location?.OriginalString);
        Assert.Equal(receipt.StatusUrl, response.Headers.Location?.OriginalString);
        Assert.Equal("Received", receipt.Status);
        Assert.Matches(@"^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$", receipt.AccessCode);

        var stored = await Store.GetAsync(receipt.Reference);
        Assert.NotNull(stored);
        Assert.Equal(factory.Clock.GetUtcNow(), stored.ReceivedAt);
        Assert.Equal(stored.ReceivedAt.AddHours(24), stored.FirstContactDueAt);
        Assert.Equal("Alex", stored.Form.YoungPerson.FirstName);
        Assert.NotEqual(receipt.AccessCode, stored.AccessCodeHash);
        Assert.DoesNotContain(receipt.AccessCode!.Replace("-", string.Empty, StringComparison.Ordinal), stored.AccessCodeHash, StringComparison.OrdinalIgnoreCase);
    }

    public static TheoryData<string, JsonNode?, string> RejectedFields => new()
    {
        { "youngPerson.dateOfBirth", JsonValue.Create("2019-01-01"), "youngPerson.dateOfBirth" },  // 7 years old
        { "youngPerson.dateOfBirth", JsonValue.Create("2003-01-01"), "youngPerson.dateOfBirth" },  // 23 years old
        { "youngPerson.dateOfBirth", JsonValue.Create("2027-01-01"), "youngPerson.dateOfBirth" },  // in the future
        { "concerns", new JsonArray("cse", "unknown-category"), "concerns" },
        { "youngPerson.firstName", JsonValue.Create(new string('a', 101)), "youngPerson.firstName" },
        { "referrer.email", null, "referrer.email" },  // with the phone removed too, below
        { "riskLevel", JsonValue.Create("critical"), "riskLevel" },
        { "youngPerson.region", JsonValue.Create("Atlantis"), "youngPerson.region" },
    };

    [Theory]
    [MemberData(nameof(RejectedFields))]
    public async Task AnInvalidFieldGetsAFieldLevelProblemAndNothingIsStored(string path, JsonNode? value, string field)
    {
        var body = Submissions.Valid().With(path, value);
        if (path == "referrer.email")
        {
            body = body.With("referrer.phone", null);
        }

        var before = await StoredCountAsync();

        var problem = await ProblemAsync(await _client.SendAsync(Post(body)), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.Equal(field, Assert.Single(errors.EnumerateObject()).Name);
        Assert.False(string.IsNullOrWhiteSpace(errors.GetProperty(field)[0].GetString()));
        Assert.Equal(before, await StoredCountAsync());
    }

    [Theory]
    [InlineData("{\"youngPerson\": {\"firstName\": ", "body")]
    [InlineData("[1, 2, 3]", "body")]
    [InlineData("{\"youngPersonKnowsAboutReferral\": \"perhaps\"}", "youngPersonKnowsAboutReferral")]
    [InlineData("{\"youngPerson\": {\"dateOfBirth\": 20110514}}", "youngPerson.dateOfBirth")]
    [InlineData("{\"status\": \"Allocated\"}", "status")]
    public async Task MalformedJsonGetsABadRequestProblemNeverAServerError(string body, string field)
    {
        var before = await StoredCountAsync();

        var problem = await ProblemAsync(await _client.SendAsync(PostRaw(body, "application/json", Guid.NewGuid().ToString())), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await StoredCountAsync());
    }

    [Fact]
    public async Task AnEmptyJsonBodyGetsABadRequestProblem()
    {
        await ProblemAsync(await _client.SendAsync(PostRaw("null", "application/json", Guid.NewGuid().ToString())), HttpStatusCode.BadRequest);
        await ProblemAsync(await _client.SendAsync(PostRaw(string.Empty, "application/json", Guid.NewGuid().ToString())), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AnOversizedBodyGetsPayloadTooLargeAndNothingIsStored()
    {
        var body = Submissions.Valid().With("otherAgencies", JsonValue.Create(new string('x', 70_000)));
        var before = await StoredCountAsync();

        await ProblemAsync(await _client.SendAsync(Post(body)), HttpStatusCode.RequestEntityTooLarge);

        // Without a declared length too: the body is streamed and cut off at the limit.
        var streamed = new HttpRequestMessage(HttpMethod.Post, "/api/referrals")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body.ToJsonString()))),
        };
        streamed.Content.Headers.ContentType = new("application/json");
        streamed.Headers.Add(ReferralApi.IdempotencyKeyHeader, Guid.NewGuid().ToString());
        streamed.Headers.TransferEncodingChunked = true;
        await ProblemAsync(await _client.SendAsync(streamed), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await StoredCountAsync());
    }

    [Fact]
    public async Task ABodyThatIsNotJsonGetsUnsupportedMediaType()
    {
        await ProblemAsync(await _client.SendAsync(PostRaw("name=Alex", "application/x-www-form-urlencoded", Guid.NewGuid().ToString())), HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("short")]
    [InlineData("has spaces in it")]
    public async Task AMissingOrMalformedIdempotencyKeyIsRejected(string? key)
    {
        var request = Post(Submissions.Valid());
        request.Headers.Remove(ReferralApi.IdempotencyKeyHeader);
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(ReferralApi.IdempotencyKeyHeader, key);
        }

        var problem = await ProblemAsync(await _client.SendAsync(request), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(ReferralApi.IdempotencyKeyHeader, out _));
    }

    [Fact]
    public async Task TheSameKeyTwiceReturnsTheFirstReferralAndStoresOne()
    {
        var key = Guid.NewGuid().ToString();
        var first = await _client.SendAsync(Post(Submissions.Valid(), key));
        var before = await StoredCountAsync();

        var second = await _client.SendAsync(Post(Submissions.Valid(), key));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var a = await first.Content.ReadFromJsonAsync<ReferralReceipt>();
        var b = await second.Content.ReadFromJsonAsync<ReferralReceipt>();
        Assert.Equal(a, b);
        Assert.Equal(before, await StoredCountAsync());
    }

    [Fact]
    public async Task TheSameKeyWithDifferentContentIsAConflictAndStoresNothing()
    {
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await _client.SendAsync(Post(Submissions.Valid(), key))).StatusCode);
        var before = await StoredCountAsync();

        await ProblemAsync(await _client.SendAsync(Post(Submissions.Valid(firstName: "Jordan"), key)), HttpStatusCode.Conflict);

        Assert.Equal(before, await StoredCountAsync());
    }

    [Fact]
    public async Task FiftyConcurrentSubmissionsGetFiftyDistinctReferencesAndAreAllStored()
    {
        var before = await StoredCountAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => _client.SendAsync(Post(Submissions.Valid(firstName: $"Young{i}")))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var references = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<ReferralReceipt>())!.Reference));
        Assert.Equal(50, references.Distinct().Count());
        Assert.Equal(before + 50, await StoredCountAsync());
        foreach (var reference in references)
        {
            Assert.NotNull(await Store.GetAsync(reference));
        }
    }

    [Fact]
    public async Task ConcurrentRetriesWithOneKeyStoreOneReferral()
    {
        var key = Guid.NewGuid().ToString();
        var before = await StoredCountAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _client.SendAsync(Post(Submissions.Valid(), key))));

        var references = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<ReferralReceipt>())!.Reference));
        Assert.Single(references.Distinct());
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(before + 1, await StoredCountAsync());
    }

    [Fact]
    public async Task ARetryAfterACrashBetweenClaimingTheKeyAndStoringCompletesTheReferral()
    {
        // The first attempt claimed its key and then died before storing the referral.
        var key = Guid.NewGuid().ToString();
        var form = HandInHand.Domain.Referrals.ReferralValidator.Validate(
            JsonSerializer.Deserialize<HandInHand.Domain.Referrals.ReferralSubmission>(Submissions.Valid().ToJsonString(), ReferralApi.SubmissionJson)!,
            DateOnly.FromDateTime(HandInHandFactory.Start.UtcDateTime),
            new HandInHand.Domain.Referrals.IntakePolicy()).Form!;
        var keyHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var claimedAt = factory.Clock.GetUtcNow().AddMinutes(-1);
        Assert.True(await Store.TryClaimIntakeKeyAsync(new IntakeKeyRecord(keyHash, "HH-2026-90001", ReferralFormJson.Fingerprint(form), claimedAt)));

        var response = await _client.SendAsync(Post(Submissions.Valid(), key));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<ReferralReceipt>();
        Assert.Equal("HH-2026-90001", receipt!.Reference);
        Assert.NotNull(receipt.AccessCode);
        var stored = await Store.GetAsync("HH-2026-90001");
        Assert.Equal(claimedAt, stored!.ReceivedAt);
        Assert.Equal(claimedAt.AddHours(24), stored.FirstContactDueAt);
    }

    [Fact]
    public async Task TheReferrerReadsTheStatusWithTheAccessCodeAndNobodyElseCan()
    {
        var receipt = await (await _client.SendAsync(Post(Submissions.Valid()))).Content.ReadFromJsonAsync<ReferralReceipt>();

        async Task<HttpResponseMessage> GetStatus(string reference, string? code)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/referrals/{reference}/status");
            if (code is not null)
            {
                request.Headers.Add(ReferralApi.AccessCodeHeader, code);
            }

            return await _client.SendAsync(request);
        }

        var ok = await GetStatus(receipt!.Reference, receipt.AccessCode!.ToLowerInvariant());
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var text = await ok.Content.ReadAsStringAsync();
        var status = JsonSerializer.Deserialize<ReferralStatusView>(text, JsonSerializerOptions.Web);
        Assert.Equal(new ReferralStatusView(receipt.Reference, "Received", receipt.ReceivedAt), status);
        Assert.DoesNotContain("Alex", text, StringComparison.Ordinal);

        await ProblemAsync(await GetStatus(receipt.Reference, null), HttpStatusCode.NotFound);
        await ProblemAsync(await GetStatus(receipt.Reference, "0000-0000-0000-0000-0000"), HttpStatusCode.NotFound);
        await ProblemAsync(await GetStatus("HH-2026-99999", receipt.AccessCode), HttpStatusCode.NotFound);
        await ProblemAsync(await GetStatus("not-a-reference", receipt.AccessCode), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task NoPersonalDataReachesTheLogs()
    {
        const string marker = "Zxqmarker";
        var body = Submissions.Valid(firstName: marker + "First", lastName: marker + "Last")
            .With("youngPerson.safeContact", JsonValue.Create(marker + " contact"))
            .With("concernDetails", JsonValue.Create(marker + " details"))
            .With("referrer.name", JsonValue.Create(marker + " Referrer"))
            .With("referrer.email", JsonValue.Create("zxqmarker@example.org"));

        var created = await _client.SendAsync(Post(body));
        await _client.SendAsync(Post(body.With("youngPerson.dateOfBirth", JsonValue.Create(marker)))); // rejected
        await _client.SendAsync(PostRaw("{\"youngPerson\":{\"firstName\":\"" + marker + "\"", "application/json", Guid.NewGuid().ToString()));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.NotEmpty(factory.Logs.Lines);
        Assert.Contains(factory.Logs.Lines, l => l.Contains("received", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains(marker, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task TheHealthEndpointReportsHealthyWhenStorageAnswers()
    {
        var response = await _client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheOpenApiDescriptionListsTheReferralApi()
    {
        var doc = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = doc.GetProperty("paths");
        Assert.True(paths.GetProperty("/api/referrals").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/referrals/{reference}/status").TryGetProperty("get", out _));
    }
}
