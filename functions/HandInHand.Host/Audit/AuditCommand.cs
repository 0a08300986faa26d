using HandInHand.Infrastructure.Audit;

namespace HandInHand.Host.Audit;

/// <summary>
/// <c>HandInHand.Host verify-audit</c>: checks every record's audit chain against the configured
/// storage, prints the first broken link of each broken chain, and exits 1 if there is one.
/// </summary>
public static class AuditCommand
{
    public const string Name = "verify-audit";

    /// <summary>Runs the command when the arguments ask for it; false otherwise.</summary>
    public static async Task<bool> TryRunAsync(string[] args, WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(app);
        if (!args.Contains(Name, StringComparer.Ordinal))
        {
            return false;
        }

        var results = await app.Services.GetRequiredService<AuditTrail>().VerifyAllAsync();
        var broken = results.Where(r => !r.Intact).ToList();
        foreach (var result in broken)
        {
            await Console.Out.WriteLineAsync($"{result.RecordId}: broken at entry {result.FirstBrokenSequence} ({result.Problem})");
        }

        await Console.Out.WriteLineAsync($"{results.Count} audit chains checked, {broken.Count} broken.");
        Environment.ExitCode = broken.Count == 0 ? 0 : 1;
        return true;
    }
}
