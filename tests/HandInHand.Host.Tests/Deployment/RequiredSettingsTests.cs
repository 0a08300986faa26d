using System.Diagnostics;
using HandInHand.Host.Tests.Support;

namespace HandInHand.Host.Tests.Deployment;

/// <summary>
/// Started in Production with nothing configured, the app names every required setting that is
/// missing in one error and stops with a non-zero exit code, before it says it has started.
/// </summary>
public sealed class RequiredSettingsTests
{
    /// <summary>What Production cannot run without (appsettings.json provides none of them).</summary>
    private static readonly string[] Required =
    [
        "Storage:ConnectionString",
        "Storage:TableEndpoint",
        "Intake:SecretKey",
        "Encryption:ActiveKeyId",
        "Encryption:Keys",
        "Entra:TenantId",
        "Entra:ClientId",
        "Entra:ClientSecret",
        "SendGrid:ApiKey",
        "Notifications:BaseUrl",
        "Notifications:FromEmail",
        "Notifications:ManagerEmail",
    ];

    [Fact]
    public async Task InProductionWithAnEmptyConfigurationTheAppListsEveryMissingSettingAndExitsNonZero()
    {
        var directory = AppContext.BaseDirectory;
        var info = new ProcessStartInfo("dotnet", [Path.Combine(directory, "HandInHand.Host.dll")]) { WorkingDirectory = directory };
        // Nothing from the test run's own environment may configure the app: only what a process needs to run.
        info.Environment.Clear();
        foreach (var name in new[] { "PATH", "HOME", "DOTNET_ROOT", "TMPDIR" })
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                info.Environment[name] = value;
            }
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";

        var run = await ProcessRun.RunAsync(info, TimeSpan.FromSeconds(90));
        Assert.True(run is not null, "The app kept running without its required settings.");

        var text = run.Output + run.Error;
        Assert.NotEqual(0, run.ExitCode);
        var missing = Required.Where(name => !text.Contains(name, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "not named: " + string.Join(", ", missing) + "\n" + text);
        Assert.DoesNotContain("Application started", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }
}
