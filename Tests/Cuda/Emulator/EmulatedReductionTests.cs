using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Cuda.Ops;
using Scratch.Tests.Support;
using static Scratch.Tests.Cuda.TestViews;

namespace Scratch.Tests.Cuda.Emulator;

/// <summary>Reductions and softmax in the CUDA emulator, against float64 references, on every launcher path.</summary>
[TestFixture, Category("Emulator")]
public class EmulatedReductionTests
{
    private static CpuBackend Cpu => CpuBackend.Instance;

    // Warp rows; split block rows; columns; split columns; several reduced dims; nothing reduced;
    // everything reduced; size-1 dims. (Unsplit block rows: UnsplitLongRowsMatch.)
    private static readonly (int[] Shape, int Reduced, Layout Layout)[] Problems =
    [
        ([64, 10], 1, Layout.Contiguous),
        ([2, 20000], 1, Layout.Offset),
        ([64, 100], 1, Layout.Transposed),
        ([4, 5000], 1, Layout.Transposed),
        ([3, 4, 5], 2, Layout.Strided),
        ([6, 7], 0, Layout.Contiguous),
        ([3, 4], 2, Layout.Transposed),
        ([5, 1, 3, 7], 2, Layout.Transposed),
    ];

    private static double Reference(ReduceOp op, double[] row)
    {
        switch (op)
        {
            case ReduceOp.Sum: return row.Sum();
            case ReduceOp.Mean: return row.Sum() / row.Length;
            case ReduceOp.Max: return row.Any(double.IsNaN) ? double.NaN : row.Max();
            case ReduceOp.Min: return row.Any(double.IsNaN) ? double.NaN : row.Min();
            case ReduceOp.ArgMax:
            case ReduceOp.ArgMin:
            {
                int best = 0;
                for (int i = 1; i < row.Length; i++)
                {
                    if (double.IsNaN(row[best])) break;
                    bool better = double.IsNaN(row[i]) || (op == ReduceOp.ArgMax ? row[i] > row[best] : row[i] < row[best]);
                    if (better) best = i;
                }
                return best;
            }
            default:
            {
                double m = row.Any(double.IsNaN) ? double.NaN : row.Max();
                if (!double.IsFinite(m)) return m;
                return m + Math.Log(row.Sum(v => Math.Exp(v - m)));
            }
        }
    }

    [Test]
    public void ReduceMatchesTheReference([Values] ReduceOp op, [Values(DType.Float32, DType.Float64, DType.Int32)] DType dtype)
    {
        if (dtype == DType.Int32 && op is ReduceOp.Mean or ReduceOp.LogSumExp) return;
        using var host = new EmulatedKernelHost();
        foreach (var (shape, reduced, layout) in Problems)
        {
            var values = Noise(1 << 15, 3).Select(v => dtype == DType.Int32 ? Math.Round(1000 * v) : v).ToArray();
            var x = Make(Cpu, dtype, shape, layout, values);
            var outType = op is ReduceOp.ArgMax or ReduceOp.ArgMin ? DType.Int32 : dtype;
            var y = Make(Cpu, outType, shape[..^reduced], Layout.Contiguous, [-1]);
            ReductionOps.Reduce(host, op, x, reduced, y);
            int n = (int)BufferView.ElementCount(shape[^reduced..]);
            var xs = Read(x);
            var expected = Enumerable.Range(0, xs.Length / n).Select(r => Reference(op, xs.AsSpan(r * n, n).ToArray())).ToArray();
            if (outType != DType.Int32 && dtype == DType.Float32) expected = expected.Select(v => (double)(float)v).ToArray();
            // The kernels accumulate float32 in double: only the final rounding to float32 remains.
            double rtol = dtype == DType.Float32 ? 1.5 / (1 << 24) : 1e-13;
            AssertClose(expected, Read(y), _ => dtype == DType.Float64 ? 1e-12 : 0, op is ReduceOp.ArgMax or ReduceOp.ArgMin ? 0 : rtol,
                $"{op} {dtype} [{string.Join(", ", shape)}] over {reduced} {layout}");
        }
    }

    [Test]
    public void UnsplitLongRowsMatch([Values(ReduceOp.LogSumExp)] ReduceOp op)
    {
        // 256 rows of more than 2048: one block per row, no split.
        using var host = new EmulatedKernelHost();
        var x = Make(Cpu, DType.Float64, [256, 2049], Layout.Contiguous, Noise(1 << 15, 8));
        var y = Make(Cpu, op == ReduceOp.ArgMax ? DType.Int32 : DType.Float64, [256], Layout.Contiguous, [-1]);
        ReductionOps.Reduce(host, op, x, 1, y);
        var xs = Read(x);
        var expected = Enumerable.Range(0, 256).Select(r => Reference(op, xs.AsSpan(r * 2049, 2049).ToArray())).ToArray();
        AssertClose(expected, Read(y), _ => 1e-12, 1e-13, $"{op} over 256 rows of 2049");
    }

    [Test]
    public void ReduceHandlesNaNInfinityAndTies([Values] ReduceOp op)
    {
        using var host = new EmulatedKernelHost();
        double inf = double.PositiveInfinity;
        double[] rows = [1, double.NaN, 3, double.NaN, -inf, -inf, -inf, -inf, 2, inf, 1, inf, 5, 5, -1, 5];
        var x = Make(Cpu, DType.Float64, [4, 4], Layout.Contiguous, rows);
        var y = Make(Cpu, op is ReduceOp.ArgMax or ReduceOp.ArgMin ? DType.Int32 : DType.Float64, [4], Layout.Contiguous, [-1]);
        ReductionOps.Reduce(host, op, x, 1, y);
        var expected = Enumerable.Range(0, 4).Select(r => Reference(op, rows.AsSpan(4 * r, 4).ToArray())).ToArray();
        AssertClose(expected, Read(y), _ => 1e-15, 1e-15, $"{op} on special values");
    }

    [Test]
    public void SoftmaxMatchesTheReference([Values] bool log, [Values(DType.Float32, DType.Float64)] DType dtype)
    {
        using var host = new EmulatedKernelHost();
        foreach (var shape in new[] { new[] { 4, 10, 1 }, [2, 3000, 1], [3, 7, 5], [5, 1, 3] })
        {
            var x = Make(Cpu, dtype, shape, Layout.Contiguous, Noise(1 << 13, 4).Select(v => 8 * v).ToArray());
            var y = Make(Cpu, dtype, shape, Layout.Contiguous, [0]);
            SoftmaxOps.Forward(host, x, y, log);
            var xs = Read(x);
            var expected = SoftmaxReference.Forward(xs, shape[0], shape[1], shape[2], log);
            double tolerance = dtype == DType.Float32 ? 2e-6 : 1e-13;
            AssertClose(expected, Read(y), _ => tolerance, tolerance, $"softmax log={log} {dtype} [{string.Join(", ", shape)}]");

            var gy = Make(Cpu, dtype, shape, Layout.Contiguous, Noise(1 << 13, 5));
            var gx = Make(Cpu, dtype, shape, Layout.Contiguous, [0]);
            SoftmaxOps.Backward(host, y, gy, gx, log);
            var ys = Read(y);
            var gys = Read(gy);
            var expectedGrad = SoftmaxReference.Backward(ys, gys, shape[0], shape[1], shape[2], log);
            AssertClose(expectedGrad, Read(gx), _ => tolerance * 10, tolerance, $"softmax backward log={log} {dtype} [{string.Join(", ", shape)}]");
        }
    }
}
