using System.Diagnostics;
using System.Globalization;
using Bastion.Accounts.Passwords;

namespace Bastion.Benchmarks;

/// <summary>
/// Verifies one Argon2id hash in a loop on <c>threads</c> dedicated threads (default: one per core) for a fixed
/// time and prints verifications per second, what a sign-in would reach if it cost nothing but the hash, and the
/// process CPU time per verification, which other load on the machine disturbs less than throughput.
/// </summary>
internal static class HashRate
{
    public static int Run(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.ProcessorCount;

        var hasher = BenchmarkHashers.Create(PasswordHashAlgorithm.Argon2id);
        var hash = hasher.Hash(BenchmarkHashers.Password);
        var counts = new long[threads];
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, threads).Select(index => new Thread(() =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                if (hasher.Verify(BenchmarkHashers.Password, hash) != PasswordVerification.Success)
                {
                    throw new InvalidOperationException("The benchmark hash does not verify.");
                }

                counts[index]++;
            }
        })).ToList();

        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        workers.ForEach(worker => worker.Start());
        workers.ForEach(worker => worker.Join());
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;

        var verifications = counts.Sum();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT verifies_per_s={verifications / elapsed:F1} cpu_us_per_verify={cpu.TotalMicroseconds / verifications:F0} threads={threads} seconds={elapsed:F1}"));
        return 0;
    }
}
