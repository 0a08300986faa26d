using System.Text;
using HandInHand.Host.Referrals;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Orchestration;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Security;

/// <summary>
/// Deny by default, checked two ways: every mapped endpoint names its policy (or allows anonymous
/// access on purpose), and every mapped route, taken from the app's own endpoint table, answers each
/// kind of caller as the matrix says. A route the matrix does not know fails the test, so a new
/// route cannot be left out.
/// </summary>
public sealed class AccessMatrixTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    /// <summary>The kinds of caller, in the order of each row's expected statuses.</summary>
    private static readonly string[] Callers =
    [
        "holder practitioner", "other practitioner", "manager", "panel member", "analyst",
        "someone claiming the referrer role", "referrer with the right code", "referrer of another referral", "referrer with a wrong code", "anonymous",
    ];

    /// <summary>
    /// "METHOD /route" → request body (JSON or null) → expected status per caller, in <see cref="Callers"/> order.
    /// The case is a Hand in Hand referral allocated to the holder; nobody but its referrer holds its code.
    /// </summary>
    private static readonly Dictionary<string, (string? Body, int[] Expected)> Matrix = new(StringComparer.Ordinal)
    {
        ["GET /"] = (null, Everyone(302)),
        ["GET /health"] = (null, Everyone(200)),
        ["GET /openapi/{documentName}.json"] = (null, Everyone(200)),
        ["GET /assets/site.css"] = (null, Everyone(200)),
        ["GET /favicon.ico"] = (null, Everyone(204)),
        ["GET /dev/notifications"] = (null, Everyone(200)),
        ["GET /dev/mailbox"] = (null, Everyone(200)),
        ["GET /dev/mailbox/{messageId}"] = (null, Everyone(404)),
        ["GET /dev/sign-in"] = (null, Everyone(200)),
        ["POST /dev/sign-in"] = (null, Everyone(400)),
        ["POST /dev/sign-out"] = (null, Everyone(400)),
        // Signing out: anonymous on purpose; a post without the form's antiforgery token is refused.
        ["GET /account/sign-out"] = (null, Everyone(200)),
        ["POST /account/sign-out"] = (null, Everyone(400)),
        ["GET /account/signed-out"] = (null, Everyone(200)),
        ["GET /referrals/new"] = (null, Everyone(200)),
        ["POST /referrals/new"] = (null, Everyone(400)),
        ["GET /referrals/new/trusted-relationships"] = (null, Everyone(200)),
        ["POST /referrals/new/trusted-relationships"] = (null, Everyone(400)),
        ["GET /referrals/status"] = (null, Everyone(200)),
        // The status page and its actions: a POSTed form without its antiforgery token is refused before anything else.
        ["POST /referrals/status"] = (null, Everyone(400)),
        ["POST /referrals/status/withdraw"] = (null, Everyone(400)),
        ["POST /referrals/status/information"] = (null, Everyone(400)),
        ["POST /referrals/status/still-needed"] = (null, Everyone(400)),
        ["POST /api/referrals"] = ("{}", Everyone(400)),
        // The referrer's routes: only the referral's own code opens them; everyone else gets the same 404.
        ["GET /api/referrals/{reference}/status"] = (null, WithTheCode(200, others: 404)),
        ["POST /api/referrals/{reference}/status/withdraw"] = ("{}", WithTheCode(400, others: 404)),
        ["POST /api/referrals/{reference}/status/information"] = ("{}", WithTheCode(409, others: 404)),
        ["POST /api/referrals/{reference}/status/still-needed"] = ("{}", WithTheCode(409, others: 404)),
        // Staff routes on the case: the panel decides Trusted Relationships referrals only, so a Hand in Hand case is 404 to it.
        ["GET /api/referrals/{reference}"] = (null, Staff(200, 404, 200, 404, 403)),
        ["GET /api/referrals/{reference}/timeline"] = (null, Staff(200, 404, 200, 404, 403)),
        // The outcome of the acceptance, asked for by its command id: read as the referral is.
        ["GET /api/referrals/{reference}/commands/{commandId}"] = (null, Staff(200, 404, 200, 404, 403)),
        // Commands that do not fit an allocated case: who reaches the decider gets its 409.
        ["POST /api/referrals/{reference}/accept"] = ("{}", Staff(409, 404, 409, 404, 403)),
        ["POST /api/referrals/{reference}/decline"] = ("{\"reason\":\"x\",\"category\":\"criteria\"}", Staff(409, 404, 409, 404, 403)),
        ["POST /api/referrals/{reference}/request-information"] = ("{}", Staff(409, 404, 409, 404, 403)),
        ["POST /api/referrals/{reference}/receive-information"] = ("{}", Staff(409, 404, 409, 404, 403)),
        ["POST /api/referrals/{reference}/confirm-still-needed"] = ("{}", Staff(409, 404, 409, 404, 403)),
        ["POST /api/referrals/{reference}/allocate"] = ("{}", Staff(400, 404, 400, 404, 403)),
        ["POST /api/referrals/{reference}/first-contact"] = ("{}", Staff(400, 404, 400, 404, 403)),
        ["POST /api/referrals/{reference}/reviews"] = ("{}", Staff(400, 404, 400, 404, 403)),
        ["POST /api/referrals/{reference}/sessions"] = ("{}", Staff(400, 404, 400, 404, 403)),
        ["POST /api/referrals/{reference}/close"] = ("{}", Staff(400, 404, 400, 404, 403)),
        ["POST /api/referrals/{reference}/withdraw"] = ("{}", Staff(400, 404, 400, 404, 403)),
        ["POST /api/referrals/{reference}/reopen"] = ("{}", Staff(409, 404, 409, 404, 403)),
        ["PUT /api/referrals/{reference}/contact-channel"] = ("{}", Staff(400, 404, 400, 404, 403)),
        ["POST /api/referrals/{reference}/survey-opt-out"] = ("{}", Staff(200, 404, 200, 404, 403)),
        ["POST /api/referrals/{reference}/legal-hold"] = ("{\"reason\":\"x\"}", Staff(403, 404, 200, 404, 403)),
        ["POST /api/referrals/{reference}/legal-hold/release"] = ("{}", Staff(403, 404, 200, 404, 403)),
        ["POST /api/referrals/{reference}/erase"] = ("{}", Staff(403, 404, 409, 404, 403)),
        // The data controller's views of one record: the manager's only.
        ["GET /api/referrals/{reference}/audit"] = (null, Staff(403, 403, 200, 403, 403)),
        ["GET /api/referrals/{reference}/subject-access-export"] = (null, Staff(403, 403, 200, 403, 403)),
        // What a decider needs to triage and allocate: the manager's, and the panel's (narrowed to its pathway).
        ["GET /api/staff/triage-queue"] = (null, Staff(403, 403, 200, 200, 403)),
        ["GET /api/staff/waiting-list"] = (null, Staff(403, 403, 200, 200, 403)),
        ["GET /api/staff/practitioners"] = (null, Staff(403, 403, 200, 200, 403)),
        // Service-wide views and settings: the manager's only.
        ["GET /api/staff/due"] = (null, Staff(403, 403, 200, 403, 403)),
        ["GET /api/staff/caseloads"] = (null, Staff(403, 403, 200, 403, 403)),
        ["PUT /api/staff/practitioners/{id}"] = ("{}", Staff(403, 403, 400, 403, 403)),
        ["GET /api/staff/notifications"] = (null, Staff(403, 403, 200, 403, 403)),
        ["GET /api/staff/emails"] = (null, Staff(403, 403, 200, 403, 403)),
        ["POST /api/staff/emails/{reference}/{messageId}/retry"] = (null, Staff(403, 403, 404, 403, 403)),
        ["GET /api/staff/retention-reviews"] = (null, Staff(403, 403, 200, 403, 403)),
        // Staff pages: as the API's rules, and a browser that is not signed in is sent to the sign-in page.
        ["GET /staff/dashboard"] = (null, StaffPage(403, 403, 200, 403, 403)),
        ["GET /staff"] = (null, StaffPage(302, 302, 302, 302, 403)),
        // The panel's queue: the deciders' view, narrowed to Trusted Relationships referrals.
        ["GET /staff/panel"] = (null, StaffPage(403, 403, 200, 200, 403)),
        // The panel's forms concern Trusted Relationships referrals only: on this Hand in Hand case, 404 to every staff caller.
        ["POST /staff/cases/{reference}/panel-decision"] = ("{}", StaffPage(404, 404, 404, 404, 403)),
        ["POST /staff/cases/{reference}/strand-allocation"] = ("{}", StaffPage(404, 404, 404, 404, 403)),
        ["GET /staff/cases"] = (null, StaffPage(200, 200, 200, 200, 403)),
        ["GET /staff/cases/{reference}"] = (null, StaffPage(200, 404, 200, 404, 403)),
        // A form posted without its antiforgery token is refused, once the case is known to be open to the caller.
        ["POST /staff/cases/{reference}/first-contact"] = ("{}", StaffPage(400, 404, 400, 404, 403)),
        ["POST /staff/cases/{reference}/accept"] = ("{}", StaffPage(400, 404, 400, 404, 403)),
        ["POST /staff/cases/{reference}/decline"] = ("{}", StaffPage(400, 404, 400, 404, 403)),
        ["POST /staff/cases/{reference}/request-information"] = ("{}", StaffPage(400, 404, 400, 404, 403)),
        ["POST /staff/cases/{reference}/allocate"] = ("{}", StaffPage(400, 404, 400, 404, 403)),
        ["POST /staff/cases/{reference}/review"] = ("{}", StaffPage(400, 404, 400, 404, 403)),
        ["POST /staff/cases/{reference}/session"] = ("{}", StaffPage(400, 404, 400, 404, 403)),
        ["POST /staff/cases/{reference}/contact-channel"] = ("{}", StaffPage(400, 404, 400, 404, 403)),
        ["POST /staff/cases/{reference}/survey-opt-out"] = ("{}", StaffPage(400, 404, 400, 404, 403)),
        ["POST /staff/cases/{reference}/close"] = ("{}", StaffPage(400, 404, 400, 404, 403)),
        // The manager's lists; the panel's narrowed to its own pathway.
        ["GET /staff/triage"] = (null, StaffPage(403, 403, 200, 200, 403)),
        ["GET /staff/waiting-list"] = (null, StaffPage(403, 403, 200, 200, 403)),
        // The manager's retention reviews, emails and practitioners: each confirmation page opens to
        // the manager alone, and a form posted without its antiforgery token changes nothing.
        ["GET /staff/retention"] = (null, StaffPage(403, 403, 200, 403, 403)),
        ["GET /staff/retention/{reference}/erase"] = (null, StaffPage(403, 403, 200, 403, 403)),
        ["POST /staff/retention/{reference}/erase"] = ("{}", StaffPage(403, 403, 400, 403, 403)),
        ["GET /staff/retention/{reference}/legal-hold"] = (null, StaffPage(403, 403, 200, 403, 403)),
        ["POST /staff/retention/{reference}/legal-hold"] = ("{}", StaffPage(403, 403, 400, 403, 403)),
        ["GET /staff/retention/{reference}/legal-hold/release"] = (null, StaffPage(403, 403, 200, 403, 403)),
        ["POST /staff/retention/{reference}/legal-hold/release"] = ("{}", StaffPage(403, 403, 400, 403, 403)),
        ["GET /staff/emails"] = (null, StaffPage(403, 403, 200, 403, 403)),
        ["POST /staff/emails/retry"] = ("{}", StaffPage(403, 403, 400, 403, 403)),
        ["GET /staff/practitioners"] = (null, StaffPage(403, 403, 200, 403, 403)),
        ["GET /staff/practitioners/{id}"] = (null, StaffPage(403, 403, 200, 403, 403)),
        ["POST /staff/practitioners/{id}"] = ("{}", StaffPage(403, 403, 400, 403, 403)),
        ["GET /staff/new-practitioner"] = (null, StaffPage(403, 403, 200, 403, 403)),
        ["POST /staff/new-practitioner"] = ("{}", StaffPage(403, 403, 400, 403, 403)),
        // Aggregates: the manager and the analyst.
        ["GET /api/reports"] = (null, Staff(403, 403, 200, 403, 200)),
        ["GET /api/reports/export.csv"] = (null, Staff(403, 403, 200, 403, 200)),
        ["GET /reports"] = (null, StaffPage(403, 403, 200, 403, 200)),
        // Operations: the Functions timers (role admin), nobody here.
        ["POST /api/digests/run"] = (null, Staff(403, 403, 403, 403, 403)),
        ["POST /api/audit/verify"] = (null, Staff(403, 403, 403, 403, 403)),
        ["POST /api/retention/run"] = (null, Staff(403, 403, 403, 403, 403)),
        // Survey links: public; an unknown token is the neutral 404 for everyone.
        ["GET /survey/{token}"] = (null, Everyone(404)),
        ["HEAD /survey/{token}"] = (null, Everyone(404)),
        ["POST /survey/{token}"] = (null, Everyone(404)),
        ["GET /feedback/{token}"] = (null, Everyone(404)),
        ["HEAD /feedback/{token}"] = (null, Everyone(404)),
        ["POST /feedback/{token}"] = (null, Everyone(404)),
    };

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
    public void TheMatrixNamesNoRouteTheAppDoesNotMap()
    {
        Assert.Empty(Matrix.Keys.Except(MappedRoutes()));
    }

    [Fact]
    public async Task EveryMappedRouteAnswersEachKindOfCallerAsTheMatrixSays()
    {
        var driver = new LifecycleDriver(factory);
        var reference = await driver.SubmitAsync(driver.Form());
        var acceptKey = Guid.NewGuid().ToString();
        await driver.CommandAsync(reference, "accept", StaffActor.Manager, idempotencyKey: acceptKey);
        var another = await driver.SubmitAsync(driver.Form());
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var failures = new List<string>();

        // Walk the app's own endpoint table: a route without a row is a failure, not a gap.
        foreach (var route in MappedRoutes())
        {
            if (!Matrix.TryGetValue(route, out var row))
            {
                failures.Add($"{route}: not in the access matrix; say who may call it");
                continue;
            }

            var method = route[..route.IndexOf(' ', StringComparison.Ordinal)];
            var path = route[(method.Length + 1)..]
                .Replace("{reference}", reference, StringComparison.Ordinal)
                .Replace("{id}", LifecycleDriver.SelbyPractitioner, StringComparison.Ordinal)
                .Replace("{documentName}", "v1", StringComparison.Ordinal)
                .Replace("{messageId}", "no-such-message", StringComparison.Ordinal)
                .Replace("{commandId}", ReferralCommands.CommandIdOf(acceptKey), StringComparison.Ordinal)
                .Replace("{token}", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", StringComparison.Ordinal);
            for (var i = 0; i < Callers.Length; i++)
            {
                var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (row.Body is not null)
                {
                    request.Content = new StringContent(row.Body, Encoding.UTF8, "application/json");
                    request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                }

                var (id, role, code) = Callers[i] switch
                {
                    "holder practitioner" => (LifecycleDriver.SelbyPractitioner, "practitioner", null),
                    "other practitioner" => ("practitioner-york", "practitioner", null),
                    "manager" => ("manager-1", "manager", null),
                    "panel member" => ("panel-1", "panel", null),
                    "analyst" => ("analyst-1", "analyst", null),
                    "someone claiming the referrer role" => ("referrer-1", "referrer", null),
                    "referrer with the right code" => (null, null, driver.AccessCode(reference)),
                    "referrer of another referral" => (null, null, driver.AccessCode(another)),
                    "referrer with a wrong code" => (null, null, "AAAA-BBBB-CCCC-DDDD-EEEE"),
                    _ => ((string?)null, (string?)null, (string?)null),
                };
                if (id is not null)
                {
                    request.Headers.Add("X-Actor-Id", id);
                    request.Headers.Add("X-Actor-Role", role);
                }

                if (code is not null)
                {
                    request.Headers.Add(ReferralApi.AccessCodeHeader, code);
                }

                var status = (int)(await client.SendAsync(request)).StatusCode;
                if (status != row.Expected[i])
                {
                    failures.Add($"{route} as {Callers[i]}: expected {row.Expected[i]}, got {status}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>A route anyone may call, with the same answer for all.</summary>
    private static int[] Everyone(int status) => [.. Enumerable.Repeat(status, 10)];

    /// <summary>A referrer's route: <paramref name="right"/> for the referral's own code, <paramref name="others"/> for every other caller.</summary>
    private static int[] WithTheCode(int right, int others) => [others, others, others, others, others, others, right, others, others, others];

    /// <summary>
    /// A staff route: the five staff callers as given; a role claim of referrer is signed in but
    /// admitted by no staff policy (403); callers with only a code, or nothing, are not signed in (401).
    /// </summary>
    private static int[] Staff(int holder, int otherPractitioner, int manager, int panel, int analyst) =>
        [holder, otherPractitioner, manager, panel, analyst, 403, 401, 401, 401, 401];

    /// <summary>A staff page: as <see cref="Staff"/>, except that a caller who is not signed in is sent to the sign-in page (302).</summary>
    private static int[] StaffPage(int holder, int otherPractitioner, int manager, int panel, int analyst) =>
        [holder, otherPractitioner, manager, panel, analyst, 403, 302, 302, 302, 302];

    private IEnumerable<string> MappedRoutes() => Endpoints()
        .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m} /{(e.RoutePattern.RawText ?? string.Empty).Trim('/')}"))
        .Distinct(StringComparer.Ordinal);

    private IEnumerable<RouteEndpoint> Endpoints() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
}
