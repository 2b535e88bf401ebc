using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// y = x for views of one shape and any strides (this is how a view is made contiguous), converting
/// between Float32, Float64 and Int32 when the dtypes differ.
/// </summary>
internal static class CopyKernel
{
    public static void Run(BufferView x, BufferView y)
    {
        BackendContract.Copy(x, y);
        if (y.Count == 0) return;
        switch (x.DType, y.DType)
        {
            case (DType.Float32, DType.Float32): Same<float>(x, y); break;
            case (DType.Float64, DType.Float64): Same<double>(x, y); break;
            case (DType.Int32, DType.Int32): Same<int>(x, y); break;
            case (DType.Float32, DType.Float64): Convert<float, double>(x, y); break;
            case (DType.Float32, DType.Int32): Convert<float, int>(x, y); break;
            case (DType.Float64, DType.Float32): Convert<double, float>(x, y); break;
            case (DType.Float64, DType.Int32): Convert<double, int>(x, y); break;
            case (DType.Int32, DType.Float32): Convert<int, float>(x, y); break;
            case (DType.Int32, DType.Float64): Convert<int, double>(x, y); break;
            default: throw new ArgumentException($"copy: cannot convert {x.DType} to {y.DType}");
        }
    }

    /// <summary>
    /// Float to Int32 as the contract says: truncation toward zero; out-of-range values saturate
    /// and NaN gives 0 (what .NET's cast does on every platform, spelled out).
    /// </summary>
    public static int ToInt32(double value)
    {
        if (double.IsNaN(value)) return 0;
        if (value >= int.MaxValue) return int.MaxValue;
        if (value <= int.MinValue) return int.MinValue;
        return (int)value;
    }

    private static void Same<T>(BufferView x, BufferView y) where T : unmanaged
    {
        var loop = StridedLoop.Create(y, x);
        int rank = loop.Rank;
        // A transpose of the last two dims (x runs down the columns of y): copy in tiles.
        if (rank >= 2 && loop.InnerStride(0) == 1 && loop.Stride(1, rank - 2) == 1 && Math.Abs(loop.InnerStride(1)) > 1)
        {
            TiledTranspose(loop, CpuViews.Array<T>(x), CpuViews.Array<T>(y));
            return;
        }
        loop.Run(new SameRun<T>(CpuViews.Array<T>(x), CpuViews.Array<T>(y), loop.InnerStride(1), loop.InnerStride(0)));
    }

    /// <summary>
    /// y[i, j] = x[i, j] where y is contiguous along j and x along i: done in square tiles so that the
    /// strided reads of one tile share cache lines instead of touching a new line per element.
    /// </summary>
    private static void TiledTranspose<T>(StridedLoop loop, T[] x, T[] y) where T : unmanaged
    {
        const int Tile = 32;
        int rank = loop.Rank;
        long rows = loop.DimSize(rank - 2), cols = loop.DimSize(rank - 1);
        long xColumnStride = loop.Stride(1, rank - 1), yRowStride = loop.Stride(0, rank - 2);
        long rowTiles = (rows + Tile - 1) / Tile;
        long outer = loop.Count / (rows * cols);
        CpuParallel.ForBalanced(outer * rowTiles, Math.Max(1, StridedLoop.ParallelGrain / (Tile * cols)), (first, last) =>
        {
            for (long task = first; task < last; task++)
            {
                long o = task / rowTiles, i0 = task % rowTiles * Tile;
                long i1 = Math.Min(rows, i0 + Tile);
                ref T px = ref At(x, loop.OffsetOf(1, o, rank - 2));
                ref T py = ref At(y, loop.OffsetOf(0, o, rank - 2));
                for (long j0 = 0; j0 < cols; j0 += Tile)
                {
                    long j1 = Math.Min(cols, j0 + Tile);
                    for (long i = i0; i < i1; i++)
                        for (long j = j0; j < j1; j++)
                            Unsafe.Add(ref py, (nint)(i * yRowStride + j)) = Unsafe.Add(ref px, (nint)(i + j * xColumnStride));
                }
            }
        });
    }

    private static void Convert<TFrom, TTo>(BufferView x, BufferView y)
        where TFrom : unmanaged, INumber<TFrom> where TTo : unmanaged, INumber<TTo>
    {
        var loop = StridedLoop.Create(y, x);
        loop.Run(new ConvertRun<TFrom, TTo>(CpuViews.Array<TFrom>(x), CpuViews.Array<TTo>(y), loop.InnerStride(1), loop.InnerStride(0)));
    }

    private static ref T At<T>(T[] array, long offset) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), (nint)offset);

    private readonly struct SameRun<T>(T[] x, T[] y, long xStride, long yStride) : IRunBody where T : unmanaged
    {
        public void Run(ReadOnlySpan<long> offsets, long n)
        {
            ref T py = ref At(y, offsets[0]);
            ref T px = ref At(x, offsets[1]);
            if (xStride == 0)
            {
                SimdLoops.Fill(ref py, yStride, px, n);
            }
            else if (xStride == 1 && yStride == 1)
            {
                // A run is one dim of an array, so it fits in an int.
                MemoryMarshal.CreateReadOnlySpan(ref px, (int)n).CopyTo(MemoryMarshal.CreateSpan(ref py, (int)n));
            }
            else
            {
                for (long i = 0; i < n; i++) Unsafe.Add(ref py, (nint)(i * yStride)) = Unsafe.Add(ref px, (nint)(i * xStride));
            }
        }
    }

    private readonly struct ConvertRun<TFrom, TTo>(TFrom[] x, TTo[] y, long xStride, long yStride) : IRunBody
        where TFrom : unmanaged, INumber<TFrom> where TTo : unmanaged, INumber<TTo>
    {
        public void Run(ReadOnlySpan<long> offsets, long n)
        {
            ref TTo py = ref At(y, offsets[0]);
            ref TFrom px = ref At(x, offsets[1]);
            for (long i = 0; i < n; i++)
                Unsafe.Add(ref py, (nint)(i * yStride)) = Convert(Unsafe.Add(ref px, (nint)(i * xStride)));
        }

        private static TTo Convert(TFrom value)
        {
            if (typeof(TTo) == typeof(int))
            {
                int truncated = ToInt32(double.CreateTruncating(value));
                return Unsafe.As<int, TTo>(ref truncated);
            }
            // Widening is exact; float64 -> float32 rounds to nearest.
            return TTo.CreateTruncating(value);
        }
    }
}
