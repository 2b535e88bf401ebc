using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// IndexSelect and its adjoint IndexAdd: whole [inner] rows of the middle dim of contiguous
/// [outer, ·, inner] views, chosen by an Int32 index [m]. Any dtype (float32, float64, int32).
/// </summary>
internal static class IndexSelectKernel
{
    /// <summary>Elements of work per parallel chunk.</summary>
    private const long Grain = 32 * 1024;

    public static void IndexSelect(BufferView x, BufferView index, BufferView y)
    {
        BackendContract.IndexSelect(x, index, y);
        switch (x.DType)
        {
            case DType.Float32: IndexSelect<float>(x, index, y); break;
            case DType.Float64: IndexSelect<double>(x, index, y); break;
            default: IndexSelect<int>(x, index, y); break;
        }
    }

    public static void IndexAdd(BufferView src, BufferView index, BufferView y)
    {
        BackendContract.IndexAdd(src, index, y);
        switch (y.DType)
        {
            case DType.Float32: IndexAdd<float>(src, index, y); break;
            case DType.Float64: IndexAdd<double>(src, index, y); break;
            default: IndexAdd<int>(src, index, y); break;
        }
    }

    private static void IndexSelect<T>(BufferView xv, BufferView indexView, BufferView yv) where T : unmanaged
    {
        int outer = yv.Shape[0], m = yv.Shape[1], inner = yv.Shape[2], n = xv.Shape[1];
        IndexBounds.Check("index_select", CpuViews.Span<int>(indexView), n, $"dim 1 of x {ViewArgs.Shape(xv)}");
        T[] x = CpuViews.Array<T>(xv), y = CpuViews.Array<T>(yv);
        int[] index = CpuViews.Array<int>(indexView);
        int xo = (int)xv.Offset, yo = (int)yv.Offset, io = (int)indexView.Offset;
        CpuParallel.For((long)outer * m, Math.Max(1, Grain / Math.Max(1, inner)), (start, end) =>
        {
            for (long r = start; r < end; r++)
            {
                int o = (int)(r / m), j = (int)(r % m);
                x.AsSpan(xo + (o * n + index[io + j]) * inner, inner).CopyTo(y.AsSpan(yo + (int)r * inner, inner));
            }
        });
    }

    private static void IndexAdd<T>(BufferView srcView, BufferView indexView, BufferView yv) where T : unmanaged, INumber<T>
    {
        int outer = srcView.Shape[0], m = srcView.Shape[1], inner = srcView.Shape[2], n = yv.Shape[1];
        IndexBounds.Check("index_add", CpuViews.Span<int>(indexView), n, $"dim 1 of y {ViewArgs.Shape(yv)}");
        if (n == 0 || m == 0 || inner == 0) return;
        T[] src = CpuViews.Array<T>(srcView), y = CpuViews.Array<T>(yv);
        int[] index = CpuViews.Array<int>(indexView);
        int so = (int)srcView.Offset, yo = (int)yv.Offset, io = (int)indexView.Offset;

        // A unit owns a range of destination rows of one y[o] and adds into them every source row j
        // that points there, in increasing j: the order of terms per element is fixed, so the result
        // does not depend on how units are spread over threads. Few outer slices (an embedding's
        // gradient) are split into more row ranges so that all threads get work.
        long work = (long)outer * m * inner;
        int rangesPerOuter = work < Grain ? 1 : (int)Math.Clamp((4L * CpuParallel.ThreadCount + outer - 1) / outer, 1, n);
        int rangeRows = (n + rangesPerOuter - 1) / rangesPerOuter;
        long unitWork = (long)m * inner / rangesPerOuter + m;   // rows added, plus the scan of the index
        CpuParallel.For((long)outer * rangesPerOuter, Math.Max(1, Grain / unitWork), (start, end) =>
        {
            for (long u = start; u < end; u++)
            {
                int o = (int)(u / rangesPerOuter);
                int first = (int)(u % rangesPerOuter) * rangeRows, last = Math.Min(n, first + rangeRows);
                for (int j = 0; j < m; j++)
                {
                    int k = index[io + j];
                    if (k < first || k >= last) continue;
                    AddInto<T>(y.AsSpan(yo + (o * n + k) * inner, inner), src.AsSpan(so + (o * m + j) * inner, inner));
                }
            }
        });
    }

    /// <summary>destination += source, elementwise.</summary>
    private static void AddInto<T>(Span<T> destination, ReadOnlySpan<T> source) where T : unmanaged, INumber<T>
    {
        ref T dr = ref MemoryMarshal.GetReference(destination);
        ref T sr = ref MemoryMarshal.GetReference(source);
        int n = destination.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref dr, (nuint)i) + Vector512.LoadUnsafe(ref sr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        if (Vector256.IsHardwareAccelerated)
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref dr, (nuint)i) + Vector256.LoadUnsafe(ref sr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        for (; i < n; i++) destination[i] += source[i];
    }
}
