using Scratch.Kernels.Cuda.Native;
using static Scratch.Kernels.Cuda.Native.CudaDriverApi;

namespace Scratch.Kernels.Cuda.Runtime;

/// <summary>
/// Host copies through two page-locked buffers: managed memory can move and is pageable, so data is
/// copied into a pinned chunk and transferred asynchronously on the backend's stream, the two chunks
/// alternating so the CPU copy of one overlaps the transfer of the other. An event per chunk says
/// when it may be reused.
/// </summary>
internal sealed unsafe class PinnedStaging
{
    private const int ChunkBytes = 4 << 20;

    private readonly CudaContext _context;
    private readonly byte*[] _chunks = new byte*[2];
    private readonly nint[] _events = new nint[2];
    private readonly bool[] _pending = new bool[2];
    private readonly object _gate = new();
    private int _next;

    public PinnedStaging(CudaContext context)
    {
        _context = context;
        context.MakeCurrent();
        for (int i = 0; i < 2; i++)
        {
            CudaException.Check(cuMemAllocHost_v2(out nint chunk, ChunkBytes), "cuMemAllocHost_v2", $"{ChunkBytes} bytes of pinned staging memory");
            _chunks[i] = (byte*)chunk;
            CudaException.Check(cuEventCreate(out _events[i], CuConstants.EventDisableTiming), "cuEventCreate");
        }
    }

    /// <summary>Queues a copy of <paramref name="source"/> to device address <paramref name="destination"/>; returns once the host data has been staged.</summary>
    public void Upload(ReadOnlySpan<byte> source, ulong destination)
    {
        lock (_gate)
        {
            _context.MakeCurrent();
            for (int done = 0; done < source.Length; done += ChunkBytes)
            {
                int length = Math.Min(ChunkBytes, source.Length - done);
                int slot = TakeSlot();
                source.Slice(done, length).CopyTo(new Span<byte>(_chunks[slot], length));
                CudaException.Check(cuMemcpyHtoDAsync_v2(destination + (ulong)done, _chunks[slot], (nuint)length, _context.Stream), "cuMemcpyHtoDAsync_v2");
                Record(slot);
            }
        }
    }

    /// <summary>Copies <paramref name="destination"/>.Length bytes from device address <paramref name="source"/>, after all queued work.</summary>
    public void Download(ulong source, Span<byte> destination)
    {
        lock (_gate)
        {
            _context.MakeCurrent();
            int chunks = (destination.Length + ChunkBytes - 1) / ChunkBytes;
            var slots = new int[2];
            int issued = 0;
            for (int done = 0; done < chunks; done++)
            {
                // Keep up to two transfers in flight; copy out the oldest.
                while (issued < chunks && issued - done < 2)
                {
                    int offset = issued * ChunkBytes;
                    int length = Math.Min(ChunkBytes, destination.Length - offset);
                    int slot = TakeSlot();
                    CudaException.Check(cuMemcpyDtoHAsync_v2(_chunks[slot], source + (ulong)offset, (nuint)length, _context.Stream), "cuMemcpyDtoHAsync_v2");
                    Record(slot);
                    slots[issued % 2] = slot;
                    issued++;
                }
                int ready = slots[done % 2];
                Wait(ready);
                int at = done * ChunkBytes;
                int count = Math.Min(ChunkBytes, destination.Length - at);
                new ReadOnlySpan<byte>(_chunks[ready], count).CopyTo(destination.Slice(at, count));
            }
        }
    }

    private int TakeSlot()
    {
        int slot = _next;
        _next ^= 1;
        Wait(slot);
        return slot;
    }

    private void Record(int slot)
    {
        CudaException.Check(cuEventRecord(_events[slot], _context.Stream), "cuEventRecord");
        _pending[slot] = true;
    }

    private void Wait(int slot)
    {
        if (!_pending[slot]) return;
        CudaException.Check(cuEventSynchronize(_events[slot]), "cuEventSynchronize");
        _pending[slot] = false;
    }
}
