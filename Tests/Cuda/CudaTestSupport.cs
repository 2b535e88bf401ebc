using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Cuda;
using Scratch.Tests.Support;

namespace Scratch.Tests.Cuda;

/// <summary>How a test view is laid out in its buffer.</summary>
public enum Layout
{
    /// <summary>Row-major from element 0.</summary>
    Contiguous,
    /// <summary>Row-major starting at element 5 of a larger buffer.</summary>
    Offset,
    /// <summary>Dims stored in reverse order (a transposed/permuted view).</summary>
    Transposed,
    /// <summary>Every other element along the last dim.</summary>
    Strided,
    /// <summary>Stride 0 along dim 0 (inputs only: every index of dim 0 reads the same data).</summary>
    Broadcast,
}

/// <summary>
/// Base of the CPU-vs-CUDA parity tests: skipped, with the reason, unless CUDA is available. Builds
/// the same inputs on both backends (same buffer length, values and layout) and compares results
/// elementwise with |gpu − cpu| ≤ atol + rtol·|cpu| (NaN must match NaN, infinities must match exactly).
/// </summary>
[Category("Gpu")]
public abstract class CudaParityTest
{
    protected CudaBackend Gpu { get; private set; } = null!;
    protected static CpuBackend Cpu => CpuBackend.Instance;

    /// <summary>Unit roundoff of float32 and float64.</summary>
    protected const double U32 = 1.0 / (1 << 24), U64 = 1.0 / (1L << 53);

    [OneTimeSetUp]
    public void RequireCuda()
    {
        if (!CudaRuntime.IsAvailable) SkipWithoutGpu($"CUDA unavailable: {CudaRuntime.UnavailableReason}");
        Gpu = CudaRuntime.GetBackend();
    }

    /// <summary>
    /// Skips the test with <paramref name="reason"/>, or fails it when the environment variable
    /// <c>SCRATCH_REQUIRE_GPU=1</c> says this machine has a GPU (so a broken driver or library search is red, not skipped).
    /// </summary>
    public static void SkipWithoutGpu(string reason)
    {
        if (Environment.GetEnvironmentVariable("SCRATCH_REQUIRE_GPU") == "1") Assert.Fail($"SCRATCH_REQUIRE_GPU=1 but {reason}");
        Assert.Ignore(reason);
    }

    [TearDown]
    public void SynchronizeAfterEachTest()
    {
        if (CudaRuntime.IsAvailable) Gpu.Synchronize();
    }

    /// <summary>The same view on both backends.</summary>
    protected (BufferView Cpu, BufferView Gpu) Pair(DType dtype, int[] shape, Layout layout, double[] values)
        => (Make(Cpu, dtype, shape, layout, values), Make(Gpu, dtype, shape, layout, values));

    /// <summary>A contiguous output pair (contents irrelevant, but equal so in-place tests start alike).</summary>
    protected (BufferView Cpu, BufferView Gpu) Output(DType dtype, params int[] shape)
        => Pair(dtype, shape, Layout.Contiguous, [-7]);

    protected static BufferView Make(IBackend backend, DType dtype, int[] shape, Layout layout, double[] values) => TestViews.Make(backend, dtype, shape, layout, values);
    protected static double[] Noise(int count, int seed) => TestViews.Noise(count, seed);
    protected static double[] Read(BufferView view) => TestViews.Read(view);
    protected static void AssertClose(BufferView cpu, BufferView gpu, double atol, double rtol, string what) => TestViews.AssertClose(Read(cpu), Read(gpu), _ => atol, rtol, what);
    protected static void AssertClose(double[] expected, double[] actual, Func<int, double> atol, double rtol, string what) => TestViews.AssertClose(expected, actual, atol, rtol, what);
}

/// <summary>Test views in any <see cref="Layout"/>, reading them back, and tolerance comparisons.</summary>
public static class TestViews
{
    /// <summary>A view of <paramref name="shape"/> laid out as <paramref name="layout"/>, filled (every buffer element) from <paramref name="values"/> cycled.</summary>
    public static BufferView Make(IBackend backend, DType dtype, int[] shape, Layout layout, double[] values)
    {
        int rank = shape.Length;
        long count = BufferView.ElementCount(shape);
        var strides = new long[rank];
        long offset = 0, length;
        switch (layout)
        {
            case Layout.Transposed:
            {
                long step = 1;
                for (int d = 0; d < rank; d++)
                {
                    strides[d] = step;
                    step *= Math.Max(1, shape[d]);
                }
                length = count;
                break;
            }
            case Layout.Strided:
            {
                long step = 2;
                for (int d = rank - 1; d >= 0; d--)
                {
                    strides[d] = step;
                    step *= Math.Max(1, shape[d]);
                }
                length = Math.Max(1, 2 * count);
                break;
            }
            case Layout.Broadcast:
            {
                var inner = BufferView.ContiguousStrides(shape);
                for (int d = 0; d < rank; d++) strides[d] = d == 0 ? 0 : inner[d];
                length = rank == 0 || shape[0] == 0 ? count : count / shape[0];
                break;
            }
            default:
                strides = BufferView.ContiguousStrides(shape);
                offset = layout == Layout.Offset ? 5 : 0;
                length = count + offset + (layout == Layout.Offset ? 3 : 0);
                break;
        }
        var buffer = backend.Allocate(dtype, Math.Max(1, length));
        Upload(backend, buffer, values);
        return new BufferView(buffer, offset, shape, strides);
    }

    /// <summary>Values in [-1, 1) (pseudo-random, fixed by <paramref name="seed"/>).</summary>
    public static double[] Noise(int count, int seed) => Buffers.Noise(Math.Max(1, count), seed);

    public static void Upload(IBackend backend, DeviceBuffer buffer, double[] values)
    {
        long n = buffer.Length;
        switch (buffer.DType)
        {
            case DType.Float32: backend.Upload<float>(Enumerable.Range(0, (int)n).Select(i => (float)values[i % values.Length]).ToArray(), buffer, 0); break;
            case DType.Float64: backend.Upload<double>(Enumerable.Range(0, (int)n).Select(i => values[i % values.Length]).ToArray(), buffer, 0); break;
            default: backend.Upload<int>(Enumerable.Range(0, (int)n).Select(i => (int)Math.Round(values[i % values.Length])).ToArray(), buffer, 0); break;
        }
    }

    /// <summary>The view's elements as doubles, row-major.</summary>
    public static double[] Read(BufferView view) => view.DType switch
    {
        DType.Float32 => Buffers.Read<float>(view).Select(v => (double)v).ToArray(),
        DType.Float64 => Buffers.Read<double>(view),
        _ => Buffers.Read<int>(view).Select(v => (double)v).ToArray(),
    };

    public static void AssertClose(double[] expected, double[] actual, Func<int, double> atol, double rtol, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{what}: element count");
        int failures = 0;
        var report = new System.Text.StringBuilder();
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            bool ok = double.IsNaN(e) ? double.IsNaN(a)
                : double.IsInfinity(e) || double.IsInfinity(a) ? e == a
                : Math.Abs(a - e) <= atol(i) + rtol * Math.Abs(e);
            if (ok) continue;
            if (failures++ < 8) report.Append($"\n  [{i}] cpu {e:R} gpu {a:R} (|diff| {Math.Abs(a - e):G3}, allowed {atol(i) + rtol * Math.Abs(e):G3})");
        }
        Assert.That(failures, Is.Zero, $"{what}: {failures} of {expected.Length} elements differ{report}");
    }
}
