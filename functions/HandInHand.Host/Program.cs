using HandInHand.Host.Audit;
using HandInHand.Host.Setup;

var builder = WebApplication.CreateBuilder(args);
builder.AddApplicationServices();

var app = builder.Build();
if (await AuditCommand.TryRunAsync(args, app) || await HandInHand.Host.Reports.ReportBenchmark.TryRunAsync(args, app) || await HandInHand.Host.Reports.ReportRebuildCommand.TryRunAsync(args, app))
{
    return;
}

app.MapApplicationEndpoints();
await app.RunAsync();

/// <summary>The app's entry point; public so that integration tests can host it.</summary>
public partial class Program;
