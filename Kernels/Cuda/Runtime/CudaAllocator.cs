using System.Collections.Concurrent;
using System.Numerics;
using Scratch.Kernels.Cuda.Native;
using static Scratch.Kernels.Cuda.Native.CudaDriverApi;

namespace Scratch.Kernels.Cuda.Runtime;

/// <summary>
/// A size-keyed caching allocator for device memory. Requests are rounded up to size classes:
/// multiples of 512 bytes, with 4 classes per power of two below 1 MiB and 8 above (so beyond 4 KiB
/// at most 25%, beyond 2 MiB at most 12.5% is wasted). Freed blocks are kept per class for the next request of that class:
/// a training loop allocates the same sizes every step, so after the first step cuMemAlloc is no
/// longer called.
/// </summary>
/// <remarks>
/// <para>Freed blocks are reused without waiting: all work of a backend runs on one stream, so any
/// later use of a reused block is ordered after the earlier work on it.</para>
/// <para>Buffers may be freed by the finalizer thread, where calling into CUDA is unsafe (the context
/// may not be current, and the driver may be shutting down). <see cref="Return"/> therefore only
/// enqueues; the queue is drained under the lock by the next allocation.</para>
/// <para>Every block in use is reported to the GC with <see cref="GC.AddMemoryPressure"/>, so dead
/// arrays' finalizers run soon enough in a loop that never disposes. When cuMemAlloc still runs out,
/// the allocator frees its cache, then collects garbage and runs finalizers, and retries before it
/// throws an <see cref="OutOfMemoryException"/> that names the sizes involved.</para>
/// </remarks>
internal sealed class CudaAllocator
{
    public const long MinimumBlock = 512;

    private readonly CudaContext _context;
    private readonly object _gate = new();
    private readonly Dictionary<long, Stack<ulong>> _free = [];
    private readonly ConcurrentQueue<(ulong Pointer, long Bytes)> _returned = new();
    private long _bytesInUse;
    private long _bytesCached;

    public CudaAllocator(CudaContext context) => _context = context;

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

    /// <summary>Allocates at least <paramref name="bytes"/>; returns the pointer and the block's real size.</summary>
    public ulong Allocate(long bytes, out long blockBytes)
    {
        long bucket = BucketSize(bytes);
        blockBytes = bucket;
        lock (_gate)
        {
            DrainReturned();
            if (TryTakeCached(bucket, out ulong cached)) return Account(cached, bucket);
            if (TryAllocateFresh(bucket, out ulong fresh)) return Account(fresh, bucket);
            // First remedy: give the cached blocks of other sizes back to the driver.
            ReleaseCacheLocked();
            if (TryAllocateFresh(bucket, out fresh)) return Account(fresh, bucket);
        }

        // Second remedy, outside the lock so that finalizers never wait on it: dead buffers that the
        // GC has not finalized yet still hold memory.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        lock (_gate)
        {
            DrainReturned();
            if (TryTakeCached(bucket, out ulong cached)) return Account(cached, bucket);
            ReleaseCacheLocked();
            if (TryAllocateFresh(bucket, out ulong fresh)) return Account(fresh, bucket);
        }

        var (free, total) = _context.MemoryInfo();
        throw new OutOfMemoryException(
            $"cuda:{_context.Ordinal}: out of memory allocating {Format(bytes)} (size class {Format(bucket)}); " +
            $"{Format(BytesInUse)} in use by live buffers, {Format(BytesCached)} cached, " +
            $"device reports {Format(free)} free of {Format(total)}. Release arrays you no longer need or use smaller batches.");
    }

    /// <summary>Returns a block; safe from any thread, including the finalizer thread (it only enqueues).</summary>
    public void Return(ulong pointer, long blockBytes)
    {
        _returned.Enqueue((pointer, blockBytes));
        GC.RemoveMemoryPressure(blockBytes);
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

    private ulong Account(ulong pointer, long bucket)
    {
        Interlocked.Add(ref _bytesInUse, bucket);
        GC.AddMemoryPressure(bucket);
        return pointer;
    }

    private bool TryTakeCached(long bucket, out ulong pointer)
    {
        pointer = 0;
        if (!_free.TryGetValue(bucket, out var stack) || stack.Count == 0) return false;
        pointer = stack.Pop();
        Interlocked.Add(ref _bytesCached, -bucket);
        return true;
    }

    private bool TryAllocateFresh(long bucket, out ulong pointer)
    {
        _context.MakeCurrent();
        var result = cuMemAlloc_v2(out pointer, (nuint)bucket);
        if (result == CuResult.Success) return true;
        if (result == CuResult.OutOfMemory) return false;
        throw CudaException.Create(result, "cuMemAlloc_v2", $"{bucket} bytes");
    }

    private void DrainReturned()
    {
        while (_returned.TryDequeue(out var block))
        {
            if (!_free.TryGetValue(block.Bytes, out var stack)) _free[block.Bytes] = stack = new Stack<ulong>();
            stack.Push(block.Pointer);
            Interlocked.Add(ref _bytesInUse, -block.Bytes);
            Interlocked.Add(ref _bytesCached, block.Bytes);
        }
    }

    private void ReleaseCacheLocked()
    {
        if (_bytesCached == 0) return;
        // Work queued earlier may still use cached blocks; cuMemFree must not race it.
        _context.SynchronizeStream();
        foreach (var (bucket, stack) in _free)
        {
            while (stack.Count > 0)
            {
                CudaException.Check(cuMemFree_v2(stack.Pop()), "cuMemFree_v2");
                Interlocked.Add(ref _bytesCached, -bucket);
            }
        }
    }

    private static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.##} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.##} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.##} KiB",
        _ => $"{bytes} bytes",
    };
}
