using System.Runtime.InteropServices;
using Scratch.Kernels.Cuda.Native;
using static Scratch.Kernels.Cuda.Native.CudaDriverApi;

namespace Scratch.Kernels.Cuda.Runtime;

/// <summary>
/// One device's primary context and the single stream all of a backend's work is queued on. Driver
/// calls need the context current on the calling thread; <see cref="MakeCurrent"/> does that once per
/// thread (a thread-local remembers it).
/// </summary>
internal sealed unsafe class CudaContext
{
    [ThreadStatic] private static nint t_current;

    private readonly nint _context;

    public CudaContext(int ordinal)
    {
        Ordinal = ordinal;
        CudaException.Check(cuDeviceGet(out int device, ordinal), "cuDeviceGet", $"device {ordinal}");
        Device = device;
        Name = QueryName(device);
        Major = Attribute(CuConstants.AttributeComputeCapabilityMajor);
        Minor = Attribute(CuConstants.AttributeComputeCapabilityMinor);
        MultiprocessorCount = Attribute(CuConstants.AttributeMultiprocessorCount);
        MaxThreadsPerBlock = Attribute(CuConstants.AttributeMaxThreadsPerBlock);
        MaxGridDimY = Attribute(CuConstants.AttributeMaxGridDimY);
        MaxGridDimZ = Attribute(CuConstants.AttributeMaxGridDimZ);
        CudaException.Check(cuDeviceTotalMem_v2(out nuint total, device), "cuDeviceTotalMem_v2");
        TotalMemory = (long)total;

        CudaException.Check(cuDevicePrimaryCtxRetain(out _context, device), "cuDevicePrimaryCtxRetain", $"device {ordinal}");
        MakeCurrent();
        CudaException.Check(cuStreamCreate(out nint stream, CuConstants.StreamNonBlocking), "cuStreamCreate");
        Stream = stream;
    }

    public int Ordinal { get; }
    public int Device { get; }
    public string Name { get; }
    public int Major { get; }
    public int Minor { get; }
    public int MultiprocessorCount { get; }
    public int MaxThreadsPerBlock { get; }
    public int MaxGridDimY { get; }
    public int MaxGridDimZ { get; }
    public long TotalMemory { get; }

    /// <summary>The stream every kernel and copy of this backend is queued on.</summary>
    public nint Stream { get; }

    /// <summary>Compute capability as one number, e.g. 90.</summary>
    public int Architecture => Major * 10 + Minor;

    /// <summary>Makes this context current on the calling thread.</summary>
    public void MakeCurrent()
    {
        if (t_current == _context) return;
        CudaException.Check(cuCtxSetCurrent(_context), "cuCtxSetCurrent");
        t_current = _context;
    }

    /// <summary>Waits for everything queued on the stream.</summary>
    public void SynchronizeStream()
    {
        MakeCurrent();
        CudaException.Check(cuStreamSynchronize(Stream), "cuStreamSynchronize");
    }

    /// <summary>Free and total device memory as the driver reports them.</summary>
    public (long Free, long Total) MemoryInfo()
    {
        MakeCurrent();
        CudaException.Check(cuMemGetInfo_v2(out nuint free, out nuint total), "cuMemGetInfo_v2");
        return ((long)free, (long)total);
    }

    /// <summary>Queues <paramref name="function"/> on the stream.</summary>
    public void Launch(nint function, LaunchShape shape, ref KernelArguments arguments)
    {
        MakeCurrent();
        void** pointers = stackalloc void*[KernelArguments.MaxArguments];
        fixed (byte* block = arguments.Bytes)
        {
            arguments.WritePointers(block, pointers);
            var result = cuLaunchKernel(function, shape.GridX, shape.GridY, shape.GridZ,
                shape.BlockX, shape.BlockY, shape.BlockZ, shape.SharedBytes, Stream, pointers, null);
            if (result != CuResult.Success)
                throw CudaException.Create(result, "cuLaunchKernel",
                    $"grid ({shape.GridX}, {shape.GridY}, {shape.GridZ}), block ({shape.BlockX}, {shape.BlockY}, {shape.BlockZ}), {arguments.Count} arguments");
        }
    }

    /// <summary>A grid for a grid-stride loop over <paramref name="count"/> items: enough blocks to fill the device, no more.</summary>
    public uint GridFor(long count, int block)
    {
        long wanted = (count + block - 1) / block;
        long cap = (long)MultiprocessorCount * (2048 / block) * 4;
        return (uint)Math.Max(1, Math.Min(wanted, cap));
    }

    private int Attribute(int attribute)
    {
        CudaException.Check(cuDeviceGetAttribute(out int value, attribute, Device), "cuDeviceGetAttribute", $"attribute {attribute}");
        return value;
    }

    private static string QueryName(int device)
    {
        byte* buffer = stackalloc byte[256];
        CudaException.Check(cuDeviceGetName(buffer, 256, device), "cuDeviceGetName");
        return Marshal.PtrToStringUTF8((nint)buffer) ?? $"device {device}";
    }
}

/// <summary>Grid and block dimensions of a launch, with the dynamic shared memory size.</summary>
internal readonly record struct LaunchShape(uint GridX, uint GridY, uint GridZ, uint BlockX, uint BlockY, uint BlockZ, uint SharedBytes = 0)
{
    /// <summary>A 1-D launch.</summary>
    public static LaunchShape Linear(uint grid, uint block) => new(grid, 1, 1, block, 1, 1);
}
