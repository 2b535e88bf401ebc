namespace Scratch.Kernels.Cpu;

/// <summary>
/// Parallel loops for CPU kernels. Work is cut into chunks whose boundaries depend only on the
/// problem size and the grain, never on the thread count, so a reduction that combines per-chunk
/// results in chunk order gives the same bits on one thread as on many.
/// </summary>
public static class CpuParallel
{
    private static int _threads = Environment.ProcessorCount;

    /// <summary>Maximum number of threads kernels use (default: the processor count).</summary>
    public static int ThreadCount
    {
        get => _threads;
        set => _threads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "need at least one thread");
    }

    /// <summary>Number of chunks [0, count) is cut into for a given grain (at least one).</summary>
    public static long ChunkCount(long count, long grain) => Math.Max(1, (count + grain - 1) / Math.Max(1, grain));

    /// <summary>
    /// Calls <paramref name="body"/>(start, end) for consecutive chunks of [0, count), each of
    /// <paramref name="grain"/> items (the last may be shorter), spreading chunks over the threads.
    /// Runs inline when there is one chunk or one thread.
    /// </summary>
    public static void For(long count, long grain, Action<long, long> body)
    {
        if (count <= 0) return;
        grain = Math.Max(1, grain);
        long chunks = ChunkCount(count, grain);
        if (chunks == 1 || _threads == 1)
        {
            for (long c = 0; c < chunks; c++)
                body(c * grain, Math.Min(count, (c + 1) * grain));
            return;
        }
        var options = new ParallelOptions { MaxDegreeOfParallelism = _threads };
        Parallel.For(0L, chunks, options, c => body(c * grain, Math.Min(count, (c + 1) * grain)));
    }

    /// <summary>
    /// Like <see cref="For"/> but with at most about <see cref="ThreadCount"/> × 4 chunks: for work whose
    /// chunking does not affect the result (elementwise kernels). <paramref name="minGrain"/> keeps
    /// tiny problems on one thread.
    /// </summary>
    public static void ForBalanced(long count, long minGrain, Action<long, long> body)
    {
        long grain = Math.Max(minGrain, (count + _threads * 4 - 1) / (_threads * 4));
        For(count, grain, body);
    }
}
