namespace Scratch.Kernels.Gpu.Runtime;

/// <summary>
/// Where Scratch looks for the CUDA driver (<c>libcuda.so.1</c>; the unversioned <c>libcuda.so</c> only comes
/// with the driver's development package): the override variable, LD_LIBRARY_PATH, the usual system folders,
/// then the default loader. Located once per process; <see cref="CudaDriverResolver"/> hands the handle to ILGPU.
/// </summary>
internal static class CudaDriverLocation
{
    /// <summary>Variable naming the driver library file or its folder.</summary>
    public const string DriverVariable = "SCRATCH_CUDA_PATH";

    /// <summary>The driver library spec: libcuda.so.1 (the driver package installs no other name reliably).</summary>
    public static LibrarySpec DriverSpec { get; } = new(
        "the CUDA driver library",
        DriverVariable,
        OperatingSystem.IsWindows() ? ["nvcuda.dll"] : ["libcuda.so.1", "libcuda.so"],
        ["/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib/wsl/lib"]); // WSL2 puts the driver in the last

    private static readonly Lazy<LibraryLocation> _driver = new(() => LibrarySearch.Locate(
        DriverSpec, Environment.GetEnvironmentVariable(DriverVariable), Environment.GetEnvironmentVariable("LD_LIBRARY_PATH")));

    /// <summary>The driver, located on first use.</summary>
    public static LibraryLocation Driver => _driver.Value;
}
