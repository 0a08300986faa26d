using HandInHand.Benchmark;

// The benchmark command: scripts/bench.sh starts Azurite and runs this. Everything is measured in
// one run on this machine, and every figure that depends on the machine is set against a baseline
// taken in the same run.
if (args.Contains("--staff-views"))
{
    // Issue 14's separate mode: the staff views over a case board of growing sizes.
    return await StaffViewsRun.MainAsync(args);
}

var options = BenchmarkOptions.Parse(args);
var report = await BenchmarkRun.RunAsync(options);
Console.Out.Write(report.Markdown());
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Output))!);
await File.WriteAllTextAsync(options.Output, report.Json());
Console.Error.WriteLine($"[bench] wrote {options.Output}");
return 0;
