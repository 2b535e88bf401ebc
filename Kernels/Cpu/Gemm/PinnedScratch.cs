using System.Buffers;
using System.Runtime.InteropServices;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// A pooled, pinned, 64-byte-aligned scratch block of <typeparamref name="T"/> for packing panels and
/// im2col columns. Rented from <see cref="ArrayPool{T}.Shared"/> so repeated calls allocate nothing and
/// nested or concurrent users each get their own block; pinned so raw pointers stay valid; aligned so
/// 512-bit loads never straddle a cache line.
/// </summary>
internal unsafe ref struct PinnedScratch<T> where T : unmanaged
{
    private const int Alignment = 64;
    private byte[]? _array;
    private GCHandle _handle;

    /// <summary>Rents room for at least <paramref name="count"/> elements (contents unspecified).</summary>
    public PinnedScratch(long count)
    {
        long bytes = Math.Max(1, count) * sizeof(T) + Alignment;
        if (bytes > Array.MaxLength)
            throw new OutOfMemoryException($"cpu: scratch block of {count} elements of {typeof(T).Name} is too large");
        _array = ArrayPool<byte>.Shared.Rent((int)bytes);
        _handle = GCHandle.Alloc(_array, GCHandleType.Pinned);
        nint address = _handle.AddrOfPinnedObject();
        Pointer = (T*)((address + Alignment - 1) & ~(nint)(Alignment - 1));
    }

    /// <summary>First element, 64-byte aligned.</summary>
    public T* Pointer { get; }

    /// <summary>Unpins the block and hands it back to the pool.</summary>
    public void Dispose()
    {
        if (_array is null) return;
        _handle.Free();
        ArrayPool<byte>.Shared.Return(_array);
        _array = null;
    }
}
