using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;

namespace Scratch.Benchmarks;

/// <summary>
/// Float32 square GEMM C = A·B through <see cref="IBackend.MatMul"/> on the CPU backend, on 1 and 2 threads,
/// with GFLOP/s (2·n³ flops per call) in the summary.
/// </summary>
[Config(typeof(GemmConfig))]
public class GemmBenchmark
{
    private BufferView _a, _b, _c;
    private int _savedThreads;

    [Params(256, 512, 1024)]
    public int Size { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _savedThreads = CpuParallel.ThreadCount;
        CpuParallel.ThreadCount = Threads;
        _a = Random(Size, 1);
        _b = Random(Size, 2);
        _c = BufferView.Contiguous(CpuBackend.Instance.Allocate(DType.Float32, (long)Size * Size), [Size, Size]);
    }

    [GlobalCleanup]
    public void Cleanup() => CpuParallel.ThreadCount = _savedThreads;

    [Benchmark]
    public void MatMul() => CpuBackend.Instance.MatMul(_a, _b, _c);

    private static BufferView Random(int n, int seed)
    {
        var rng = new Random(seed);
        var values = new float[n * n];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        var buffer = CpuBackend.Instance.Allocate(DType.Float32, values.Length);
        CpuBackend.Instance.Upload<float>(values, buffer, 0);
        return BufferView.Contiguous(buffer, [n, n]);
    }

    private sealed class GemmConfig : ManualConfig
    {
        public GemmConfig()
        {
            static double Flops(BenchmarkDotNet.Running.BenchmarkCase c)
            {
                double n = (int)c.Parameters["Size"];
                return 2 * n * n * n;
            }
            AddColumn(new GflopsColumn(Flops, best: false), new GflopsColumn(Flops, best: true));
        }
    }
}
