using HandInHand.Functions.Timers;
using HandInHand.Host.Functions;
using HandInHand.Infrastructure.Orchestration;

namespace HandInHand.Functions.Tests;

/// <summary>
/// What the Functions host would load, read from the build output since no host runs here: the
/// files it needs, and functions.metadata listing exactly the app's functions with their bindings.
/// </summary>
public sealed class FunctionsOutputTests
{
    /// <summary>The Entra sign-in callbacks: answered by the OpenID Connect handler, so in no route table.</summary>
    private static readonly Dictionary<string, string[]> SignInCallbacks = new(StringComparer.Ordinal)
    {
        ["signin-oidc"] = ["GET", "POST"],
        ["signout-callback-oidc"] = ["GET"],
    };

    [Fact]
    public void TheBuildOutputHoldsWhatTheFunctionsHostLoads()
    {
        var output = Repository.FunctionsOutput;
        Assert.True(File.Exists(Path.Combine(output, "functions.metadata")), "no functions.metadata");
        Assert.True(File.Exists(Path.Combine(output, "worker.config.json")), "no worker.config.json");
        Assert.True(Directory.Exists(Path.Combine(output, ".azurefunctions")), "no .azurefunctions/");
        var extensions = Repository.Read(Path.Combine(output, "extensions.json")).GetProperty("extensions").EnumerateArray()
            .Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.Contains("DurableTask", extensions);
        var worker = Repository.Read(Path.Combine(output, "worker.config.json")).GetProperty("description");
        Assert.Equal("HandInHand.Functions.dll", worker.GetProperty("defaultWorkerPath").GetString());
    }

    [Fact]
    public void EveryRouteOfTheCatalogueIsExactlyOneHttpFunctionWithItsMethods()
    {
        // "/" only redirects to the referral form; the Functions host keeps the empty path for itself.
        var expected = RouteCatalogue.Routes.Where(r => r.Template != "/")
            .GroupBy(r => r.Template.TrimStart('/'), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Method).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        foreach (var (route, methods) in SignInCallbacks)
        {
            expected.Add(route, [.. methods]);
        }

        var http = FunctionsMetadata.Functions.Where(f => f.TriggerType == "httpTrigger").ToList();
        var actual = http.ToDictionary(f => f.Route!, f => f.Methods.Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, e => Assert.Equal(e.Value, actual[e.Key]));
        Assert.All(http, f =>
        {
            // The app's own policies authorize; the host asks for no function key.
            Assert.Equal("Anonymous", f.Property("authLevel"));
            Assert.Contains(f.Bindings, b => b.GetProperty("type").GetString() == "durableClient");
        });
    }

    [Fact]
    public void TheOrchestratorAndEveryActivityTheOrchestrationCallsAreFunctionsByTheirNames()
    {
        var orchestrators = FunctionsMetadata.Functions.Where(f => f.TriggerType == "orchestrationTrigger").Select(f => f.Name);
        Assert.Equal([ReferralActivityNames.Orchestrator], orchestrators);
        var activities = FunctionsMetadata.Functions.Where(f => f.TriggerType == "activityTrigger").Select(f => f.Name).Order(StringComparer.Ordinal);
        Assert.Equal(ReferralTasks.Activities.Keys.Order(StringComparer.Ordinal), activities);
        // Every effect the reactor can produce has its activity, as under the local worker.
        Assert.All(ReferralActivityNames.Effects, name => Assert.Contains(name, ReferralTasks.Activities.Keys));
    }

    [Fact]
    public void TheTimersRunEveryQuarterHourDailyAndEveryFiveMinutes()
    {
        var timers = FunctionsMetadata.Functions.Where(f => f.TriggerType == "timerTrigger").ToDictionary(f => f.Name, f => f.Property("schedule"), StringComparer.Ordinal);
        Assert.Equal(FunctionNames.Scheduled.Order(StringComparer.Ordinal), timers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("0 */15 * * * *", timers[FunctionNames.DigestRun]);
        Assert.Equal("0 0 2 * * *", timers[FunctionNames.RetentionRun]);
        Assert.Equal("0 */5 * * * *", timers[FunctionNames.RecoveryRun]);
        Assert.Equal(ScheduledFunctions.DigestSchedule, timers[FunctionNames.DigestRun]);

        // Each lends the app its durable client, as an HTTP function does: the retention run purges ended orchestrations through it.
        Assert.All(FunctionsMetadata.Functions.Where(f => f.TriggerType == "timerTrigger"), f =>
            Assert.Contains(f.Bindings, b => b.GetProperty("type").GetString() == "durableClient"));
    }

    [Fact]
    public void TheFunctionsAreExactlyTheRoutesTheOrchestrationAndTheTimers()
    {
        var kinds = FunctionsMetadata.Functions.GroupBy(f => f.TriggerType).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.Equal(["activityTrigger", "httpTrigger", "orchestrationTrigger", "timerTrigger"], kinds.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(FunctionsMetadata.Functions.Count, FunctionsMetadata.Functions.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void HostJsonConfiguresTheIsolatedWorkerTheTaskHubAndNoCustomHandler()
    {
        var host = Repository.Read(Path.Combine(Repository.Root, "host.json"));
        Assert.Equal("2.0", host.GetProperty("version").GetString());
        var extensions = host.GetProperty("extensions");
        Assert.Equal(string.Empty, extensions.GetProperty("http").GetProperty("routePrefix").GetString());
        var durable = extensions.GetProperty("durableTask");
        Assert.Equal(new OrchestrationOptions().TaskHubName, durable.GetProperty("hubName").GetString());
        Assert.Equal("AzureWebJobsStorage", durable.GetProperty("storageProvider").GetProperty("connectionName").GetString());
        Assert.False(host.TryGetProperty("customHandler", out _));
        // The isolated worker brings its extensions in .azurefunctions/; a bundle would be a second, unused set.
        Assert.False(host.TryGetProperty("extensionBundle", out _));
        Assert.False(Directory.Exists(Path.Combine(Repository.Root, "functionapp")));
    }
}
