using System.Reflection;
using System.Runtime.InteropServices;
using ILGPU;

namespace Scratch.Kernels.Gpu.Runtime;

/// <summary>
/// Points ILGPU's CUDA bindings at the driver library. ILGPU imports it as <c>cuda</c>, which the
/// default loader turns into <c>libcuda.so</c>: a name only the driver's development package installs.
/// Machines with just the driver have <c>libcuda.so.1</c>, so Scratch locates the driver itself
/// (override variable, LD_LIBRARY_PATH, the usual folders, then the default loader; every place tried is
/// recorded for the message) and resolves ILGPU's import to it.
/// </summary>
internal static class CudaDriverResolver
{
    private const string IlgpuImportName = "cuda";
    private static int _registered;

    /// <summary>The driver library, located on first use.</summary>
    public static LibraryLocation Driver => CudaDriverLocation.Driver;

    /// <summary>Installs the resolver for ILGPU's assembly; false (with the reason) when no driver was found.</summary>
    public static bool Register(out string? problem)
    {
        problem = null;
        if (!Driver.Found)
        {
            problem = Driver.FailureMessage();
            return false;
        }
        if (Interlocked.Exchange(ref _registered, 1) == 1) return true;
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(Context).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // ILGPU installed its own resolver (it does under WSL); its search then applies.
        }
        return true;
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
        => string.Equals(name, IlgpuImportName, StringComparison.OrdinalIgnoreCase) || name.StartsWith("nvcuda", StringComparison.OrdinalIgnoreCase)
            ? Driver.Handle
            : 0;
}
