using Scratch.Kernels.Cuda.Native;
using static Scratch.Kernels.Cuda.Native.CudaDriverApi;

namespace Scratch.Kernels.Cuda;

/// <summary>
/// The entry point to CUDA: whether it can be used here (driver, device and NVRTC found), why not,
/// and the one <see cref="CudaBackend"/> per device.
/// </summary>
public static class CudaRuntime
{
    private static readonly Lazy<(int Count, string? Reason, int DriverVersion)> _state = new(Initialize);
    private static readonly Dictionary<int, CudaBackend> _backends = [];
    private static readonly object _gate = new();

    /// <summary>True when the CUDA driver, at least one device and NVRTC are available.</summary>
    public static bool IsAvailable => UnavailableReason is null;

    /// <summary>Why CUDA cannot be used (what was looked for and where), or null when it can.</summary>
    public static string? UnavailableReason => _state.Value.Reason ?? NvrtcUnavailableReason;

    /// <summary>Number of CUDA devices (0 when the driver is missing).</summary>
    public static int DeviceCount => _state.Value.Count;

    /// <summary>The driver's CUDA version as major.minor (e.g. 13.0), or null without a driver.</summary>
    public static Version? DriverVersion
        => _state.Value.DriverVersion > 0 ? new Version(_state.Value.DriverVersion / 1000, _state.Value.DriverVersion % 1000 / 10) : null;

    /// <summary>Where the driver library was loaded from, when found.</summary>
    public static string? DriverLibraryPath => CudaLibraries.Driver.Path;

    /// <summary>True when NVRTC was found (kernels can be compiled, with or without a GPU).</summary>
    public static bool NvrtcAvailable => CudaCompiler.IsAvailable;

    /// <summary>Why NVRTC is unavailable, or null.</summary>
    public static string? NvrtcUnavailableReason => CudaCompiler.UnavailableReason;

    /// <summary>The backend of device <paramref name="ordinal"/>, created on first use; throws <see cref="InvalidOperationException"/> with the reason when CUDA is unavailable.</summary>
    public static CudaBackend GetBackend(int ordinal = 0)
    {
        if (UnavailableReason is { } reason) throw new InvalidOperationException($"CUDA is unavailable: {reason}");
        if (ordinal < 0 || ordinal >= DeviceCount)
            throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, $"cuda: no device {ordinal}; this machine has {DeviceCount}");
        lock (_gate)
        {
            if (!_backends.TryGetValue(ordinal, out var backend))
            {
                backend = new CudaBackend(ordinal);
                _backends[ordinal] = backend;
            }
            return backend;
        }
    }

    private static (int, string?, int) Initialize()
    {
        var driver = CudaLibraries.Driver;
        if (!driver.Found) return (0, driver.FailureMessage(), 0);
        try
        {
            var init = cuInit(0);
            if (init == CuResult.NoDevice) return (0, $"no CUDA device (the driver at {driver.Path} reports none)", 0);
            if (init != CuResult.Success)
                return (0, $"cuInit failed with {CudaException.Describe(init)} (driver library {driver.Path})", 0);
            cuDriverGetVersion(out int version);
            var count = cuDeviceGetCount(out int devices);
            if (count != CuResult.Success)
                return (0, $"cuDeviceGetCount failed with {CudaException.Describe(count)}", version);
            return devices == 0 ? (0, "no CUDA device", version) : (devices, null, version);
        }
        catch (EntryPointNotFoundException e)
        {
            return (0, $"the library at {driver.Path} is not a usable CUDA driver: {e.Message}", 0);
        }
    }
}
