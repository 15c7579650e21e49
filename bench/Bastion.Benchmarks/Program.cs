using Bastion.Benchmarks;
using BenchmarkDotNet.Running;

// `hashrate [seconds] [threads]` measures raw password verifications per second on every core, the ceiling that
// login throughput is compared with (bench/run.sh). Anything else is BenchmarkDotNet's command line.
if (args is ["hashrate", .. var rest])
{
    return HashRate.Run(rest);
}

BenchmarkSwitcher.FromAssembly(typeof(PasswordHashingBenchmarks).Assembly).Run(args);
return 0;
