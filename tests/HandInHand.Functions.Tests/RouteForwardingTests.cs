using HandInHand.Host.Setup;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace HandInHand.Functions.Tests;

/// <summary>
/// Route by route: the one HTTP function the Functions host would route a request to hands it to
/// the app's pipeline, where it reaches the very endpoint the local host maps for that route.
/// Development, so that the development routes are mapped too.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the pipeline through IAsyncLifetime.DisposeAsync.")]
public sealed class RouteForwardingTests : IAsyncLifetime
{
    private readonly TestPipeline _functions = new("Development");

    public Task InitializeAsync() => _functions.StartAsync();

    public Task DisposeAsync() => _functions.DisposeAsync().AsTask();

    [Fact]
    public async Task EveryRouteReachesThroughItsFunctionTheEndpointTheLocalHostMapsForIt()
    {
        var local = await LocalHostEndpointsAsync();
        var failures = new List<string>();
        foreach (var route in RouteCatalogue.Routes.Where(r => r.Template != "/"))
        {
            var path = route.SamplePath;
            var functions = FunctionsMetadata.Functions.Where(f => f.Takes(route.Method, path)).ToList();
            if (functions.Count != 1)
            {
                failures.Add($"{route.Method} {path}: {functions.Count} functions take it");
                continue;
            }

            // An endpoint with no method metadata (the health check) takes every method.
            var expected = local.SingleOrDefault(e => "/" + e.RoutePattern.RawText!.Trim('/') == route.Template
                && (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains(route.Method) ?? true));
            if (expected is null)
            {
                failures.Add($"{route.Method} {route.Template}: the local host maps no such endpoint");
                continue;
            }

            await _functions.InvokeAsync(functions[0], route.Method, path);
            if (_functions.LastEndpoint is not RouteEndpoint reached)
            {
                failures.Add($"{route.Method} {path} through {functions[0].Name}: no endpoint");
            }
            else if (reached.DisplayName != expected.DisplayName || reached.RoutePattern.RawText != expected.RoutePattern.RawText)
            {
                failures.Add($"{route.Method} {path} through {functions[0].Name}: reached {reached.DisplayName}, the local host maps {expected.DisplayName}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task TheAppsAnswerComesBackThroughTheFunctionWithItsSecurityHeaders()
    {
        var health = FunctionsMetadata.Functions.Single(f => f.Route == "health");
        var received = await _functions.InvokeAsync(health, "GET", "/health");
        Assert.Equal(StatusCodes.Status200OK, received.Response.StatusCode);
        Assert.Equal("nosniff", received.Response.Headers["X-Content-Type-Options"].ToString());
        Assert.Equal("Healthy", TestPipeline.BodyOf(received));
    }

    [Fact]
    public async Task AStaffRouteAnswersAnAnonymousCallerAsTheLocalHostDoes()
    {
        var due = FunctionsMetadata.Functions.Single(f => f.Route == "api/staff/due");
        var received = await _functions.InvokeAsync(due, "GET", "/api/staff/due");
        Assert.Equal(StatusCodes.Status401Unauthorized, received.Response.StatusCode);
    }

    /// <summary>The local host's endpoint table: its app built as Program builds it (not started).</summary>
    private static async Task<IReadOnlyList<RouteEndpoint>> LocalHostEndpointsAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = Environment.GetEnvironmentVariable(TestPipeline.StorageVariable),
        });
        builder.AddApplicationServices();
        await using var app = builder.Build();
        app.MapApplicationEndpoints();
        return [.. ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()];
    }
}
