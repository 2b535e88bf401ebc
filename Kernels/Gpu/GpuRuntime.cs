using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu;

/// <summary>
/// The entry point to Scratch's GPU backend: one ILGPU <see cref="Context"/> per process (CUDA devices
/// plus ILGPU's CPU accelerator), whether a real GPU can be used and why not, and one
/// <see cref="GpuBackend"/> per device. The same kernels run on both: PTX through ILGPU's CUDA
/// accelerator on an NVIDIA GPU, and ILGPU's CPU accelerator (warp size 32, real groups, barriers,
/// shared memory and warp shuffles) where <see cref="Simulator"/> is used, as in the test suite.
/// </summary>
public static class GpuRuntime
{
    private static readonly Lazy<State> _state = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Dictionary<int, GpuBackend> _cuda = [];
    private static readonly Lazy<GpuBackend> _simulator = new(CreateSimulator, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly object _gate = new();

    /// <summary>True when an NVIDIA GPU and its driver were found and ILGPU can use them.</summary>
    public static bool CudaAvailable => _state.Value.CudaDevices.Length > 0;

    /// <summary>Why no GPU can be used (what was looked for and where), or null when one can.</summary>
    public static string? CudaUnavailableReason => CudaAvailable ? null : _state.Value.CudaReason;

    /// <summary>Number of CUDA devices ILGPU found (0 without a driver).</summary>
    public static int CudaDeviceCount => _state.Value.CudaDevices.Length;

    /// <summary>Where the CUDA driver library was loaded from, when it was.</summary>
    public static string? DriverLibraryPath => CudaDriverResolver.Driver.Path;

    /// <summary>The ILGPU context shared by every backend (created on first use).</summary>
    internal static Context Context => _state.Value.Context;

    /// <summary>The backend of CUDA device <paramref name="ordinal"/>, created on first use.</summary>
    /// <exception cref="InvalidOperationException">No GPU is available; the message says what was looked for.</exception>
    public static GpuBackend Cuda(int ordinal = 0)
    {
        var state = _state.Value;
        if (state.CudaDevices.Length == 0) throw new InvalidOperationException($"cuda:{ordinal} is unavailable: {state.CudaReason}");
        if (ordinal < 0 || ordinal >= state.CudaDevices.Length)
            throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, $"cuda: no device {ordinal}; this machine has {state.CudaDevices.Length}");
        lock (_gate)
        {
            if (!_cuda.TryGetValue(ordinal, out var backend))
            {
                var device = state.CudaDevices[ordinal];
                backend = new GpuBackend($"cuda:{ordinal}", device.CreateAccelerator(state.Context), isSimulator: false);
                _cuda[ordinal] = backend;
            }
            return backend;
        }
    }

    /// <summary>
    /// The GPU backend on ILGPU's CPU accelerator: the GPU kernels executed with SIMT semantics on the
    /// host (slow: microseconds per element), so that every GPU kernel runs in CI without a GPU.
    /// </summary>
    public static GpuBackend Simulator => _simulator.Value;

    private static GpuBackend CreateSimulator()
    {
        var state = _state.Value;
        // The predefined warp-32 device with groups of up to 1024 threads, as a CUDA GPU has. Hand-made
        // CPU devices gave wrong warp-shuffle results in an earlier experiment (../shared/GPU.md).
        CPUDevice? chosen = null;
        foreach (var device in state.Context.GetCPUDevices())
        {
            if (device.WarpSize == 32 && device.MaxNumThreadsPerGroup == 1024) { chosen = device; break; }
        }
        if (chosen is null) throw new InvalidOperationException("ILGPU offers no CPU accelerator with warp size 32 and 1024 threads per group");
        return new GpuBackend("gpu-sim", chosen.CreateAccelerator(state.Context), isSimulator: true);
    }

    private sealed record State(Context Context, CudaDevice[] CudaDevices, string? CudaReason);

    private static State Initialize()
    {
        string? reason = null;
        bool driver = CudaDriverResolver.Register(out string? driverProblem);
        if (!driver) reason = driverProblem;
        Context context;
        try
        {
            context = Context.Create(builder =>
            {
                builder.CPU().EnableAlgorithms().Optimize(OptimizationLevel.O2);
                if (driver) builder.Cuda();
            });
        }
        catch (Exception e) when (driver)
        {
            // A driver that loads but does not initialise (no device node, a mismatched kernel module).
            reason = $"the CUDA driver at {CudaDriverResolver.Driver.Path} failed to initialise: {e.Message}";
            context = Context.Create(builder => builder.CPU().EnableAlgorithms().Optimize(OptimizationLevel.O2));
        }
        CudaDevice[] devices = [.. context.GetCudaDevices()];
        if (driver && devices.Length == 0 && reason is null) reason = $"the CUDA driver at {CudaDriverResolver.Driver.Path} reports no device";
        return new State(context, devices, reason);
    }
}
