using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Runs an elementwise operator over views of one shape: plans a <see cref="StridedLoop"/> and picks,
/// for each innermost run, the SIMD loop that fits its strides (contiguous, broadcast scalar) or a
/// scalar strided loop. A binary operator with a host scalar operand on contiguous views skips the
/// plan and runs as one flat range.
/// </summary>
internal static class ElementwiseRuns
{
    /// <summary>y = op(x). Views already checked.</summary>
    public static void Unary<T, TOp>(TOp op, BufferView x, BufferView y) where T : unmanaged where TOp : struct, IUnaryOperator<T>
    {
        if (y.Count == 0) return;
        var loop = StridedLoop.Create(y, x);
        loop.Run(new UnaryRun<T, TOp>(op, CpuViews.Array<T>(x), CpuViews.Array<T>(y), loop.InnerStride(1), loop.InnerStride(0)));
    }

    /// <summary>y = op(a, b). Views already checked.</summary>
    public static void Binary<T, TOp>(TOp op, BufferView a, BufferView b, BufferView y) where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        if (y.Count == 0) return;
        var loop = StridedLoop.Create(y, a, b);
        loop.Run(new BinaryRun<T, TOp>(op, CpuViews.Array<T>(a), CpuViews.Array<T>(b), CpuViews.Array<T>(y),
            loop.InnerStride(1), loop.InnerStride(2), loop.InnerStride(0)));
    }

    /// <summary>y = op(a, s), or op(s, a) when <paramref name="scalarFirst"/>. Views already checked.</summary>
    public static void BinaryScalar<T, TOp>(TOp op, BufferView a, T s, bool scalarFirst, BufferView y) where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        long n = y.Count;
        if (n == 0) return;
        T[] aData = CpuViews.Array<T>(a), yData = CpuViews.Array<T>(y);
        if (a.IsContiguous && y.IsContiguous)
        {
            // One flat run: no loop plan to build, chunks cut straight from [0, n).
            var flat = new ScalarRun<T, TOp>(op, aData, s, scalarFirst, yData, 1, 1);
            long aOffset = a.Offset, yOffset = y.Offset;
            if (n <= StridedLoop.ParallelGrain || CpuParallel.ThreadCount == 1)
            {
                flat.Run(yOffset, aOffset, n);
                return;
            }
            CpuParallel.ForBalanced(n, StridedLoop.ParallelGrain, (start, end) => flat.Run(yOffset + start, aOffset + start, end - start));
            return;
        }
        var loop = StridedLoop.Create(y, a);
        loop.Run(new ScalarRun<T, TOp>(op, aData, s, scalarFirst, yData, loop.InnerStride(1), loop.InnerStride(0)));
    }

    private static ref T At<T>(T[] array, long offset) where T : unmanaged
        => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), (nint)offset);

    private readonly struct UnaryRun<T, TOp>(TOp op, T[] x, T[] y, long xStride, long yStride) : IRunBody
        where T : unmanaged where TOp : struct, IUnaryOperator<T>
    {
        public void Run(ReadOnlySpan<long> offsets, long n)
        {
            ref T py = ref At(y, offsets[0]);
            ref T px = ref At(x, offsets[1]);
            if (xStride == 1 && yStride == 1)
            {
                SimdLoops.Map(op, ref px, ref py, (nint)n);
                return;
            }
            if (xStride == 0)
            {
                SimdLoops.Fill(ref py, yStride, op.Invoke(px), n);
                return;
            }
            for (long i = 0; i < n; i++)
                Unsafe.Add(ref py, (nint)(i * yStride)) = op.Invoke(Unsafe.Add(ref px, (nint)(i * xStride)));
        }
    }

    private readonly struct BinaryRun<T, TOp>(TOp op, T[] a, T[] b, T[] y, long aStride, long bStride, long yStride) : IRunBody
        where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        public void Run(ReadOnlySpan<long> offsets, long n)
        {
            ref T py = ref At(y, offsets[0]);
            ref T pa = ref At(a, offsets[1]);
            ref T pb = ref At(b, offsets[2]);
            if (aStride == 0 && bStride == 0)
            {
                SimdLoops.Fill(ref py, yStride, op.Invoke(pa, pb), n);
                return;
            }
            if (yStride == 1)
            {
                if (aStride == 1 && bStride == 1) { SimdLoops.Map(op, ref pa, ref pb, ref py, (nint)n); return; }
                if (aStride == 1 && bStride == 0) { SimdLoops.MapScalarRight(op, ref pa, pb, ref py, (nint)n); return; }
                if (aStride == 0 && bStride == 1) { SimdLoops.MapScalarLeft(op, pa, ref pb, ref py, (nint)n); return; }
            }
            for (long i = 0; i < n; i++)
                Unsafe.Add(ref py, (nint)(i * yStride)) = op.Invoke(Unsafe.Add(ref pa, (nint)(i * aStride)), Unsafe.Add(ref pb, (nint)(i * bStride)));
        }
    }

    private readonly struct ScalarRun<T, TOp>(TOp op, T[] a, T s, bool scalarFirst, T[] y, long aStride, long yStride) : IRunBody
        where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        public void Run(ReadOnlySpan<long> offsets, long n) => Run(offsets[0], offsets[1], n);

        public void Run(long yOffset, long aOffset, long n)
        {
            ref T py = ref At(y, yOffset);
            ref T pa = ref At(a, aOffset);
            if (aStride == 0)
            {
                SimdLoops.Fill(ref py, yStride, scalarFirst ? op.Invoke(s, pa) : op.Invoke(pa, s), n);
                return;
            }
            if (aStride == 1 && yStride == 1)
            {
                if (scalarFirst) SimdLoops.MapScalarLeft(op, s, ref pa, ref py, (nint)n);
                else SimdLoops.MapScalarRight(op, ref pa, s, ref py, (nint)n);
                return;
            }
            if (scalarFirst)
            {
                for (long i = 0; i < n; i++)
                    Unsafe.Add(ref py, (nint)(i * yStride)) = op.Invoke(s, Unsafe.Add(ref pa, (nint)(i * aStride)));
                return;
            }
            for (long i = 0; i < n; i++)
                Unsafe.Add(ref py, (nint)(i * yStride)) = op.Invoke(Unsafe.Add(ref pa, (nint)(i * aStride)), s);
        }
    }
}
