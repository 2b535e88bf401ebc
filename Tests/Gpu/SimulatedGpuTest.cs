using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Gpu;
using Scratch.Tests.Support;

namespace Scratch.Tests.Gpu;

/// <summary>
/// Base of the GPU-kernel tests that run on ILGPU's CPU accelerator (<see cref="GpuRuntime.Simulator"/>) in
/// every CI run: the same inputs on the CPU reference backend and on the GPU backend, compared elementwise
/// with |gpu − cpu| ≤ atol + rtol·|cpu| (NaN must match NaN, infinities must match exactly). Inputs are kept
/// small: the simulator costs microseconds per element.
/// </summary>
[Category("GpuSimulator")]
public abstract class SimulatedGpuTest
{
    /// <summary>The GPU backend on the simulator.</summary>
    protected static GpuBackend Gpu => GpuRuntime.Simulator;

    /// <summary>The CPU reference.</summary>
    protected static CpuBackend Cpu => CpuBackend.Instance;

    /// <summary>Unit roundoff of float32 and float64.</summary>
    protected const double U32 = 1.0 / (1 << 24), U64 = 1.0 / (1L << 53);

    [TearDown]
    public void SynchronizeAfterEachTest() => Gpu.Synchronize();

    /// <summary>The same view on both backends.</summary>
    protected static (BufferView Cpu, BufferView Gpu) Pair(DType dtype, int[] shape, Layout layout, double[] values)
        => (TestViews.Make(Cpu, dtype, shape, layout, values), TestViews.Make(Gpu, dtype, shape, layout, values));

    /// <summary>A contiguous output pair (contents irrelevant, but equal so in-place tests start alike).</summary>
    protected static (BufferView Cpu, BufferView Gpu) Output(DType dtype, params int[] shape) => Pair(dtype, shape, Layout.Contiguous, [-7]);

    protected static double[] Noise(int count, int seed) => TestViews.Noise(count, seed);

    protected static double[] Read(BufferView view) => TestViews.Read(view);

    protected static void AssertClose(BufferView cpu, BufferView gpu, double atol, double rtol, string what)
        => TestViews.AssertClose(Read(cpu), Read(gpu), _ => atol, rtol, what);
}
