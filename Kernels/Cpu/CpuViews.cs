namespace Scratch.Kernels.Cpu;

/// <summary>Raw access to the managed arrays behind CPU views, for the CPU kernels.</summary>
internal static class CpuViews
{
    /// <summary>The managed array behind a CPU view; element <c>k</c> of a contiguous view is at <c>Offset + k</c>.</summary>
    public static T[] Array<T>(BufferView v) where T : unmanaged => (T[])CpuBuffer.Of(v).Data;

    /// <summary>The elements of a contiguous view.</summary>
    public static Span<T> Span<T>(BufferView v) where T : unmanaged
        => CpuBuffer.Of(v).AsSpan<T>().Slice(checked((int)v.Offset), checked((int)v.Count));
}
