using System.Runtime.InteropServices;

namespace Scratch.Kernels.Cuda.Native;

/// <summary>
/// The NVRTC entry points Scratch uses (nvrtc.h), bound to the library that <see cref="CudaLibraries"/>
/// located. <c>nvrtcProgram</c> is a pointer; strings are NUL-terminated UTF-8.
/// </summary>
internal static unsafe partial class NvrtcApi
{
    private const string Lib = CudaLibraries.NvrtcImportName;

    // The resolver must be in place before the runtime binds the first entry point.
    static NvrtcApi() => CudaLibraries.EnsureResolverRegistered();

    [LibraryImport(Lib)] internal static partial byte* nvrtcGetErrorString(NvrtcResult result);
    [LibraryImport(Lib)] internal static partial NvrtcResult nvrtcVersion(out int major, out int minor);
    [LibraryImport(Lib)] internal static partial NvrtcResult nvrtcGetNumSupportedArchs(out int count);
    [LibraryImport(Lib)] internal static partial NvrtcResult nvrtcGetSupportedArchs(int* architectures);

    [LibraryImport(Lib)]
    internal static partial NvrtcResult nvrtcCreateProgram(out nint program, byte* source, byte* name,
        int headerCount, byte** headers, byte** includeNames);

    [LibraryImport(Lib)] internal static partial NvrtcResult nvrtcDestroyProgram(nint* program);
    [LibraryImport(Lib)] internal static partial NvrtcResult nvrtcAddNameExpression(nint program, byte* nameExpression);
    [LibraryImport(Lib)] internal static partial NvrtcResult nvrtcCompileProgram(nint program, int optionCount, byte** options);
    [LibraryImport(Lib)] internal static partial NvrtcResult nvrtcGetProgramLogSize(nint program, out nuint size);
    [LibraryImport(Lib)] internal static partial NvrtcResult nvrtcGetProgramLog(nint program, byte* log);
    [LibraryImport(Lib)] internal static partial NvrtcResult nvrtcGetPTXSize(nint program, out nuint size);
    [LibraryImport(Lib)] internal static partial NvrtcResult nvrtcGetPTX(nint program, byte* ptx);
    [LibraryImport(Lib)] internal static partial NvrtcResult nvrtcGetLoweredName(nint program, byte* nameExpression, out byte* loweredName);
}
