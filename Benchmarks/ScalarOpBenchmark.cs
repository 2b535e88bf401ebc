using BenchmarkDotNet.Attributes;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;

namespace Scratch.Benchmarks;

/// <summary>
/// y = x · 2 on 1M contiguous float32 on the CPU, on 1 and 2 threads: the broadcast path it replaced
/// (<see cref="IBackend.Binary"/> with a 1-element operand of stride 0) against
/// <see cref="IBackend.BinaryScalar"/>, at kernel level and through <c>NDArray</c> (where the old path
/// also made the 0-d operand array per call).
/// </summary>
[MemoryDiagnoser]
public class ScalarOpBenchmark
{
    private const int Count = 1 << 20;
    private BufferView _x, _y, _broadcastTwo;
    private NDArray _array = null!;
    private int _savedThreads;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _savedThreads = CpuParallel.ThreadCount;
        CpuParallel.ThreadCount = Threads;
        var cpu = CpuBackend.Instance;
        var values = new float[Count];
        var random = new Random(1);
        for (int i = 0; i < Count; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        _x = BufferView.Contiguous(cpu.Allocate(DType.Float32, Count), [Count]);
        cpu.Upload<float>(values, _x.Buffer, 0);
        _y = BufferView.Contiguous(cpu.Allocate(DType.Float32, Count), [Count]);
        var two = BufferView.Contiguous(cpu.Allocate(DType.Float32, 1), [1]);
        cpu.Fill(two, 2);
        _broadcastTwo = two.WithLayout([Count], [0], 0);
        _array = NDArray.FromArray(values);
    }

    [GlobalCleanup]
    public void Cleanup() => CpuParallel.ThreadCount = _savedThreads;

    [Benchmark(Baseline = true, Description = "kernel: Binary, broadcast operand")]
    public void KernelBroadcast() => CpuBackend.Instance.Binary(BinaryOp.Mul, _x, _broadcastTwo, _y);

    [Benchmark(Description = "kernel: BinaryScalar")]
    public void KernelScalar() => CpuBackend.Instance.BinaryScalar(BinaryOp.Mul, _x, 2, false, _y);

    [Benchmark(Description = "NDArray: x * Scalar(2f) (old path)")]
    public void ArrayBroadcast()
    {
        using var two = NDArray.Scalar(2f);
        using var y = _array * two;
    }

    [Benchmark(Description = "NDArray: x * 2f")]
    public void ArrayScalar()
    {
        using var y = _array * 2f;
    }
}
