using System.Collections.Concurrent;
using System.Numerics;
using ILGPU;
using ILGPU.Runtime;

namespace Scratch.Kernels.Gpu.Runtime;

/// <summary>
/// A size-keyed caching allocator of device memory for one accelerator. Requests are rounded up to size
/// classes (multiples of 512 bytes; 4 classes per power of two below 1 MiB and 8 above, so at most 25%,
/// beyond 2 MiB at most 12.5%, is wasted) and freed blocks are kept per class for the next request of that
/// class: a training loop allocates the same sizes every step, so after the first step the driver is no
/// longer asked for memory.
/// </summary>
/// <remarks>
/// <para>Freed blocks are reused without waiting: all work of a backend runs on one stream, so any later
/// use of a reused block is ordered after the earlier work on it.</para>
/// <para>Buffers may be freed by the finalizer thread, where calling into the driver is unsafe. <see cref="Return"/>
/// therefore only enqueues; the queue is drained under the lock by the next allocation.</para>
/// <para>Every block in use is reported to the GC with <see cref="GC.AddMemoryPressure"/>, so dead arrays'
/// finalizers run soon enough in a loop that never disposes. When the device still runs out, the allocator
/// frees its cache, then collects garbage and runs finalizers, and retries before it throws an
/// <see cref="OutOfMemoryException"/> that names the sizes involved.</para>
/// </remarks>
internal sealed class GpuAllocator(Accelerator accelerator, string name)
{
    public const long MinimumBlock = 512;

    private readonly object _gate = new();
    private readonly Dictionary<long, Stack<MemoryBuffer1D<byte, Stride1D.Dense>>> _free = [];
    private readonly ConcurrentQueue<MemoryBuffer1D<byte, Stride1D.Dense>> _returned = new();

    // Blocks handed out and not yet back in the cache, held strongly: an ILGPU buffer has its own finalizer,
    // so a block reachable only from a dead GpuBuffer would be freed by the GC in the same collection that
    // returns it here, and the cache would hand out freed memory.
    private readonly ConcurrentDictionary<MemoryBuffer1D<byte, Stride1D.Dense>, byte> _outstanding = new();
    private long _bytesInUse;
    private long _bytesCached;

    /// <summary>Bytes held by live buffers (size-class rounded), counting those queued for return.</summary>
    public long BytesInUse => Interlocked.Read(ref _bytesInUse);

    /// <summary>Bytes held in the cache for reuse.</summary>
    public long BytesCached => Interlocked.Read(ref _bytesCached);

    /// <summary>The size class a request of <paramref name="bytes"/> is served from.</summary>
    public static long BucketSize(long bytes)
    {
        if (bytes <= MinimumBlock) return MinimumBlock;
        int log = 63 - BitOperations.LeadingZeroCount((ulong)(bytes - 1)); // 2^log < bytes <= 2^(log+1)
        long power = 1L << log;
        long step = Math.Max(MinimumBlock, power >= (1L << 20) ? power / 8 : power / 4);
        return (bytes + step - 1) / step * step;
    }

    /// <summary>A block of at least <paramref name="bytes"/> bytes (its length is the size class).</summary>
    public MemoryBuffer1D<byte, Stride1D.Dense> Allocate(long bytes)
    {
        long bucket = BucketSize(bytes);
        lock (_gate)
        {
            DrainReturned();
            if (TryTakeCached(bucket, out var cached)) return Account(cached);
            if (TryAllocateFresh(bucket, out var fresh)) return Account(fresh);
            // First remedy: give the cached blocks of other sizes back to the driver.
            ReleaseCacheLocked();
            if (TryAllocateFresh(bucket, out fresh)) return Account(fresh);
        }

        // Second remedy, outside the lock so that finalizers never wait on it: dead buffers that the GC
        // has not finalized yet still hold memory.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        lock (_gate)
        {
            DrainReturned();
            if (TryTakeCached(bucket, out var cached)) return Account(cached);
            ReleaseCacheLocked();
            if (TryAllocateFresh(bucket, out var fresh)) return Account(fresh);
        }
        throw new OutOfMemoryException(
            $"{name}: out of device memory allocating {Format(bytes)} (size class {Format(bucket)}); " +
            $"{Format(BytesInUse)} in use by live buffers, {Format(BytesCached)} cached, device memory {Format(accelerator.MemorySize)}. " +
            "Release arrays you no longer need or use smaller batches.");
    }

    /// <summary>Returns a block; safe from any thread, including the finalizer thread (it only enqueues).</summary>
    public void Return(MemoryBuffer1D<byte, Stride1D.Dense> block)
    {
        _returned.Enqueue(block);
        GC.RemoveMemoryPressure(block.Length);
    }

    /// <summary>Frees every cached block back to the driver (after the stream has finished with them).</summary>
    public void EmptyCache()
    {
        lock (_gate)
        {
            DrainReturned();
            ReleaseCacheLocked();
        }
    }

    private MemoryBuffer1D<byte, Stride1D.Dense> Account(MemoryBuffer1D<byte, Stride1D.Dense> block)
    {
        Interlocked.Add(ref _bytesInUse, block.Length);
        GC.AddMemoryPressure(block.Length);
        _outstanding[block] = 0;
        return block;
    }

    private bool TryTakeCached(long bucket, out MemoryBuffer1D<byte, Stride1D.Dense> block)
    {
        block = null!;
        if (!_free.TryGetValue(bucket, out var stack) || stack.Count == 0) return false;
        block = stack.Pop();
        Interlocked.Add(ref _bytesCached, -bucket);
        return true;
    }

    private bool TryAllocateFresh(long bucket, out MemoryBuffer1D<byte, Stride1D.Dense> block)
    {
        try
        {
            block = accelerator.Allocate1D<byte>(bucket);
            return true;
        }
        catch (Exception e) when (e is OutOfMemoryException || e.GetType().Name.Contains("OutOfMemory", StringComparison.Ordinal)
                                  || e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase))
        {
            block = null!;
            return false;
        }
    }

    private void DrainReturned()
    {
        while (_returned.TryDequeue(out var block))
        {
            if (!_free.TryGetValue(block.Length, out var stack)) _free[block.Length] = stack = new Stack<MemoryBuffer1D<byte, Stride1D.Dense>>();
            stack.Push(block);
            _outstanding.TryRemove(block, out _);
            Interlocked.Add(ref _bytesInUse, -block.Length);
            Interlocked.Add(ref _bytesCached, block.Length);
        }
    }

    private void ReleaseCacheLocked()
    {
        if (_bytesCached == 0) return;
        // Work queued earlier may still use cached blocks; freeing must not race it.
        accelerator.Synchronize();
        foreach (var (bucket, stack) in _free)
        {
            while (stack.Count > 0)
            {
                stack.Pop().Dispose();
                Interlocked.Add(ref _bytesCached, -bucket);
            }
        }
    }

    internal static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.##} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.##} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.##} KiB",
        _ => $"{bytes} bytes",
    };
}
