using HandInHand.Host.Audit;
using HandInHand.Host.Setup;

var builder = WebApplication.CreateBuilder(args);
try
{
    builder.AddApplicationServices();
}
catch (MissingSettingsException missing)
{
    // Names only: the message never holds a value. Nothing has started, so nothing needs stopping.
    await Console.Error.WriteLineAsync(missing.Message);
    Environment.ExitCode = 1;
    return;
}

var app = builder.Build();
if (await AuditCommand.TryRunAsync(args, app) || await HandInHand.Host.Reports.ReportBenchmark.TryRunAsync(args, app) || await HandInHand.Host.Reports.RebuildCommand.TryRunAsync(args, app))
{
    return;
}

app.MapApplicationEndpoints();
await app.RunAsync();

/// <summary>The app's entry point; public so that integration tests can host it.</summary>
public partial class Program;
