namespace Scratch.Kernels.Cuda.Runtime;

/// <summary>
/// What the launcher classes (<c>Ops/</c>) need from a backend: device facts, addresses, scratch
/// memory, and the queueing of kernels and memory operations. <see cref="CudaBackend"/> implements it
/// on a real device; tests implement it with a recorder to check every launch's arguments against
/// the compiled kernels' parameter lists without a GPU.
/// </summary>
internal interface IKernelHost
{
    /// <summary>Backend name for messages (<c>cuda:0</c>).</summary>
    string Name { get; }

    /// <summary>Number of SMs.</summary>
    int MultiprocessorCount { get; }

    /// <summary>Compute capability as one number (80, 90).</summary>
    int Architecture { get; }

    /// <summary>Grid limit in y.</summary>
    int MaxGridDimY { get; }

    /// <summary>Grid limit in z.</summary>
    int MaxGridDimZ { get; }

    /// <summary>Whether float32 GEMMs may use TF32 tensor cores.</summary>
    bool AllowTf32 { get; }

    /// <summary>Device address of the error word kernels report bad input to.</summary>
    ulong ErrorWord { get; }

    /// <summary>Device address of element <paramref name="elementOffset"/> of <paramref name="buffer"/>; throws when the buffer is not this backend's.</summary>
    ulong Address(DeviceBuffer buffer, long elementOffset);

    /// <summary>Scratch memory for intermediate results; release it once the work using it is queued.</summary>
    DeviceBuffer Workspace(DType dtype, long length);

    /// <summary>Queues kernel <paramref name="name"/> of <paramref name="source"/>.</summary>
    void Launch(KernelSource source, string name, LaunchShape shape, ref KernelArguments arguments);

    /// <summary>Queues setting <paramref name="words"/> 32-bit words at <paramref name="address"/> to <paramref name="pattern"/>.</summary>
    void Memset32(ulong address, uint pattern, long words);

    /// <summary>Queues a device-to-device copy.</summary>
    void CopyDeviceToDevice(ulong destination, ulong source, long bytes);

    /// <summary>Blocks for a grid-stride loop over <paramref name="count"/> items with <paramref name="block"/> threads per block.</summary>
    uint GridFor(long count, int block);
}

/// <summary>Conveniences over <see cref="IKernelHost"/>.</summary>
internal static class KernelHostExtensions
{
    /// <summary>Device address of element 0 of <paramref name="view"/>.</summary>
    public static ulong Address(this IKernelHost host, BufferView view) => host.Address(view.Buffer, view.Offset);
}
