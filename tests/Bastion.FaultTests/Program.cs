using System.Runtime.InteropServices;
using Bastion.FaultTests;
using Bastion.FaultTests.Cluster;
using Bastion.FaultTests.Report;

// Exit codes: 0 every goal met, 1 a goal missed, 2 the suite could not run (usage, set-up, a time limit).
if (RunOptions.Parse(args) is not { } options)
{
    Console.Error.WriteLine(RunOptions.Usage);
    return 2;
}

// A whole run has a time limit, so that a wait that never ends fails the run instead of hanging CI.
using var stop = new CancellationTokenSource(options.Short ? TimeSpan.FromMinutes(6) : TimeSpan.FromMinutes(25));
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

try
{
    var environment = FaultEnvironment.FromVariables();
    Console.Error.WriteLine($"== Starting two nodes ({string.Join(", ", environment.NodePorts)}) on PostgreSQL and Redis");
    await using var cluster = await TestCluster.StartAsync(environment, stop.Token);
    var summary = await new FaultSuite(cluster, options).RunAsync(stop.Token);

    Console.WriteLine(ConsoleTable.Render(summary));
    if (options.ReportPath is { } path)
    {
        await File.WriteAllTextAsync(path, MarkdownReport.Render(summary));
        Console.Error.WriteLine($"Markdown report: {path}");
    }

    return summary.Missed.Count == 0 ? 0 : 1;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("The fault suite was stopped (interrupted or over its time limit).");
    return 2;
}
catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or Npgsql.NpgsqlException or HttpRequestException)
{
    Console.Error.WriteLine($"The fault suite could not run: {e.Message}");
    return 2;
}
