using System.Reflection;
using System.Runtime.InteropServices;

namespace Scratch.Kernels.Cuda.Native;

/// <summary>
/// Locates the CUDA driver (<c>libcuda.so.1</c>) and NVRTC (<c>libnvrtc.so*</c>, CUDA 11.2 to 13) once per
/// process, and routes the <see cref="LibraryImportAttribute"/> bindings of this assembly to them through
/// <see cref="NativeLibrary.SetDllImportResolver"/>.
/// </summary>
internal static class CudaLibraries
{
    /// <summary>The import name the driver bindings use; the resolver maps it to the located file.</summary>
    internal const string DriverImportName = "scratch-cuda-driver";

    /// <summary>The import name the NVRTC bindings use.</summary>
    internal const string NvrtcImportName = "scratch-nvrtc";

    /// <summary>Variable naming the driver library file or its folder.</summary>
    public const string DriverVariable = "SCRATCH_CUDA_PATH";

    /// <summary>Variable naming the NVRTC library file or its folder.</summary>
    public const string NvrtcVariable = "SCRATCH_NVRTC_PATH";

    /// <summary>The driver library spec: libcuda.so.1 (the driver package installs no other name reliably).</summary>
    public static LibrarySpec DriverSpec { get; } = new(
        "the CUDA driver library",
        DriverVariable,
        OperatingSystem.IsWindows() ? ["nvcuda.dll"] : ["libcuda.so.1", "libcuda.so"],
        SystemFolders(includeToolkit: false));

    /// <summary>The NVRTC spec: the unversioned name, then the sonames of CUDA 13, 12 and 11.2+.</summary>
    public static LibrarySpec NvrtcSpec { get; } = new(
        "NVRTC (the CUDA runtime compiler)",
        NvrtcVariable,
        OperatingSystem.IsWindows()
            ? ["nvrtc64_130_0.dll", "nvrtc64_120_0.dll", "nvrtc64_112_0.dll"]
            : ["libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2"],
        SystemFolders(includeToolkit: true));

    private static readonly Lazy<LibraryLocation> _driver = new(() => LocateFromEnvironment(DriverSpec, DriverVariable));
    private static readonly Lazy<LibraryLocation> _nvrtc = new(() => LocateFromEnvironment(NvrtcSpec, NvrtcVariable));
    private static int _resolverRegistered;

    /// <summary>The driver, located on first use.</summary>
    public static LibraryLocation Driver => _driver.Value;

    /// <summary>NVRTC, located on first use.</summary>
    public static LibraryLocation Nvrtc => _nvrtc.Value;

    /// <summary>Installs the import resolver for this assembly (idempotent).</summary>
    public static void EnsureResolverRegistered()
    {
        if (Interlocked.Exchange(ref _resolverRegistered, 1) == 1) return;
        NativeLibrary.SetDllImportResolver(typeof(CudaLibraries).Assembly, Resolve);
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) => name switch
    {
        DriverImportName => Driver.Handle,
        NvrtcImportName => Nvrtc.Handle,
        _ => 0, // not ours: the runtime's default probing applies
    };

    private static LibraryLocation LocateFromEnvironment(LibrarySpec spec, string variable)
        => LibrarySearch.Locate(spec, Environment.GetEnvironmentVariable(variable), Environment.GetEnvironmentVariable("LD_LIBRARY_PATH"));

    private static string[] SystemFolders(bool includeToolkit)
    {
        var folders = new List<string>();
        if (includeToolkit) folders.AddRange(LibrarySearch.CudaToolkitLibraryFolders());
        folders.Add("/usr/lib/x86_64-linux-gnu");
        folders.Add("/usr/lib64");
        folders.Add("/usr/lib/wsl/lib"); // WSL2 puts the driver here
        return [.. folders];
    }
}
