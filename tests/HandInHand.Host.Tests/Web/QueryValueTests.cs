using HandInHand.Testing;
using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using HandInHand.Host.Security;
using HandInHand.Host.Tests.Support;
using HandInHand.Host.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Web;

/// <summary>
/// Every query value of every route is checked: a value that does not fit is a 400 problem naming
/// its parameter, never a 500, and never written to a log. The routes' parameters come from the
/// app's own endpoint declarations, and a guard makes sure nothing reads the query string any other way.
/// </summary>
public sealed partial class QueryValueTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    /// <summary>Part of every bad value sent, so that a log line quoting one can be found.</summary>
    private const string Marker = "Qzvjunk";

    [Theory]
    [InlineData("GET", "/api/staff/due?on=abc", "on")]
    [InlineData("GET", "/api/staff/due?on=2026-02-30", "on")]
    [InlineData("GET", "/api/staff/emails?status=abc", "status")]
    [InlineData("GET", "/api/staff/emails?status=3", "status")]
    [InlineData("GET", "/api/staff/notifications?reference=abc", "reference")]
    [InlineData("POST", "/api/staff/emails/HH-2026-00001/no-such-message/retry?includingUnknown=maybe", "includingUnknown")]
    [InlineData("GET", "/api/reports?to=0001-01-01", "to")]
    [InlineData("GET", "/api/reports?from=2026-01-01&from=2026-02-01", "from")]
    public async Task BadQueryValuesFoundByTheProbeAnswer400NamingTheParameter(string method, string url, string parameter)
    {
        var response = await SendAsync(method, url, "manager");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(parameter, await ErrorKeysAsync(response));
    }

    [Theory]
    [InlineData("/api/staff/due?on=")]
    [InlineData("/api/staff/due?on=9999-12-31")]
    [InlineData("/api/staff/due?on=0001-01-01")]
    [InlineData("/api/staff/emails?status=failed")]
    [InlineData("/api/staff/emails?status=FAILED")]
    [InlineData("/api/staff/notifications?reference=hh-2026-00001")]
    public async Task EmptyExtremeAndDifferentlyCasedValuesThatMakeSenseAreAnswered(string url)
    {
        var response = await SendAsync("GET", url, "manager");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void NoHandlerReadsTheQueryStringExceptThroughItsDeclaredParameters()
    {
        // Parameters the framework would bind from the query string bypass the declarations (and
        // log the raw value when they fail to bind).
        var bound = Endpoints()
            .SelectMany(e => (e.Metadata.GetMetadata<MethodInfo>()?.GetParameters() ?? []).Where(p => BindsFromQuery(p, e)).Select(p => $"{e.RoutePattern.RawText}: {p.Name}"))
            .ToList();
        Assert.True(bound.Count == 0, "handler parameters bound from the query string: " + string.Join(", ", bound));

        // Code that reads the query collection itself bypasses them too.
        var host = RepositoryFiles.PathOf("functions", "HandInHand.Host");
        var readers = Directory.EnumerateFiles(host, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetFileName(f) != nameof(QueryValues) + ".cs")
            .Where(f => QueryReading().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(host, f))
            .ToList();
        Assert.True(readers.Count == 0, "files reading the query string outside QueryValues: " + string.Join(", ", readers));
    }

    [Fact]
    public async Task EveryDeclaredQueryParameterAnswersJunkWithA400NamingItAndNeverA500OrALogLine()
    {
        var declared = Endpoints()
            .SelectMany(e => e.Metadata.GetOrderedMetadata<QueryParameter>().Select(p => (Endpoint: e, Parameter: p)))
            .ToList();

        // The parameters the issue named, so that the enumeration cannot silently come up empty.
        var names = declared.Select(d => d.Parameter.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string>(["on", "status", "reference", "includingUnknown", "from", "to", "service", "report"], StringComparer.Ordinal), names);

        var failures = new List<string>();
        foreach (var (endpoint, parameter) in declared)
        {
            var role = RoleFor(endpoint);
            var path = UrlOf(endpoint);
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                foreach (var (query, expect) in Cases(parameter))
                {
                    var response = await SendAsync(method, path + "?" + query, role);
                    var status = (int)response.StatusCode;
                    var named = status == 400 && (await ErrorKeysAsync(response)).Contains(parameter.Name);
                    var label = $"{method} {path} ?{Shorten(query)} as {role}";
                    if (status >= 500)
                    {
                        failures.Add($"{label}: {status}");
                    }
                    else if (expect == Expect.Refused && !named)
                    {
                        failures.Add($"{label}: {status}, expected a 400 naming {parameter.Name}");
                    }
                    else if (expect == Expect.Accepted && named)
                    {
                        failures.Add($"{label}: a value it should take was refused");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        var leaks = factory.Logs.Lines.Where(l => l.Contains(Marker, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(leaks.Count == 0, "log lines quoting a query value:\n" + string.Join("\n", leaks.Take(5)));
    }

    /// <summary>Values for one parameter, each with what the answer must be.</summary>
    private static IEnumerable<(string Query, Expect Expect)> Cases(QueryParameter parameter)
    {
        string Q(string value) => parameter.Name + "=" + Uri.EscapeDataString(value);
        yield return (Q(Marker), Expect.Refused);
        yield return (Q(Marker + "<script>'\"%00;--"), Expect.Refused);
        yield return (Q(Marker + new string('9', 5000)), Expect.Refused);
        yield return (Q("-1" + Marker), Expect.Refused);
        yield return (Q("\u0661\u0662" + Marker), Expect.Refused);
        yield return (Q(parameter.Example) + "&" + Q(parameter.Example), Expect.Refused);
        yield return (Q(parameter.Example) + "&" + Q(Marker), Expect.Refused);

        // The parameter's name in another case is the same parameter.
        yield return (parameter.Name.ToUpperInvariant() + "=" + Uri.EscapeDataString(Marker), Expect.Refused);

        // Present but empty counts as absent (an HTML form sends its empty fields).
        yield return (Q(string.Empty), Expect.Accepted);

        // Extremes may be refused, but never break the route.
        foreach (var extreme in new[] { "9999-12-31", "0001-01-01", "99999999999999999999", "-2147483649", "0", " " })
        {
            yield return (Q(extreme), Expect.Either);
        }

        // The declared example is accepted in any case.
        yield return (Q(parameter.Example), Expect.Accepted);
        yield return (Q(parameter.Example.ToUpperInvariant()), Expect.Accepted);
        yield return (Q(parameter.Example.ToLowerInvariant()), Expect.Accepted);
    }

    private static string Shorten(string query) => query.Length > 60 ? query[..60] + "…" : query;

    /// <summary>A caller who passes the endpoint's policy, so the query is what the answer turns on.</summary>
    private static string? RoleFor(RouteEndpoint endpoint)
    {
        var policy = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null);
        return policy switch
        {
            null => null,
            Policies.Management or Policies.CaseWork or Policies.CaseReading => RoleNames.Manager,
            Policies.Reports => RoleNames.Analyst,
            Policies.Operations => RoleNames.Admin,
            _ => throw new InvalidOperationException($"No test caller passes the policy {policy}: add one here."),
        };
    }

    private static string UrlOf(RouteEndpoint endpoint) =>
        "/" + RouteValue().Replace((endpoint.RoutePattern.RawText ?? string.Empty).Trim('/'), m => m.Groups[1].Value == "reference" ? "HH-2026-00001" : "no-such-" + m.Groups[1].Value);

    private static bool BindsFromQuery(ParameterInfo parameter, RouteEndpoint endpoint)
    {
        if (parameter.GetCustomAttributes().Any(a => a is FromQueryAttribute))
        {
            return true;
        }

        if (parameter.GetCustomAttributes().Any(a => a is FromRouteAttribute or FromHeaderAttribute or FromBodyAttribute or FromServicesAttribute or FromFormAttribute or AsParametersAttribute)
            || endpoint.RoutePattern.Parameters.Any(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        var type = parameter.ParameterType.IsArray ? parameter.ParameterType.GetElementType()! : parameter.ParameterType;
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(Microsoft.Extensions.Primitives.StringValues)
            || type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), type.MakeByRefType()]) is not null
            || type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(IFormatProvider), type.MakeByRefType()]) is not null;
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string url, string? role)
    {
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (role is not null)
        {
            request.Headers.Add("X-Actor-Id", role + "-1");
            request.Headers.Add("X-Actor-Role", role);
        }

        if (method != "GET")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    /// <summary>The fields a 400 names: the problem's <c>errors</c> keys, or the fields an HTML page's error summary links to.</summary>
    private static async Task<IReadOnlyList<string>> ErrorKeysAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType == "text/html")
        {
            return [.. SummaryLink().Matches(body).Select(m => m.Groups[1].Value)];
        }

        using var problem = JsonDocument.Parse(body);
        return problem.RootElement.TryGetProperty("errors", out var errors) ? [.. errors.EnumerateObject().Select(p => p.Name)] : [];
    }

    private enum Expect
    {
        Refused,
        Accepted,
        Either,
    }

    private IEnumerable<RouteEndpoint> Endpoints() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();

    [GeneratedRegex(@"(?<!ParameterLocation)\.Query\b(?!String)|\bIQueryCollection\b|\bIQueryFeature\b|FromQuery")]
    private static partial Regex QueryReading();

    [GeneratedRegex(@"\{([A-Za-z]+)[^}]*\}")]
    private static partial Regex RouteValue();

    [GeneratedRegex("<a href=\"#([^\"]+)\"")]
    private static partial Regex SummaryLink();
}
