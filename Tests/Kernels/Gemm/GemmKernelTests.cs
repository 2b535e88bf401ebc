using System.Numerics;
using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Tests.Support;

namespace Scratch.Tests.Kernels.Gemm;

/// <summary>CPU MatMul against a naive float64 product of the same logical matrices.</summary>
[TestFixture]
public class GemmKernelTests
{
    /// <summary>How a matrix operand is laid out in its buffer.</summary>
    public enum Layout
    {
        RowMajor,
        /// <summary>Column-major: the transpose of a row-major buffer, i.e. swapped strides.</summary>
        Transposed,
        /// <summary>Neither stride is 1 and rows have gaps.</summary>
        Strided,
    }

    private static readonly int[] OddSizes = [1, 7, 17, 65, 130];

    private static IEnumerable<TestCaseData> OddShapes()
    {
        foreach (int m in OddSizes)
            foreach (int n in OddSizes)
                foreach (int k in OddSizes)
                    yield return new TestCaseData(m, n, k).SetArgDisplayNames($"{m}x{n}x{k}");
    }

    [TestCaseSource(nameof(OddShapes))]
    public void Float32OddSizesMatchReference(int m, int n, int k)
        => CheckProduct<float>([m, k], [k, n], Layout.RowMajor, Layout.RowMajor, Layout.RowMajor, 1, 0, seed: m * 10007 + n * 101 + k);

    [TestCaseSource(nameof(OddShapes))]
    public void Float64OddSizesMatchReference(int m, int n, int k)
        => CheckProduct<double>([m, k], [k, n], Layout.RowMajor, Layout.RowMajor, Layout.RowMajor, 1, 0, seed: m * 10007 + n * 101 + k + 1);

    [TestCase(Layout.Transposed, Layout.RowMajor, Layout.RowMajor)]
    [TestCase(Layout.RowMajor, Layout.Transposed, Layout.RowMajor)]
    [TestCase(Layout.Transposed, Layout.Transposed, Layout.Transposed)]
    [TestCase(Layout.Strided, Layout.Strided, Layout.Strided)]
    [TestCase(Layout.Strided, Layout.Transposed, Layout.RowMajor)]
    public void AnyOperandLayoutMatchesReference(Layout a, Layout b, Layout c)
    {
        CheckProduct<float>([130, 65], [65, 77], a, b, c, 1, 0, seed: 3);
        CheckProduct<double>([17, 130], [130, 66], a, b, c, 1, 0, seed: 4);
        CheckProduct<float>([7, 9], [9, 5], a, b, c, 1, 0, seed: 5);
    }

    [TestCase(0.5, -1.5)]
    [TestCase(2.0, 1.0)]
    [TestCase(-1.0, 0.25)]
    public void AlphaAndBetaScaleProductAndOldC(double alpha, double beta)
    {
        CheckProduct<float>([65, 130], [130, 70], Layout.RowMajor, Layout.RowMajor, Layout.RowMajor, alpha, beta, seed: 6);
        CheckProduct<double>([130, 800], [800, 33], Layout.RowMajor, Layout.Transposed, Layout.Strided, alpha, beta, seed: 7);
        CheckProduct<float>([5, 6], [6, 7], Layout.RowMajor, Layout.RowMajor, Layout.Transposed, alpha, beta, seed: 8);
        // Deeper than one k block (KC), so beta applies on the first block only and later blocks accumulate.
        CheckProduct<float>([20, 2100], [2100, 40], Layout.Transposed, Layout.RowMajor, Layout.RowMajor, alpha, beta, seed: 81);
    }

    [TestCase(3, 4, 5)]
    [TestCase(130, 65, 200)]
    [TestCase(65, 130, 0)]
    public void BetaZeroIgnoresNaNInC(int m, int n, int k)
    {
        var a = Buffers.Make(Noise<float>(m * k, 9), [m, k]);
        var b = Buffers.Make(Noise<float>(k * n, 10), [k, n]);
        var c = Buffers.Make(Enumerable.Repeat(float.NaN, m * n).ToArray(), [m, n]);
        CpuBackend.Instance.MatMul(a, b, c, 1, 0);
        var expected = Reference(Doubles(a), Doubles(b), null, [m, k], [k, n], 1, 0);
        AssertClose(Buffers.Read<float>(c), expected, Tolerance<float>(Doubles(a), Doubles(b), [m, k], [k, n], null, 0), "beta = 0");
    }

    [Test]
    public void EmptyDepthGivesBetaTimesC()
    {
        var a = Buffers.Make(Array.Empty<double>(), [3, 0]);
        var b = Buffers.Make(Array.Empty<double>(), [0, 4]);
        var old = Noise<double>(12, 11);
        var c = Buffers.Make((double[])old.Clone(), [3, 4]);
        CpuBackend.Instance.MatMul(a, b, c, 1, 0.5);
        Assert.That(Buffers.Read<double>(c), Is.EqualTo(old.Select(v => 0.5 * v).ToArray()));
    }

    [Test]
    public void BroadcastBatchWithStrideZero()
    {
        // a is one [M, K] matrix repeated over the batch; b holds one matrix per batch entry.
        int batch = 3, m = 65, k = 40, n = 70;
        var aBuffer = Buffers.Make(Noise<float>(m * k, 12), [m * k]).Buffer;
        var a = new BufferView(aBuffer, 0, [batch, m, k], [0, k, 1]);
        var b = Buffers.Make(Noise<float>(batch * k * n, 13), [batch, k, n]);
        CheckBatched<float>(a, b, Layout.RowMajor, 1, 0);
    }

    [Test]
    public void Rank4BatchWithMixedStrides()
    {
        // Batch dims [2, 3]: a broadcasts over the first, b is transposed per matrix and broadcasts over the second.
        int m = 17, k = 130, n = 7;
        var aBuffer = Buffers.Make(Noise<double>(3 * m * k, 14), [3 * m * k]).Buffer;
        var a = new BufferView(aBuffer, 0, [2, 3, m, k], [0, m * k, k, 1]);
        var bBuffer = Buffers.Make(Noise<double>(2 * k * n, 15), [2 * k * n]).Buffer;
        var b = new BufferView(bBuffer, 0, [2, 3, k, n], [k * n, 0, 1, k]);
        CheckBatched<double>(a, b, Layout.Transposed, 0.75, 0.5);
    }

    [Test]
    public void ManySmallMatricesRunAcrossTheBatch()
    {
        var a = Buffers.Make(Noise<float>(64 * 20 * 30, 16), [64, 20, 30]);
        var b = Buffers.Make(Noise<float>(64 * 30 * 40, 17), [64, 30, 40]);
        CheckBatched<float>(a, b, Layout.RowMajor, 1, 0);
    }

    [Test]
    public void RowsBeyondOnePackedBlock()
    {
        // More rows than one shared A block (MC = 2048) holds, so the outer row-block loop runs twice.
        CheckProduct<float>([3100, 40], [40, 9], Layout.RowMajor, Layout.RowMajor, Layout.RowMajor, 1, 0, seed: 18);
    }

    [Test]
    public void Vector256MicroKernelMatchesReference()
    {
        GemmBlocking.ForceVector256 = true;
        try
        {
            Assert.That(GemmBlocking.For<float>().Vector512, Is.False);
            CheckProduct<float>([65, 130], [130, 77], Layout.RowMajor, Layout.RowMajor, Layout.RowMajor, 1, 0, seed: 19);
            CheckProduct<double>([130, 300], [300, 17], Layout.Transposed, Layout.Strided, Layout.RowMajor, 0.5, 2, seed: 20);
            CheckProduct<float>([7, 130], [130, 65], Layout.RowMajor, Layout.Transposed, Layout.Transposed, 1, 0, seed: 21);
        }
        finally
        {
            GemmBlocking.ForceVector256 = false;
        }
    }

    [Test]
    public void ResultBitsDoNotDependOnThreadCount()
    {
        var a = Buffers.Make(Noise<float>(200 * 500, 22), [200, 500]);
        var b = Buffers.Make(Noise<float>(500 * 300, 23), [500, 300]);
        var c1 = Buffers.Empty(DType.Float32, [200, 300]);
        var c2 = Buffers.Empty(DType.Float32, [200, 300]);
        int saved = CpuParallel.ThreadCount;
        try
        {
            CpuParallel.ThreadCount = 1;
            CpuBackend.Instance.MatMul(a, b, c1);
            CpuParallel.ThreadCount = 2;
            CpuBackend.Instance.MatMul(a, b, c2);
        }
        finally
        {
            CpuParallel.ThreadCount = saved;
        }
        Assert.That(Buffers.Read<float>(c2), Is.EqualTo(Buffers.Read<float>(c1)));
    }

    [Test]
    public void MismatchedShapesThrowWithTheShapes()
    {
        var a = Buffers.Empty(DType.Float32, [4, 5]);
        var b = Buffers.Empty(DType.Float32, [6, 7]);
        var c = Buffers.Empty(DType.Float32, [4, 7]);
        var error = Assert.Throws<ArgumentException>(() => CpuBackend.Instance.MatMul(a, b, c));
        Assert.That(error!.Message, Does.Contain("a [4, 5]").And.Contain("b [6, 7]"));
        var wrongType = Buffers.Empty(DType.Float64, [4, 7]);
        Assert.Throws<ArgumentException>(() => CpuBackend.Instance.MatMul(a, Buffers.Empty(DType.Float32, [5, 7]), wrongType));
        var ints = Buffers.Empty(DType.Int32, [2, 2]);
        Assert.Throws<NotSupportedException>(() => CpuBackend.Instance.MatMul(ints, ints, Buffers.Empty(DType.Int32, [2, 2])));
    }

    [Test]
    public void ViewOutsideItsBufferIsRejected()
    {
        var buffer = CpuBackend.Instance.Allocate(DType.Float32, 10);
        var a = new BufferView(buffer, 0, [4, 4], [4, 1]);
        var b = Buffers.Empty(DType.Float32, [4, 4]);
        var c = Buffers.Empty(DType.Float32, [4, 4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => CpuBackend.Instance.MatMul(a, b, c));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static void CheckProduct<T>(int[] aShape, int[] bShape, Layout aLayout, Layout bLayout, Layout cLayout,
        double alpha, double beta, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = aShape[0], n = bShape[1];
        var a = MakeMatrix<T>(aShape[0], aShape[1], aLayout, seed);
        var b = MakeMatrix<T>(bShape[0], bShape[1], bLayout, seed + 1000);
        var c = MakeMatrix<T>(m, n, cLayout, seed + 2000);
        var cBefore = Buffers.Read<T>(BufferView.Contiguous(c.Buffer, [(int)c.Buffer.Length]));
        double[] oldC = Doubles(c);

        CpuBackend.Instance.MatMul(a, b, c, alpha, beta);

        double[] expected = Reference(Doubles(a), Doubles(b), oldC, aShape, bShape, alpha, beta);
        string what = $"{typeof(T).Name} {m}x{n}x{aShape[1]} a {aLayout} b {bLayout} c {cLayout} alpha {alpha} beta {beta}";
        AssertClose(Buffers.Read<T>(c), expected, Tolerance<T>(Doubles(a), Doubles(b), aShape, bShape, oldC, beta, alpha), what);
        AssertOutsideUntouched(c, cBefore, what);
    }

    private static void CheckBatched<T>(BufferView a, BufferView b, Layout cLayout, double alpha, double beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rank = a.Rank;
        int m = a.Shape[rank - 2], k = a.Shape[rank - 1], n = b.Shape[rank - 1];
        int[] batchShape = a.Shape[..^2];
        int batch = batchShape.Aggregate(1, (x, y) => x * y);
        var cShape = batchShape.Concat(new[] { m, n }).ToArray();
        var c = Buffers.Make(Noise<T>(batch * m * n, 99), cShape);
        if (cLayout == Layout.Transposed)
        {
            var strides = BufferView.ContiguousStrides(cShape);
            strides[rank - 2] = 1;
            strides[rank - 1] = m;
            c = new BufferView(c.Buffer, 0, cShape, strides);
        }
        double[] av = Doubles(a), bv = Doubles(b), cv = Doubles(c);
        CpuBackend.Instance.MatMul(a, b, c, alpha, beta);
        var actual = Buffers.Read<T>(c);
        for (int i = 0; i < batch; i++)
        {
            double[] ai = av.AsSpan(i * m * k, m * k).ToArray(), bi = bv.AsSpan(i * k * n, k * n).ToArray(), ci = cv.AsSpan(i * m * n, m * n).ToArray();
            var expected = Reference(ai, bi, ci, [m, k], [k, n], alpha, beta);
            AssertClose(actual.AsSpan(i * m * n, m * n).ToArray(), expected, Tolerance<T>(ai, bi, [m, k], [k, n], ci, beta, alpha), $"batch entry {i}");
        }
    }

    /// <summary>A rows × cols view of noise in the given layout (strided: row stride 2·cols + 1, column stride 2, offset 3).</summary>
    private static BufferView MakeMatrix<T>(int rows, int cols, Layout layout, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        (long rowStride, long colStride, long offset) = layout switch
        {
            Layout.RowMajor => ((long)cols, 1L, 0L),
            Layout.Transposed => (1L, (long)rows, 0L),
            _ => (2L * cols + 1, 2L, 3L),
        };
        long length = offset + (rows - 1L) * rowStride + (cols - 1L) * colStride + 1;
        if (rows == 0 || cols == 0) length = offset;
        var buffer = Buffers.Make(Noise<T>((int)length, seed), [(int)length]).Buffer;
        return new BufferView(buffer, offset, [rows, cols], [rowStride, colStride]);
    }

    /// <summary>alpha·A·B + beta·C in float64 for row-major logical matrices (beta = 0 ignores C).</summary>
    private static double[] Reference(double[] a, double[] b, double[]? c, int[] aShape, int[] bShape, double alpha, double beta)
    {
        int m = aShape[0], k = aShape[1], n = bShape[1];
        var result = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++) sum += a[i * k + p] * b[p * n + j];
                result[i * n + j] = alpha * sum + (beta == 0 ? 0 : beta * c![i * n + j]);
            }
        return result;
    }

    /// <summary>The forward error bound of a k-term float dot product: 2·(k + 2)·eps·(|alpha|·Σ|a·b| + |beta·c|).</summary>
    private static double[] Tolerance<T>(double[] a, double[] b, int[] aShape, int[] bShape, double[]? c, double beta, double alpha = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = aShape[0], k = aShape[1], n = bShape[1];
        double eps = typeof(T) == typeof(float) ? Math.Pow(2, -23) : Math.Pow(2, -52);
        var tolerance = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double magnitude = 0;
                for (int p = 0; p < k; p++) magnitude += Math.Abs(a[i * k + p] * b[p * n + j]);
                magnitude = Math.Abs(alpha) * magnitude + (beta == 0 ? 0 : Math.Abs(beta * c![i * n + j]));
                tolerance[i * n + j] = 2 * (k + 2) * eps * magnitude + 1e-300;
            }
        return tolerance;
    }

    private static void AssertClose<T>(T[] actual, double[] expected, double[] tolerance, string what) where T : unmanaged, INumber<T>
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what);
        for (int i = 0; i < expected.Length; i++)
        {
            double value = double.CreateTruncating(actual[i]);
            if (!(Math.Abs(value - expected[i]) <= tolerance[i]))
                Assert.Fail($"{what}: element {i} is {value}, expected {expected[i]} ± {tolerance[i]:G3}");
        }
    }

    /// <summary>Elements of C's buffer that the view does not cover must keep their old values.</summary>
    private static void AssertOutsideUntouched<T>(BufferView c, T[] before, string what) where T : unmanaged, INumber<T>
    {
        var covered = new bool[c.Buffer.Length];
        for (int i = 0; i < c.Shape[0]; i++)
            for (int j = 0; j < c.Shape[1]; j++) covered[c.Offset + i * c.Strides[0] + j * c.Strides[1]] = true;
        var after = Buffers.Read<T>(BufferView.Contiguous(c.Buffer, [(int)c.Buffer.Length]));
        for (int i = 0; i < after.Length; i++)
        {
            if (!covered[i] && after[i] != before[i])
                Assert.Fail($"{what}: element {i} outside the view of c changed from {before[i]} to {after[i]}");
        }
    }

    private static double[] Doubles(BufferView view) => view.DType switch
    {
        DType.Float32 => Buffers.Read<float>(view).Select(v => (double)v).ToArray(),
        _ => Buffers.Read<double>(view),
    };

    private static T[] Noise<T>(int count, int seed) where T : INumberBase<T>
        => Buffers.Noise(count, seed).Select(T.CreateTruncating).ToArray();
}
