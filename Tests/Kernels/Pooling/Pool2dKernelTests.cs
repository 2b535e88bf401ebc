using System.Numerics;
using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Tests.Support;

namespace Scratch.Tests.Kernels.Pooling;

/// <summary>CPU max and average pooling against naive float64 loops over each window.</summary>
[TestFixture]
public class Pool2dKernelTests
{
    /// <summary>One test geometry over x [N, C, H, W].</summary>
    public sealed record Case(string Name, int N, int C, int H, int W, Pool2dParams P)
    {
        public int OH => P.OutputHeight(H);
        public int OW => P.OutputWidth(W);
        public override string ToString() => Name;
    }

    private static readonly Case[] Cases =
    [
        new("2x2 stride 2", 2, 3, 8, 8, new Pool2dParams(2, 2, 2, 2)),
        new("3x3 stride 2 pad 1 (overlapping)", 2, 2, 7, 9, new Pool2dParams(3, 3, 2, 2, 1, 1)),
        new("3x2 stride 1x2 pad 1x0", 1, 3, 6, 7, new Pool2dParams(3, 2, 1, 2, 1, 0)),
        new("5x5 stride 1 pad 2", 2, 2, 5, 6, new Pool2dParams(5, 5, 1, 1, 2, 2)),
        new("1x1", 1, 1, 1, 1, new Pool2dParams(1, 1, 1, 1)),
        new("large plane set", 16, 8, 12, 12, new Pool2dParams(2, 2, 2, 2)),
        new("2x2 stride 2 on 28x28 (vector path and tail)", 2, 3, 28, 28, new Pool2dParams(2, 2, 2, 2)),
        new("2x2 stride 2 on odd 9x19 (last row and column unused)", 2, 2, 9, 19, new Pool2dParams(2, 2, 2, 2)),
        new("2x2 stride 2 on 2x3 (tail only)", 1, 2, 2, 3, new Pool2dParams(2, 2, 2, 2)),
    ];

    [TestCaseSource(nameof(Cases))]
    public void MaxForwardAndBackwardMatchReference(Case c)
    {
        CheckMax<float>(c, ties: false);
        CheckMax<double>(c, ties: false);
    }

    [TestCaseSource(nameof(Cases))]
    public void MaxPicksTheFirstOfTiedMaxima(Case c)
    {
        CheckMax<float>(c, ties: true);
        CheckMax<double>(c, ties: true);
    }

    [TestCaseSource(nameof(Cases))]
    public void MaxHandlesNaNAndInfinitiesLikeTheReference(Case c)
    {
        CheckMax<float>(c, ties: true, specials: true);
        CheckMax<double>(c, ties: true, specials: true);
    }

    [TestCaseSource(nameof(Cases))]
    public void AvgForwardAndBackwardMatchReference(Case c)
    {
        foreach (bool includePad in new[] { true, false })
        {
            var p = c.P with { CountIncludePad = includePad };
            CheckAvg<float>(c with { P = p });
            CheckAvg<double>(c with { P = p });
        }
    }

    [Test]
    public void MaxTreatsNaNAsTheMaximumAndTakesTheFirst()
    {
        // Plane [[1, NaN, 3, 4], [NaN, 2, 5, NaN]]; 2x2 windows at stride 2.
        var x = Buffers.Make(new[] { 1f, float.NaN, 3f, 4f, float.NaN, 2f, 5f, float.NaN }, [1, 1, 2, 4]);
        var y = Buffers.Empty(DType.Float32, [1, 1, 1, 2]);
        var indices = Buffers.Empty(DType.Int32, [1, 1, 1, 2]);
        CpuBackend.Instance.MaxPool2dForward(x, y, indices, new Pool2dParams(2, 2, 2, 2));
        Assert.That(float.IsNaN(Buffers.Read<float>(y)[0]) && float.IsNaN(Buffers.Read<float>(y)[1]), Is.True);
        Assert.That(Buffers.Read<int>(indices), Is.EqualTo(new[] { 1, 7 }));
    }

    [Test]
    public void MaxOnHandComputedTies()
    {
        // [[2, 2, 0], [2, 1, 3], [0, 3, 3]] with 2x2 windows at stride 1.
        var x = Buffers.Make(new[] { 2.0, 2, 0, 2, 1, 3, 0, 3, 3 }, [1, 1, 3, 3]);
        var y = Buffers.Empty(DType.Float64, [1, 1, 2, 2]);
        var indices = Buffers.Empty(DType.Int32, [1, 1, 2, 2]);
        CpuBackend.Instance.MaxPool2dForward(x, y, indices, new Pool2dParams(2, 2, 1, 1));
        Assert.That(Buffers.Read<double>(y), Is.EqualTo(new[] { 2.0, 3, 3, 3 }));
        Assert.That(Buffers.Read<int>(indices), Is.EqualTo(new[] { 0, 5, 7, 5 }));
    }

    [Test]
    public void MaxBackwardAddsThroughIndicesOutsideTheirWindow()
    {
        // 2x2 windows at stride 2 on a 4x4 plane, but every index names cell 5 (inside window 0 only):
        // the backward pass must still add all four gradients there, as the scatter rule says.
        var gy = Buffers.Make(new[] { 1f, 2f, 3f, 4f }, [1, 1, 2, 2]);
        var indices = Buffers.Make(new[] { 5, 5, 5, 5 }, [1, 1, 2, 2]);
        var gx = Buffers.Make(Enumerable.Repeat(9f, 16).ToArray(), [1, 1, 4, 4]);
        CpuBackend.Instance.MaxPool2dBackward(gy, indices, gx, new Pool2dParams(2, 2, 2, 2));
        var expected = new float[16];
        expected[5] = 10f;
        Assert.That(Buffers.Read<float>(gx), Is.EqualTo(expected));
    }

    [Test]
    public void MaxBackwardAddsThroughAnIndexOutsideItsWindowAmongValidOnes()
    {
        // One row of eight 2x2 windows on a 2x16 plane (four windows at a time): window 2 names a cell of
        // window 0, the others their own bottom-right cell.
        var gy = Buffers.Make(Enumerable.Range(1, 8).Select(v => (float)v).ToArray(), [1, 1, 1, 8]);
        int[] where = Enumerable.Range(0, 8).Select(w => 16 + 2 * w + 1).ToArray();
        where[2] = 1;
        var gx = Buffers.Make(Enumerable.Repeat(9f, 32).ToArray(), [1, 1, 2, 16]);
        CpuBackend.Instance.MaxPool2dBackward(gy, Buffers.Make(where, [1, 1, 1, 8]), gx, new Pool2dParams(2, 2, 2, 2));
        var expected = new float[32];
        for (int w = 0; w < 8; w++) expected[where[w]] += w + 1;
        Assert.That(Buffers.Read<float>(gx), Is.EqualTo(expected));
    }

    [Test]
    public void BadInputThrows()
    {
        var x = Buffers.Empty(DType.Float32, [1, 2, 6, 6]);
        var y = Buffers.Empty(DType.Float32, [1, 2, 3, 3]);
        var indices = Buffers.Empty(DType.Int32, [1, 2, 3, 3]);
        Assert.Throws<ArgumentException>(() => CpuBackend.Instance.MaxPool2dForward(x, y, indices, new Pool2dParams(2, 2, 2, 2, 2, 2)));
        Assert.Throws<ArgumentException>(() => CpuBackend.Instance.MaxPool2dForward(x, Buffers.Empty(DType.Float32, [1, 2, 4, 3]), indices, new Pool2dParams(2, 2, 2, 2)));
        Assert.Throws<ArgumentException>(() => CpuBackend.Instance.MaxPool2dForward(x, y, Buffers.Empty(DType.Float32, [1, 2, 3, 3]), new Pool2dParams(2, 2, 2, 2)));
        Assert.Throws<ArgumentException>(() => CpuBackend.Instance.AvgPool2dForward(x, y, new Pool2dParams(2, 2, 0, 2)));
        var badIndices = Buffers.Make(Enumerable.Repeat(36, 18).ToArray(), [1, 2, 3, 3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => CpuBackend.Instance.MaxPool2dBackward(y, badIndices, x, new Pool2dParams(2, 2, 2, 2)));
    }

    // ---- checks ---------------------------------------------------------------------------

    private static void CheckMax<T>(Case c, bool ties, bool specials = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] x = Buffers.Noise(c.N * c.C * c.H * c.W, c.H * 31 + c.W);
        if (ties) x = x.Select(v => Math.Round(v * 2) / 2).ToArray(); // five levels: many equal maxima
        if (specials)
        {
            // NaNs (sometimes two in a window), infinities of both signs and windows of only −∞.
            for (int i = 0; i < x.Length; i++)
                x[i] = i % 7 == 3 || i % 23 == 4 ? double.NaN : i % 11 == 5 ? double.NegativeInfinity : i % 13 == 6 ? double.PositiveInfinity : x[i];
            for (int i = 0; i + 1 < x.Length && i < 2 * c.W; i++) x[i] = double.NegativeInfinity;
        }
        double[] gy = Buffers.Noise(c.N * c.C * c.OH * c.OW, 77);
        var y = Buffers.Empty(DTypeExtensions.Of<T>(), [c.N, c.C, c.OH, c.OW]);
        var indices = Buffers.Empty(DType.Int32, [c.N, c.C, c.OH, c.OW]);
        CpuBackend.Instance.MaxPool2dForward(Make<T>(x, [c.N, c.C, c.H, c.W]), y, indices, c.P);
        var gx = Make<T>(Buffers.Noise(x.Length, 78), [c.N, c.C, c.H, c.W]);
        CpuBackend.Instance.MaxPool2dBackward(Make<T>(gy, [c.N, c.C, c.OH, c.OW]), indices, gx, c.P);

        var expectedY = new double[gy.Length];
        var expectedIndex = new int[gy.Length];
        var expectedGx = new double[x.Length];
        int planeIn = c.H * c.W, planeOut = c.OH * c.OW;
        for (int plane = 0; plane < c.N * c.C; plane++)
            for (int oh = 0; oh < c.OH; oh++)
                for (int ow = 0; ow < c.OW; ow++)
                {
                    double best = double.NegativeInfinity;
                    int bestAt = -1;
                    foreach (var (h, w) in WindowCells(c, oh, ow))
                    {
                        double v = x[plane * planeIn + h * c.W + w];
                        if (bestAt < 0 || (!double.IsNaN(best) && (v > best || double.IsNaN(v))))
                        {
                            best = v;
                            bestAt = h * c.W + w;
                        }
                    }
                    int o = plane * planeOut + oh * c.OW + ow;
                    expectedY[o] = best;
                    expectedIndex[o] = bestAt;
                    expectedGx[plane * planeIn + bestAt] += gy[o];
                }

        Assert.That(Buffers.Read<int>(indices), Is.EqualTo(expectedIndex), $"{c} indices");
        Assert.That(Buffers.Read<T>(y).Select(double.CreateTruncating).ToArray(), Is.EqualTo(expectedY.Select(v => double.CreateTruncating(T.CreateTruncating(v))).ToArray()), $"{c} y");
        AssertClose(Buffers.Read<T>(gx), expectedGx, $"{c} max backward");
    }

    private static void CheckAvg<T>(Case c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] x = Buffers.Noise(c.N * c.C * c.H * c.W, c.H * 17 + c.W);
        double[] gy = Buffers.Noise(c.N * c.C * c.OH * c.OW, 79);
        var y = Buffers.Empty(DTypeExtensions.Of<T>(), [c.N, c.C, c.OH, c.OW]);
        CpuBackend.Instance.AvgPool2dForward(Make<T>(x, [c.N, c.C, c.H, c.W]), y, c.P);
        var gx = Make<T>(Buffers.Noise(x.Length, 80), [c.N, c.C, c.H, c.W]);
        CpuBackend.Instance.AvgPool2dBackward(Make<T>(gy, [c.N, c.C, c.OH, c.OW]), gx, c.P);

        var expectedY = new double[gy.Length];
        var expectedGx = new double[x.Length];
        int planeIn = c.H * c.W, planeOut = c.OH * c.OW;
        var p = c.P;
        for (int plane = 0; plane < c.N * c.C; plane++)
            for (int oh = 0; oh < c.OH; oh++)
                for (int ow = 0; ow < c.OW; ow++)
                {
                    var cells = WindowCells(c, oh, ow).ToList();
                    // With padding counted, the divisor is the window clipped to the padded input.
                    int h0 = oh * p.StrideH - p.PadH, w0 = ow * p.StrideW - p.PadW;
                    int paddedH = Math.Min(h0 + p.KernelH, c.H + p.PadH) - h0;
                    int paddedW = Math.Min(w0 + p.KernelW, c.W + p.PadW) - w0;
                    double divisor = p.CountIncludePad ? paddedH * paddedW : cells.Count;
                    int o = plane * planeOut + oh * c.OW + ow;
                    expectedY[o] = cells.Sum(cell => x[plane * planeIn + cell.H * c.W + cell.W]) / divisor;
                    foreach (var (h, w) in cells) expectedGx[plane * planeIn + h * c.W + w] += gy[o] / divisor;
                }

        string what = $"{c} include pad {p.CountIncludePad}";
        AssertClose(Buffers.Read<T>(y), expectedY, what + " avg forward");
        AssertClose(Buffers.Read<T>(gx), expectedGx, what + " avg backward");
    }

    /// <summary>The real (non-padding) cells of window (oh, ow) in row-major order.</summary>
    private static IEnumerable<(int H, int W)> WindowCells(Case c, int oh, int ow)
    {
        var p = c.P;
        for (int kh = 0; kh < p.KernelH; kh++)
            for (int kw = 0; kw < p.KernelW; kw++)
            {
                int h = oh * p.StrideH - p.PadH + kh, w = ow * p.StrideW - p.PadW + kw;
                if (h >= 0 && h < c.H && w >= 0 && w < c.W) yield return (h, w);
            }
    }

    private static BufferView Make<T>(double[] values, int[] shape) where T : unmanaged, INumberBase<T>
        => Buffers.Make(values.Select(T.CreateTruncating).ToArray(), shape);

    /// <summary>Closeness within the rounding of a sum of at most 25 terms of magnitude ≤ 1 in <typeparamref name="T"/>.</summary>
    private static void AssertClose<T>(T[] actual, double[] expected, string what) where T : unmanaged, INumberBase<T>
    {
        double rtol = typeof(T) == typeof(float) ? 1e-5 : 1e-13;
        double atol = typeof(T) == typeof(float) ? 1e-6 : 1e-14;
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what);
        for (int i = 0; i < expected.Length; i++)
        {
            double value = double.CreateTruncating(actual[i]);
            if (!(Math.Abs(value - expected[i]) <= atol + rtol * Math.Abs(expected[i])))
                Assert.Fail($"{what} ({typeof(T).Name}): element {i} is {value}, expected {expected[i]}");
        }
    }
}
