using System.Text;
using System.Text.Json.Nodes;

namespace HandInHand.Benchmark;

/// <summary>Requests as staff make them to the host in Development: the actor headers it reads there, JSON bodies, an idempotency key per command.</summary>
internal static class StaffRequests
{
    public const string Manager = "manager";
    public const string Practitioner = "practitioner";

    public static HttpRequestMessage Command(string reference, string action, string actorId, string role, JsonNode? body = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"api/referrals/{reference}/{action}", UriKind.Relative))
        {
            Content = new StringContent(body?.ToJsonString() ?? string.Empty, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return As(request, actorId, role);
    }

    public static HttpRequestMessage Get(string path, string actorId, string role) =>
        As(new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative)), actorId, role);

    private static HttpRequestMessage As(HttpRequestMessage request, string actorId, string role)
    {
        request.Headers.Add("X-Actor-Id", actorId);
        request.Headers.Add("X-Actor-Role", role);
        return request;
    }
}
