using Scratch.Kernels.Cuda.Runtime;

namespace Scratch.Kernels.Cuda;

/// <summary>
/// Device memory of a <see cref="CudaBackend"/>, from its caching allocator. Freeing (the last
/// <see cref="DeviceBuffer.Release"/>, or the finalizer) hands the block back to the allocator's
/// queue without calling into CUDA, so it is safe on any thread.
/// </summary>
public sealed class CudaBuffer : DeviceBuffer
{
    private readonly CudaAllocator _allocator;
    private readonly long _blockBytes;

    internal CudaBuffer(CudaBackend backend, CudaAllocator allocator, DType dtype, long length) : base(backend, dtype, length)
    {
        _allocator = allocator;
        if (length > 0) Pointer = allocator.Allocate(SizeInBytes, out _blockBytes);
    }

    /// <summary>The device address of element 0 (0 for an empty buffer).</summary>
    public ulong DevicePointer => Pointer;

    internal ulong Pointer { get; }

    /// <summary>The device address of element <paramref name="elementOffset"/>.</summary>
    internal ulong At(long elementOffset) => Pointer + (ulong)(elementOffset * DType.SizeInBytes());

    /// <inheritdoc/>
    protected override void Free()
    {
        if (_blockBytes > 0) _allocator.Return(Pointer, _blockBytes);
    }
}
