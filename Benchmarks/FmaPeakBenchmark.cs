using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Scratch.Benchmarks;

/// <summary>
/// The machine's float32 FMA peak as .NET reaches it: 12 independent chains of 512-bit fused
/// multiply-adds in registers (no memory traffic) on 1 and 2 threads. The GEMM figures in
/// docs/benchmarks.md are given as a share of this.
/// </summary>
[Config(typeof(PeakConfig))]
public class FmaPeakBenchmark
{
    private const long Iterations = 10_000_000;
    private const int Chains = 12;

    [Params(1, 2)]
    public int Threads { get; set; }

    [Benchmark]
    public float Fma()
    {
        if (Threads == 1) return Chain();
        var results = new float[Threads];
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t => results[t] = Chain());
        return results.Sum();
    }

    private static float Chain()
    {
        var x = Vector512.Create(0.999999f);
        var y = Vector512.Create(1e-7f);
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector512<float> c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (long i = 0; i < Iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, x, y); c1 = Vector512.FusedMultiplyAdd(c1, x, y);
            c2 = Vector512.FusedMultiplyAdd(c2, x, y); c3 = Vector512.FusedMultiplyAdd(c3, x, y);
            c4 = Vector512.FusedMultiplyAdd(c4, x, y); c5 = Vector512.FusedMultiplyAdd(c5, x, y);
            c6 = Vector512.FusedMultiplyAdd(c6, x, y); c7 = Vector512.FusedMultiplyAdd(c7, x, y);
            c8 = Vector512.FusedMultiplyAdd(c8, x, y); c9 = Vector512.FusedMultiplyAdd(c9, x, y);
            c10 = Vector512.FusedMultiplyAdd(c10, x, y); c11 = Vector512.FusedMultiplyAdd(c11, x, y);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    private sealed class PeakConfig : ManualConfig
    {
        public PeakConfig()
        {
            static double Flops(BenchmarkDotNet.Running.BenchmarkCase c)
                => 2.0 * Vector512<float>.Count * Chains * Iterations * (int)c.Parameters["Threads"];
            AddColumn(new GflopsColumn(Flops, best: false), new GflopsColumn(Flops, best: true));
        }
    }
}
