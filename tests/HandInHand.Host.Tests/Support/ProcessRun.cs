using System.Diagnostics;

namespace HandInHand.Host.Tests.Support;

/// <summary>One run of a process the tests start (the Bicep CLI, the host): its exit code and both outputs.</summary>
internal sealed record ProcessRun(int ExitCode, string Output, string Error)
{
    /// <summary>
    /// Starts <paramref name="info"/> with both outputs redirected and waits for it to exit; null when it
    /// was still running after <paramref name="limit"/> (it is then killed, with its children).
    /// </summary>
    public static async Task<ProcessRun?> RunAsync(ProcessStartInfo info, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(info);
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var process = Process.Start(info) ?? throw new InvalidOperationException(info.FileName + " did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return null;
        }

        return new ProcessRun(process.ExitCode, await output, await error);
    }
}
