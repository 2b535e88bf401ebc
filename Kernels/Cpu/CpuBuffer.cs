using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scratch.Kernels.Cpu;

/// <summary>Host memory for the CPU backend: a managed array of the buffer's element type.</summary>
public sealed class CpuBuffer : DeviceBuffer
{
    private Array? _data;

    internal CpuBuffer(IBackend backend, DType dtype, long length) : base(backend, dtype, length)
    {
        if (length > Array.MaxLength)
            throw new OutOfMemoryException($"cpu: cannot allocate {length} elements of {dtype.Name()} (more than {Array.MaxLength} per array)");
        // Uninitialised (every primitive writes its whole output), and reused from dead buffers of the same size.
        _data = CpuArrayPool.Rent(dtype, (int)length);
    }

    /// <summary>The backing array; throws once the buffer was released.</summary>
    public Array Data => _data ?? throw new ObjectDisposedException(nameof(CpuBuffer), "the buffer was released");

    /// <summary>The elements as a span of <typeparamref name="T"/>, which must match the dtype.</summary>
    public Span<T> AsSpan<T>() where T : unmanaged
    {
        if (DTypeExtensions.Of<T>() != DType)
            throw new InvalidOperationException($"cpu: buffer holds {DType.Name()}, not {typeof(T).Name}");
        return MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(Data)), (int)Length);
    }

    /// <summary>A reference to element 0, for kernels that index with pointers.</summary>
    public ref T Ref<T>() where T : unmanaged => ref MemoryMarshal.GetReference(AsSpan<T>());

    /// <inheritdoc/>
    protected override void Free()
    {
        var data = Interlocked.Exchange(ref _data, null);
        if (data is not null) CpuArrayPool.Return(DType, data);
    }

    /// <summary>The CPU buffer behind a view; throws when the view belongs to another backend.</summary>
    public static CpuBuffer Of(BufferView view) => view.Buffer as CpuBuffer
        ?? throw new ArgumentException($"cpu: expected a CPU buffer, got one of backend '{view.Buffer.Backend.Name}'");
}
