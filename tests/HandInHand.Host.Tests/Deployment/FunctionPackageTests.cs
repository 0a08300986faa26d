using System.Text.RegularExpressions;
using HandInHand.Host.Functions;
using HandInHand.Host.Security;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Messaging;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Deployment;

/// <summary>
/// The function folders against the app: each non-HTTP function has its handler, each HTTP function
/// forwards to routes the app maps, every public route is published, and no public URL can reach a
/// handler path.
/// </summary>
public sealed partial class FunctionPackageTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    [Fact]
    public void TheNonHttpFunctionFoldersAreExactlyTheAppsTimersAndMessageHandlers()
    {
        var folders = Package.Functions();
        Assert.Equal(FunctionNames.NonHttp.Order(StringComparer.Ordinal), folders.Where(f => !f.IsHttp).Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.All(FunctionNames.Scheduled, name => Assert.Equal("timerTrigger", folders.Single(f => f.Name == name).TriggerType));
        Assert.All(FunctionNames.Messages, name => Assert.Equal("serviceBusTrigger", folders.Single(f => f.Name == name).TriggerType));
    }

    [Fact]
    public void EveryNonHttpFunctionHasAHandlerThatOnlyTheFunctionsHostMayCall()
    {
        foreach (var name in FunctionNames.NonHttp)
        {
            var endpoint = Endpoints().SingleOrDefault(e => Path(e) == "/" + name);
            Assert.True(endpoint is not null, $"No handler is mapped at /{name}.");
            Assert.Equal(["POST"], endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []);
            Assert.Contains(endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(), a => a.Policy == Policies.FunctionsHost);
            Assert.Null(endpoint.Metadata.GetMetadata<IAllowAnonymous>());
        }
    }

    [Fact]
    public void EveryHttpFunctionForwardsToRoutesTheAppMaps()
    {
        // Entra sign-in's callbacks are answered by the OpenID Connect handler (production only), not by an endpoint.
        var oidc = new OpenIdConnectOptions();
        var paths = PublicPaths().Append(oidc.CallbackPath.Value!).Append(oidc.SignedOutCallbackPath.Value!).ToList();
        foreach (var function in Package.Functions().Where(f => f.IsHttp))
        {
            Assert.True(paths.Any(p => Matches(function.Route, p)), $"The HTTP function {function.Name} ({function.Route}) reaches no route of the app.");
        }
    }

    [Fact]
    public void EveryPublicRouteOfTheAppIsReachableThroughAnHttpFunction()
    {
        var templates = Package.Functions().Where(f => f.IsHttp).Select(f => f.Route).ToList();
        // "/" only redirects to the referral form; the Functions host cannot route an empty path to a function.
        var unreachable = PublicPaths().Where(p => p != "/" && !templates.Any(t => Matches(t, p))).ToList();
        Assert.True(unreachable.Count == 0, "routes no HTTP function forwards: " + string.Join(", ", unreachable));
    }

    [Fact]
    public void NoHttpFunctionRouteCanReachANonHttpHandlerPath()
    {
        // The matcher itself can see a collision: a catch-all would reach every handler.
        Assert.True(Matches("{*path}", "/" + FunctionNames.DigestRun));
        Assert.True(Matches("{name}", "/" + FunctionNames.SendNotificationEmail.ToLowerInvariant()));

        var reachable = new List<string>();
        foreach (var function in Package.Functions().Where(f => f.IsHttp))
        {
            foreach (var name in FunctionNames.NonHttp)
            {
                foreach (var path in new[] { "/" + name, "/" + name + "/", "/" + name.ToLowerInvariant(), "/" + name.ToUpperInvariant() })
                {
                    if (Matches(function.Route, path))
                    {
                        reachable.Add($"{function.Name} ({function.Route}) reaches {path}");
                    }
                }
            }
        }

        Assert.True(reachable.Count == 0, string.Join("; ", reachable));
    }

    [Fact]
    public void HostJsonForwardsHttpWithoutARoutePrefixToTheAppsExecutable()
    {
        var host = Package.HostJson;
        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.Equal(string.Empty, host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        var handler = host.GetProperty("customHandler");
        Assert.True(handler.GetProperty("enableForwardingHttpRequest").GetBoolean());
        Assert.Equal(typeof(Program).Assembly.GetName().Name, handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", host.GetProperty("extensionBundle").GetProperty("id").GetString());
    }

    [Fact]
    public void TheServiceBusFunctionListensWhereTheAppSends()
    {
        var send = Package.Functions().Single(f => f.Name == FunctionNames.SendNotificationEmail);
        Assert.Equal(new ServiceBusOptions().NotificationsQueue, send.Property("queueName"));
        Assert.Equal(FunctionEndpoints.MessageBinding, send.Property("name"));
        Assert.Equal("ServiceBusConnection", send.Property("connection"));
    }

    [Fact]
    public void TheTimersRunEveryFiveMinutesEveryQuarterHourAndDaily()
    {
        var folders = Package.Functions();
        Assert.Equal("0 */5 * * * *", folders.Single(f => f.Name == FunctionNames.DrainDeadLetters).Property("schedule"));
        Assert.Equal("0 */15 * * * *", folders.Single(f => f.Name == FunctionNames.DigestRun).Property("schedule"));
        Assert.Equal("0 0 2 * * *", folders.Single(f => f.Name == FunctionNames.RetentionRun).Property("schedule"));
    }

    /// <summary>Whether the Functions host's route template would take <paramref name="path"/> (ASP.NET Core templates, case-insensitive).</summary>
    internal static bool Matches(string template, string path) =>
        new TemplateMatcher(TemplateParser.Parse(template), []).TryMatch(new PathString(path), []);

    /// <summary>A concrete path for every route the app maps outside Development, except the function handlers.</summary>
    private List<string> PublicPaths() =>
        Endpoints()
            .Select(Path)
            .Where(p => !p.StartsWith("/dev/", StringComparison.Ordinal) && !FunctionNames.NonHttp.Any(n => p == "/" + n))
            .Select(p => Parameter().Replace(p, "x"))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private IEnumerable<RouteEndpoint> Endpoints() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();

    private static string Path(RouteEndpoint e) => "/" + (e.RoutePattern.RawText ?? string.Empty).Trim('/');

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Parameter();
}
