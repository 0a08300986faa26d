using System.Net;
using System.Text;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Security;

/// <summary>
/// Deny by default, checked two ways: every mapped endpoint names its policy (or allows anonymous
/// access on purpose), and every route answers each kind of caller as the matrix says.
/// </summary>
public sealed class AccessMatrixTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private static readonly string[] Callers = ["holder", "other-practitioner", "manager", "analyst", "referrer", "anonymous"];

    /// <summary>Route → request body (JSON or null) → expected status per caller, in <see cref="Callers"/> order.</summary>
    private static readonly (string Method, string Route, string? Body, int[] Expected)[] Matrix =
    [
        ("GET", "/", null, [302, 302, 302, 302, 302, 302]),
        ("GET", "/health", null, [200, 200, 200, 200, 200, 200]),
        ("GET", "/openapi/{documentName}.json", null, [200, 200, 200, 200, 200, 200]),
        ("GET", "/assets/site.css", null, [200, 200, 200, 200, 200, 200]),
        ("GET", "/favicon.ico", null, [204, 204, 204, 204, 204, 204]),
        ("GET", "/dev/notifications", null, [200, 200, 200, 200, 200, 200]),
        ("GET", "/dev/mailbox", null, [200, 200, 200, 200, 200, 200]),
        ("GET", "/dev/mailbox/{messageId}", null, [404, 404, 404, 404, 404, 404]),
        ("GET", "/dev/sign-in", null, [200, 200, 200, 200, 200, 200]),
        ("POST", "/dev/sign-in", null, [400, 400, 400, 400, 400, 400]),
        ("POST", "/dev/sign-out", null, [400, 400, 400, 400, 400, 400]),
        ("GET", "/referrals/new", null, [200, 200, 200, 200, 200, 200]),
        ("POST", "/referrals/new", null, [400, 400, 400, 400, 400, 400]),
        ("GET", "/referrals/status", null, [200, 200, 200, 200, 200, 200]),
        ("POST", "/referrals/status", null, [400, 400, 400, 400, 400, 400]),
        ("POST", "/api/referrals", "{}", [400, 400, 400, 400, 400, 400]),
        ("GET", "/api/referrals/{reference}/status", null, [404, 404, 404, 404, 404, 404]),
        ("GET", "/api/referrals/{reference}", null, [200, 404, 200, 403, 403, 401]),
        ("GET", "/api/referrals/{reference}/timeline", null, [200, 404, 200, 403, 403, 401]),
        // Commands that do not fit an allocated case: who reaches the decider gets its 409.
        ("POST", "/api/referrals/{reference}/accept", "{}", [409, 404, 409, 403, 409, 401]),
        ("POST", "/api/referrals/{reference}/decline", "{\"reason\":\"x\",\"category\":\"criteria\"}", [409, 404, 409, 403, 409, 401]),
        ("POST", "/api/referrals/{reference}/request-information", "{}", [409, 404, 409, 403, 409, 401]),
        ("POST", "/api/referrals/{reference}/receive-information", "{}", [409, 404, 409, 403, 409, 401]),
        ("POST", "/api/referrals/{reference}/confirm-still-needed", "{}", [409, 404, 409, 403, 409, 401]),
        ("POST", "/api/referrals/{reference}/allocate", "{}", [400, 404, 400, 403, 400, 401]),
        ("POST", "/api/referrals/{reference}/first-contact", "{}", [400, 404, 400, 403, 400, 401]),
        ("POST", "/api/referrals/{reference}/reviews", "{}", [400, 404, 400, 403, 400, 401]),
        ("POST", "/api/referrals/{reference}/close", "{}", [400, 404, 400, 403, 400, 401]),
        ("POST", "/api/referrals/{reference}/withdraw", "{}", [400, 404, 400, 403, 400, 401]),
        ("POST", "/api/referrals/{reference}/reopen", "{}", [409, 404, 409, 403, 409, 401]),
        ("GET", "/api/staff/triage-queue", null, [403, 403, 200, 403, 403, 401]),
        ("GET", "/api/staff/due", null, [403, 403, 200, 403, 403, 401]),
        ("GET", "/api/staff/waiting-list", null, [403, 403, 200, 403, 403, 401]),
        ("GET", "/api/staff/caseloads", null, [403, 403, 200, 403, 403, 401]),
        ("GET", "/api/staff/practitioners", null, [403, 403, 200, 403, 403, 401]),
        ("PUT", "/api/staff/practitioners/{id}", "{}", [403, 403, 400, 403, 403, 401]),
        ("GET", "/api/staff/notifications", null, [403, 403, 200, 403, 403, 401]),
        ("POST", "/api/dispatcher/tick", null, [403, 403, 403, 403, 403, 401]),
        ("POST", "/api/digests/run", null, [403, 403, 403, 403, 403, 401]),
        ("GET", "/api/referrals/{reference}/audit", null, [403, 403, 200, 403, 403, 401]),
        ("POST", "/api/audit/verify", null, [403, 403, 403, 403, 403, 401]),
        ("GET", "/api/referrals/{reference}/subject-access-export", null, [403, 403, 200, 403, 403, 401]),
        ("GET", "/api/staff/emails", null, [403, 403, 200, 403, 403, 401]),
        ("POST", "/api/staff/emails/{reference}/{messageId}/retry", null, [403, 403, 404, 403, 403, 401]),
        ("PUT", "/api/referrals/{reference}/contact-channel", "{}", [400, 404, 400, 403, 400, 401]),
        ("POST", "/api/referrals/{reference}/survey-opt-out", "{}", [200, 404, 200, 403, 403, 401]),
        ("POST", "/api/referrals/{reference}/legal-hold", "{\"reason\":\"x\"}", [403, 404, 200, 403, 403, 401]),
        ("POST", "/api/referrals/{reference}/legal-hold/release", "{}", [403, 404, 200, 403, 403, 401]),
        ("POST", "/api/referrals/{reference}/erase", "{}", [403, 404, 409, 403, 403, 401]),
        ("GET", "/api/staff/retention-reviews", null, [403, 403, 200, 403, 403, 401]),
        ("POST", "/api/retention/run", null, [403, 403, 403, 403, 403, 401]),
        // Survey links: public; an unknown token is the neutral 404 for everyone.
        ("GET", "/survey/{token}", null, [404, 404, 404, 404, 404, 404]),
        ("HEAD", "/survey/{token}", null, [404, 404, 404, 404, 404, 404]),
        ("POST", "/survey/{token}", null, [404, 404, 404, 404, 404, 404]),
        ("GET", "/feedback/{token}", null, [404, 404, 404, 404, 404, 404]),
        ("HEAD", "/feedback/{token}", null, [404, 404, 404, 404, 404, 404]),
        ("POST", "/feedback/{token}", null, [404, 404, 404, 404, 404, 404]),
        ("GET", "/api/staff/dead-letters", null, [403, 403, 200, 403, 403, 401]),
        // The Functions host's invocation handlers: nobody reaches them outside the custom handler's loopback port.
        ("POST", "/DispatcherTick", "{}", [403, 403, 403, 403, 403, 401]),
        ("POST", "/DigestRun", "{}", [403, 403, 403, 403, 403, 401]),
        ("POST", "/RetentionRun", "{}", [403, 403, 403, 403, 403, 401]),
        ("POST", "/SendNotificationEmail", "{}", [403, 403, 403, 403, 403, 401]),
        ("POST", "/RecordDeadLetter", "{}", [403, 403, 403, 403, 403, 401]),
        ("GET", "/api/reports", null, [403, 403, 200, 200, 403, 401]),
        ("GET", "/api/reports/export.csv", null, [403, 403, 200, 200, 403, 401]),
        ("GET", "/reports", null, [403, 403, 200, 200, 403, 401]),
        ("GET", "/staff/dashboard", null, [403, 403, 200, 403, 403, 401]),
    ];

    [Fact]
    public void EveryEndpointNamesAPolicyOrAllowsAnonymousAccessOnPurpose()
    {
        var unguarded = Endpoints()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy is not null || a.Roles is not null))
            .Select(e => e.RoutePattern.RawText)
            .ToList();

        Assert.True(unguarded.Count == 0, "endpoints without an explicit policy: " + string.Join(", ", unguarded));
    }

    [Fact]
    public void EveryRouteIsInTheAccessMatrix()
    {
        var mapped = Endpoints()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m} {Normalise(e.RoutePattern.RawText)}"))
            .ToHashSet();
        var covered = Matrix.Select(m => $"{m.Method} {Normalise(m.Route)}").ToHashSet();

        Assert.Empty(mapped.Except(covered));
    }

    [Fact]
    public async Task EveryRouteAnswersEachKindOfCallerAsTheMatrixSays()
    {
        var driver = new LifecycleDriver(factory);
        var reference = await driver.SubmitAsync(driver.Form());
        await driver.AcceptAsync(reference);
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var failures = new List<string>();

        foreach (var (method, route, body, expected) in Matrix)
        {
            for (var i = 0; i < Callers.Length; i++)
            {
                var path = route.Replace("{reference}", reference, StringComparison.Ordinal).Replace("{id}", "practitioner-selby", StringComparison.Ordinal).Replace("{documentName}", "v1", StringComparison.Ordinal).Replace("{messageId}", "no-such-message", StringComparison.Ordinal).Replace("{token}", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", StringComparison.Ordinal);
                var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                    request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                }

                var (id, role) = Callers[i] switch
                {
                    "holder" => (LifecycleDriver.SelbyPractitioner, "practitioner"),
                    "other-practitioner" => ("practitioner-york", "practitioner"),
                    "manager" => ("manager-1", "manager"),
                    "analyst" => ("analyst-1", "analyst"),
                    "referrer" => ("referrer-1", "referrer"),
                    _ => (null, null),
                };
                if (id is not null)
                {
                    request.Headers.Add("X-Actor-Id", id);
                    request.Headers.Add("X-Actor-Role", role);
                }

                var status = (int)(await client.SendAsync(request)).StatusCode;
                if (status != expected[i])
                {
                    failures.Add($"{method} {route} as {Callers[i]}: expected {expected[i]}, got {status}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private IEnumerable<RouteEndpoint> Endpoints() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();

    private static string Normalise(string? route) => "/" + (route ?? string.Empty).Trim('/');
}
