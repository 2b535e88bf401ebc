using System.Runtime.InteropServices;

namespace Scratch.Kernels.Cuda.Native;

/// <summary>
/// The CUDA driver API entry points Scratch uses (cuda.h), bound to the library that
/// <see cref="CudaLibraries"/> located. Names are the exported symbols: where cuda.h maps a name to a
/// versioned symbol (<c>#define cuMemAlloc cuMemAlloc_v2</c>) the versioned one is bound.
/// CUdevice is an int, CUdeviceptr a 64-bit unsigned integer, every other handle a pointer.
/// </summary>
internal static unsafe partial class CudaDriverApi
{
    private const string Lib = CudaLibraries.DriverImportName;

    // The resolver must be in place before the runtime binds the first entry point.
    static CudaDriverApi() => CudaLibraries.EnsureResolverRegistered();

    [LibraryImport(Lib)] internal static partial CuResult cuInit(uint flags);
    [LibraryImport(Lib)] internal static partial CuResult cuDriverGetVersion(out int driverVersion);
    [LibraryImport(Lib)] internal static partial CuResult cuGetErrorName(CuResult error, out nint text);
    [LibraryImport(Lib)] internal static partial CuResult cuGetErrorString(CuResult error, out nint text);

    [LibraryImport(Lib)] internal static partial CuResult cuDeviceGetCount(out int count);
    [LibraryImport(Lib)] internal static partial CuResult cuDeviceGet(out int device, int ordinal);
    [LibraryImport(Lib)] internal static partial CuResult cuDeviceGetName(byte* name, int length, int device);
    [LibraryImport(Lib)] internal static partial CuResult cuDeviceGetAttribute(out int value, int attribute, int device);
    [LibraryImport(Lib)] internal static partial CuResult cuDeviceTotalMem_v2(out nuint bytes, int device);

    [LibraryImport(Lib)] internal static partial CuResult cuDevicePrimaryCtxRetain(out nint context, int device);
    [LibraryImport(Lib)] internal static partial CuResult cuDevicePrimaryCtxRelease_v2(int device);
    [LibraryImport(Lib)] internal static partial CuResult cuCtxSetCurrent(nint context);
    [LibraryImport(Lib)] internal static partial CuResult cuCtxSynchronize();

    [LibraryImport(Lib)] internal static partial CuResult cuMemGetInfo_v2(out nuint free, out nuint total);
    [LibraryImport(Lib)] internal static partial CuResult cuMemAlloc_v2(out ulong pointer, nuint bytes);
    [LibraryImport(Lib)] internal static partial CuResult cuMemFree_v2(ulong pointer);
    [LibraryImport(Lib)] internal static partial CuResult cuMemAllocHost_v2(out nint pointer, nuint bytes);
    [LibraryImport(Lib)] internal static partial CuResult cuMemFreeHost(nint pointer);
    [LibraryImport(Lib)] internal static partial CuResult cuMemcpyHtoDAsync_v2(ulong destination, void* source, nuint bytes, nint stream);
    [LibraryImport(Lib)] internal static partial CuResult cuMemcpyDtoHAsync_v2(void* destination, ulong source, nuint bytes, nint stream);
    [LibraryImport(Lib)] internal static partial CuResult cuMemcpyDtoDAsync_v2(ulong destination, ulong source, nuint bytes, nint stream);
    [LibraryImport(Lib)] internal static partial CuResult cuMemsetD32Async(ulong destination, uint value, nuint count, nint stream);

    [LibraryImport(Lib)] internal static partial CuResult cuStreamCreate(out nint stream, uint flags);
    [LibraryImport(Lib)] internal static partial CuResult cuStreamDestroy_v2(nint stream);
    [LibraryImport(Lib)] internal static partial CuResult cuStreamSynchronize(nint stream);

    [LibraryImport(Lib)] internal static partial CuResult cuEventCreate(out nint evt, uint flags);
    [LibraryImport(Lib)] internal static partial CuResult cuEventDestroy_v2(nint evt);
    [LibraryImport(Lib)] internal static partial CuResult cuEventRecord(nint evt, nint stream);
    [LibraryImport(Lib)] internal static partial CuResult cuEventSynchronize(nint evt);
    [LibraryImport(Lib)] internal static partial CuResult cuEventElapsedTime(out float milliseconds, nint start, nint end);

    [LibraryImport(Lib)] internal static partial CuResult cuModuleLoadDataEx(out nint module, void* image, uint optionCount, int* options, void** optionValues);
    [LibraryImport(Lib)] internal static partial CuResult cuModuleUnload(nint module);
    [LibraryImport(Lib)] internal static partial CuResult cuModuleGetFunction(out nint function, nint module, byte* name);

    [LibraryImport(Lib)]
    internal static partial CuResult cuLaunchKernel(nint function,
        uint gridDimX, uint gridDimY, uint gridDimZ,
        uint blockDimX, uint blockDimY, uint blockDimZ,
        uint sharedMemBytes, nint stream, void** kernelParams, void** extra);
}
