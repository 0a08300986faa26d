using HandInHand.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using HandInHand.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Security;

/// <summary>docs/routes.md lists every route the app maps with the policy that guards it, exactly as mapped.</summary>
public sealed class RouteCatalogueTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    [Fact]
    public async Task TheRouteCatalogueMatchesTheMappedEndpointsAndTheirPolicies()
    {
        var mapped = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"| `{m} /{(e.RoutePattern.RawText ?? string.Empty).Trim('/')}` | {PolicyOf(e)} |"))
            .ToHashSet(StringComparer.Ordinal);
        var lines = (await File.ReadAllLinesAsync(RepositoryFiles.PathOf("docs", "routes.md")))
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => string.Join(" |", l.Split(" |").Take(2)) + " |")
            .ToHashSet(StringComparer.Ordinal);

        Assert.True(mapped.SetEquals(lines), "docs/routes.md differs from the app. Missing: " + string.Join("; ", mapped.Except(lines)) + ". Not mapped: " + string.Join("; ", lines.Except(mapped)));
    }

    private static string PolicyOf(RouteEndpoint endpoint)
    {
        var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy ?? a.Roles).Where(p => p is not null).Distinct().ToList();
        if (policies.Count > 0)
        {
            return string.Join(", ", policies);
        }

        return endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null ? "anonymous" : "none (denied)";
    }
}
