using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Gpu;

namespace Scratch;

/// <summary>Kind of compute device.</summary>
public enum DeviceKind
{
    /// <summary>The host processor.</summary>
    Cpu,
    /// <summary>An NVIDIA GPU: the GPU kernels compiled to PTX by ILGPU, run by its CUDA accelerator.</summary>
    Cuda,
    /// <summary>
    /// The same GPU kernels run by ILGPU's CPU accelerator (warp size 32, real groups, barriers, shared
    /// memory and warp shuffles): a GPU-kind device without a GPU, for tests. Slow (microseconds per element).
    /// </summary>
    SimulatedGpu,
}

/// <summary>Where an array lives and whose kernels run on it: <see cref="Cpu"/>, <see cref="Cuda"/>(ordinal) or <see cref="SimulatedGpu"/>.</summary>
/// <param name="Kind">CPU, CUDA or the simulated GPU.</param>
/// <param name="Ordinal">GPU index (0 for the CPU).</param>
public readonly record struct Device(DeviceKind Kind, int Ordinal)
{
    private static int _fallbackReported;

    /// <summary>The host processor.</summary>
    public static Device Cpu => new(DeviceKind.Cpu, 0);

    /// <summary>GPU number <paramref name="ordinal"/>.</summary>
    public static Device Cuda(int ordinal = 0) => new(DeviceKind.Cuda, ordinal);

    /// <summary>The GPU kernels on ILGPU's CPU accelerator (<c>gpu-sim</c>): what the test suite runs the GPU backend on.</summary>
    public static Device SimulatedGpu => new(DeviceKind.SimulatedGpu, 0);

    /// <summary>True for devices whose kernels are the GPU backend's (<see cref="Cuda"/> and <see cref="SimulatedGpu"/>).</summary>
    public bool IsGpuKind => Kind is DeviceKind.Cuda or DeviceKind.SimulatedGpu;

    /// <summary>
    /// CUDA device 0 when CUDA is usable, else the CPU; the fallback is reported once on
    /// <see cref="Warning"/> (standard error by default), with the reason.
    /// </summary>
    public static Device Auto
    {
        get
        {
            if (DeviceBackends.CudaAvailable) return Cuda(0);
            if (Interlocked.Exchange(ref _fallbackReported, 1) == 0)
                Warning($"scratch: CUDA is not available ({DeviceBackends.CudaUnavailableReason}); falling back to the CPU.");
            return Cpu;
        }
    }

    /// <summary>Where warnings such as the CPU fallback go (standard error by default).</summary>
    public static Action<string> Warning { get; set; } = message => Console.Error.WriteLine(message);

    /// <summary>True when a CUDA device can be used.</summary>
    public static bool CudaAvailable => DeviceBackends.CudaAvailable;

    /// <summary>Why CUDA cannot be used, or null when it can.</summary>
    public static string? CudaUnavailableReason => DeviceBackends.CudaUnavailableReason;

    /// <summary>The backend that runs kernels on this device; throws with the reason when it is unavailable.</summary>
    public IBackend Backend => DeviceBackends.Get(this);

    /// <summary>Parses <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, <c>gpu-sim</c> or <c>auto</c> (case-insensitive).</summary>
    public static Device Parse(string text)
    {
        string t = text.Trim().ToLowerInvariant();
        if (t == "cpu") return Cpu;
        if (t == "auto") return Auto;
        if (t == "gpu-sim") return SimulatedGpu;
        if (t == "cuda" || t == "gpu") return Cuda(0);
        if (t.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(t.AsSpan(5), out int ordinal) && ordinal >= 0)
            return Cuda(ordinal);
        throw new FormatException($"unknown device '{text}' (expected cpu, cuda, cuda:N, gpu-sim or auto)");
    }

    /// <summary><c>cpu</c>, <c>cuda:N</c> or <c>gpu-sim</c>.</summary>
    public override string ToString() => Kind switch
    {
        DeviceKind.Cpu => "cpu",
        DeviceKind.SimulatedGpu => "gpu-sim",
        _ => $"cuda:{Ordinal}",
    };
}

/// <summary>Maps devices to backends.</summary>
internal static class DeviceBackends
{
    public static IBackend Get(Device device) => device.Kind switch
    {
        DeviceKind.Cpu => CpuBackend.Instance,
        DeviceKind.Cuda => CudaBackendFor(device.Ordinal),
        DeviceKind.SimulatedGpu => GpuRuntime.Simulator,
        _ => throw new ArgumentOutOfRangeException(nameof(device), device, "unknown device kind"),
    };

    public static bool CudaAvailable => GpuRuntime.CudaAvailable;

    public static string? CudaUnavailableReason => GpuRuntime.CudaUnavailableReason;

    private static IBackend CudaBackendFor(int ordinal)
    {
        if (!GpuRuntime.CudaAvailable)
            throw new InvalidOperationException($"cuda:{ordinal} is unavailable: {GpuRuntime.CudaUnavailableReason}");
        if (ordinal >= GpuRuntime.CudaDeviceCount)
            throw new InvalidOperationException($"cuda:{ordinal} does not exist: {GpuRuntime.CudaDeviceCount} CUDA device(s) found");
        return GpuRuntime.Cuda(ordinal);
    }
}
