using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;
using HandInHand.Host.Audit;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Audit;
using HandInHand.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Security;

public sealed class AuditTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task EveryReadChangeAndRefusedAccessOfARecordIsInItsAuditTrail()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        await _hh.AcceptAsync(reference);
        await _hh.GetAsync($"/api/referrals/{reference}", StaffActor.Manager);
        await _hh.GetAsync($"/api/referrals/{reference}/timeline", new StaffActor("analyst-1", "analyst"));
        await _hh.GetAsync($"/api/referrals/{reference}", StaffActor.Practitioner("practitioner-york"));

        var log = await _hh.GetOkAsync<List<AccessLogEntry>>($"/api/referrals/{reference}/audit", StaffActor.Manager);

        Assert.Contains(log, e => e is { ActorId: "manager-1", Role: "Manager", Outcome: "allowed" } && e.Action == "POST /api/referrals/{reference}/accept");
        Assert.Contains(log, e => e is { ActorId: "manager-1", Outcome: "allowed" } && e.Action == "GET /api/referrals/{reference}");
        Assert.Contains(log, e => e is { ActorId: "analyst-1", Role: "Analyst", Outcome: "refused" });
        Assert.Contains(log, e => e is { ActorId: "practitioner-york", Outcome: "not-found" });
        Assert.Equal(log.Select((e, i) => (long)i + 1), log.Select(e => e.Sequence));
    }

    [Fact]
    public async Task ATamperedEntryIsReportedByTheVerification()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        await _hh.AcceptAsync(reference);
        await _hh.GetAsync($"/api/referrals/{reference}", StaffActor.Manager);
        var client = factory.CreateClient();
        var verify = new HttpRequestMessage(HttpMethod.Post, "/api/audit/verify");
        verify.Headers.Add("X-Actor-Id", "admin-1");
        verify.Headers.Add("X-Actor-Role", "admin");
        Assert.Empty((await (await client.SendAsync(verify)).Content.ReadFromJsonAsync<List<AuditVerification>>())!);

        var table = factory.Services.GetRequiredService<TableProvider>().Get(AuditTables.Audit);
        await table.UpdateEntityAsync(new TableEntity(reference, "entry|000000000001") { ["ActorId"] = "someone-else" }, Azure.ETag.All, TableUpdateMode.Merge);

        var again = new HttpRequestMessage(HttpMethod.Post, "/api/audit/verify");
        again.Headers.Add("X-Actor-Id", "admin-1");
        again.Headers.Add("X-Actor-Role", "admin");
        var broken = Assert.Single((await (await client.SendAsync(again)).Content.ReadFromJsonAsync<List<AuditVerification>>())!);
        Assert.Equal(reference, broken.RecordId);
        Assert.Equal(1, broken.FirstBrokenSequence);
    }

    [Fact]
    public async Task TheVerificationCommandExitsWithFailureAndNamesTheFirstBrokenLink()
    {
        // Tables of its own: the command checks every chain under the prefix.
        using var own = new HandInHandFactory();
        var hh = new LifecycleDriver(own);
        var reference = await hh.SubmitAsync(hh.Form());
        await hh.AcceptAsync(reference);
        await hh.GetAsync($"/api/referrals/{reference}", StaffActor.Manager);
        Assert.Equal(0, (await RunVerifyCommandAsync(own.TablePrefix)).ExitCode);

        var table = own.Services.GetRequiredService<TableProvider>().Get(AuditTables.Audit);
        await table.DeleteEntityAsync(reference, "entry|000000000001", Azure.ETag.All);

        var (exitCode, output) = await RunVerifyCommandAsync(own.TablePrefix);
        Assert.Equal(1, exitCode);
        Assert.Contains($"{reference}: broken at entry 1", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunVerifyCommandAsync(string tablePrefix)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "HandInHand.Host.dll"), AuditCommand.Name])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["Storage__ConnectionString"] = TestStorage.ConnectionString;
        info.Environment["Storage__TablePrefix"] = tablePrefix;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
