using ILGPU;
using ILGPU.Runtime;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu;

/// <summary>
/// Device memory of a <see cref="GpuBackend"/>: a block from its caching allocator, seen as elements of
/// the buffer's dtype. Freeing (the last <see cref="DeviceBuffer.Release"/>, or the finalizer) hands the
/// block back to the allocator's queue without calling into the driver, so it is safe on any thread.
/// </summary>
public sealed class GpuBuffer : DeviceBuffer
{
    private readonly GpuAllocator _allocator;
    private readonly MemoryBuffer1D<byte, Stride1D.Dense>? _block;

    internal GpuBuffer(GpuBackend backend, GpuAllocator allocator, DType dtype, long length) : base(backend, dtype, length)
    {
        _allocator = allocator;
        if (length > 0) _block = allocator.Allocate(SizeInBytes);
    }

    /// <summary>The buffer's elements as an ILGPU view of <typeparamref name="T"/> (which must match the dtype).</summary>
    internal ArrayView<T> View<T>() where T : unmanaged
    {
        if (DTypeExtensions.Of<T>() != DType)
            throw new InvalidOperationException($"{Backend.Name}: a {DType.Name()} buffer seen as {typeof(T).Name}");
        if (_block is null) return ArrayView<T>.Empty;
        return ((ArrayView<byte>)_block.View).Cast<T>().SubView(0, Length);
    }

    /// <inheritdoc/>
    protected override void Free()
    {
        if (_block is not null) _allocator.Return(_block);
    }
}
