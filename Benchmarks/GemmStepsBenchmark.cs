using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;

namespace Scratch.Benchmarks;

/// <summary>
/// The optimisation steps of the CPU GEMM (docs/benchmarks.md), float32 1024³: two reference loops
/// written here, then the real driver with its micro-kernel, blocking and threads switched step by step.
/// The naive step takes seconds per call.
/// </summary>
[Config(typeof(StepsConfig))]
public unsafe class GemmStepsBenchmark
{
    private const int N = 1024;

    /// <summary>One row of the steps table.</summary>
    public enum Step
    {
        Naive,
        LoopOrderSimd,
        Vector256Tile,
        Vector512Tile,
        TextbookBlocking,
        Final,
        FinalTwoThreads,
    }

    private float[] _a = [], _b = [], _c = [];
    private BufferView _va, _vb, _vc;
    private int _savedThreads;

    [Params(Step.Naive, Step.LoopOrderSimd, Step.Vector256Tile, Step.Vector512Tile,
        Step.TextbookBlocking, Step.Final, Step.FinalTwoThreads)]
    public Step Variant { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _a = Enumerable.Range(0, N * N).Select(_ => (float)rng.NextDouble()).ToArray();
        _b = Enumerable.Range(0, N * N).Select(_ => (float)rng.NextDouble()).ToArray();
        _c = new float[N * N];
        _va = Upload(_a);
        _vb = Upload(_b);
        _vc = Upload(_c);
        _savedThreads = CpuParallel.ThreadCount;
        CpuParallel.ThreadCount = Variant == Step.FinalTwoThreads ? 2 : 1;
        GemmBlocking.ForceVector256 = Variant == Step.Vector256Tile;
        GemmBlocking.Tuning = Variant switch
        {
            Step.Vector256Tile or Step.Vector512Tile => (N, N),
            Step.TextbookBlocking => (384, 512),
            _ => null,
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        CpuParallel.ThreadCount = _savedThreads;
        GemmBlocking.ForceVector256 = false;
        GemmBlocking.Tuning = null;
    }

    [Benchmark]
    public void MatMul()
    {
        switch (Variant)
        {
            case Step.Naive:
                Naive();
                break;
            case Step.LoopOrderSimd:
                LoopOrderSimd();
                break;
            default:
                CpuBackend.Instance.MatMul(_va, _vb, _vc);
                break;
        }
    }

    /// <summary>Step 1: one scalar dot product per element of C.</summary>
    private void Naive()
    {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
            {
                float sum = 0;
                for (int p = 0; p < N; p++) sum += _a[i * N + p] * _b[p * N + j];
                _c[i * N + j] = sum;
            }
    }

    /// <summary>Step 2: rows of C updated with 512-bit FMAs, B read row by row; no packing, no blocking.</summary>
    private void LoopOrderSimd()
    {
        fixed (float* a = _a, b = _b, c = _c)
        {
            for (int i = 0; i < N; i++)
            {
                float* row = c + i * N;
                new Span<float>(row, N).Clear();
                for (int p = 0; p < N; p++)
                {
                    var scale = Vector512.Create(a[i * N + p]);
                    float* bRow = b + p * N;
                    for (int j = 0; j < N; j += Vector512<float>.Count)
                        Vector512.FusedMultiplyAdd(scale, Vector512.Load(bRow + j), Vector512.Load(row + j)).Store(row + j);
                }
            }
        }
    }

    private static BufferView Upload(float[] values)
    {
        var buffer = CpuBackend.Instance.Allocate(DType.Float32, values.Length);
        CpuBackend.Instance.Upload<float>(values, buffer, 0);
        return BufferView.Contiguous(buffer, [N, N]);
    }

    private sealed class StepsConfig : ManualConfig
    {
        public StepsConfig()
        {
            const double flops = 2.0 * N * N * N;
            AddColumn(new GflopsColumn(_ => flops, best: false), new GflopsColumn(_ => flops, best: true));
        }
    }
}
