namespace HandInHand.Host.Tests.Deployment;

/// <summary>
/// infra/main.bicep is the template; infra/main.json is only its compiled form, committed so that the
/// other template tests (and a reader without the CLI) can read the ARM JSON. scripts/bicep.sh build
/// writes it again.
/// </summary>
public sealed class BicepTests
{
    [Fact]
    public async Task TheCommittedArmTemplateIsExactlyWhatBicepCompilesFromMainBicep()
    {
        var run = await BicepCli.RunAsync("build", ArmTemplate.BicepPath, "--stdout");
        Assert.True(run.ExitCode == 0, "bicep build failed:\n" + run.Error);
        var committed = File.ReadAllText(ArmTemplate.JsonPath);
        Assert.True(
            string.Equals(Normalise(run.Output), Normalise(committed), StringComparison.Ordinal),
            "infra/main.json is not the compiled infra/main.bicep: run scripts/bicep.sh build and commit the result.");
    }

    [Fact]
    public async Task BicepLintReportsNoWarningAndNoError()
    {
        var run = await BicepCli.RunAsync("lint", ArmTemplate.BicepPath);
        // The linter exits 0 on warnings: anything it prints is a finding.
        Assert.True(run.ExitCode == 0 && run.Output.Trim().Length == 0 && run.Error.Trim().Length == 0,
            $"bicep lint (exit {run.ExitCode}):\n{run.Output}{run.Error}");
    }

    /// <summary>Line endings are the checkout's business (git may convert them), the content is the template's.</summary>
    private static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
}
