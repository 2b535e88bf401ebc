namespace Scratch.Kernels;

/// <summary>
/// A flat block of device memory holding <see cref="Length"/> elements of one <see cref="DType"/>.
/// Owned by the backend that allocated it. Arrays hold a reference each (<see cref="Retain"/>);
/// the memory goes back to the backend when the last holder releases it, or when the buffer is
/// finalized, so user code never has to dispose anything to stay within memory.
/// </summary>
public abstract class DeviceBuffer
{
    private int _references = 1;

    /// <summary>Creates a buffer description; the subclass owns the memory.</summary>
    protected DeviceBuffer(IBackend backend, DType dtype, long length)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, "buffer length must be >= 0");
        Backend = backend;
        DType = dtype;
        Length = length;
    }

    /// <summary>The backend whose primitives can read and write this buffer.</summary>
    public IBackend Backend { get; }

    /// <summary>Element type.</summary>
    public DType DType { get; }

    /// <summary>Number of elements.</summary>
    public long Length { get; }

    /// <summary>Size in bytes.</summary>
    public long SizeInBytes => Length * DType.SizeInBytes();

    /// <summary>Number of holders (arrays and views) of this memory; 1 means a single array owns it.</summary>
    public int Holders => Math.Max(0, Volatile.Read(ref _references));

    /// <summary>True once the memory has gone back to the backend.</summary>
    public bool IsReleased => Volatile.Read(ref _references) <= 0;

    /// <summary>Adds a holder.</summary>
    public void Retain()
    {
        if (Interlocked.Increment(ref _references) <= 1)
            throw new ObjectDisposedException(nameof(DeviceBuffer), "the buffer was already released");
    }

    /// <summary>Drops a holder; the last one frees the memory.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Free();
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>Returns the memory to the backend. Called once.</summary>
    protected abstract void Free();

    /// <summary>Frees memory nobody released explicitly.</summary>
    ~DeviceBuffer()
    {
        if (Volatile.Read(ref _references) > 0) Free();
    }
}
