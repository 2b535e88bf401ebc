using BenchmarkDotNet.Running;

namespace Scratch.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project Benchmarks -- --filter '*Gemm*'</c>. The switch
/// <c>--inprocess</c> (BenchmarkDotNet's own <c>--inProcess</c>, in any case) runs the benchmarks inside
/// this process with the in-process emit toolchain: no per-benchmark build, so quicker. Don't pass
/// <c>--runtimes</c>: BenchmarkDotNet 0.14 does not know net10.0.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        string[] forwarded = args
            .Select(arg => string.Equals(arg, "--inprocess", StringComparison.OrdinalIgnoreCase) ? "--inProcess" : arg)
            .ToArray();
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(forwarded);
    }
}
