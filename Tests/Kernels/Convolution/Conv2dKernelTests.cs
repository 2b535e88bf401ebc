using System.Numerics;
using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Tests.Support;

namespace Scratch.Tests.Kernels.Convolution;

/// <summary>
/// CPU conv2d forward, backward-data and backward-weight against naive float64 loops of the defining
/// sums (the backward loops are the exact derivatives, themselves checked by finite differences).
/// </summary>
[TestFixture]
public class Conv2dKernelTests
{
    /// <summary>One test geometry: x [N, C, H, W], w [O, C/groups, KH, KW].</summary>
    public sealed record Case(string Name, int N, int C, int H, int W, int O, int KH, int KW, Conv2dParams P, bool Bias)
    {
        public int OH => P.OutputHeight(H, KH);
        public int OW => P.OutputWidth(W, KW);
        public int Cg => C / P.Groups;
        public int Og => O / P.Groups;
        public override string ToString() => Name;
    }

    /// <summary>Stride 1, no padding, no dilation, one group. (<c>new Conv2dParams()</c> would be all zeros.)</summary>
    private static readonly Conv2dParams Unit = new(StrideH: 1);

    private static readonly Case[] Cases =
    [
        new("3x3 pad 1 bias", 2, 3, 7, 6, 4, 3, 3, new Conv2dParams(PadH: 1, PadW: 1), true),
        new("stride 2 pad 1x0", 2, 3, 9, 8, 5, 3, 2, new Conv2dParams(StrideH: 2, StrideW: 2, PadH: 1), false),
        new("dilation 2 pad 2 bias", 1, 2, 9, 9, 3, 3, 3, new Conv2dParams(PadH: 2, PadW: 2, DilationH: 2, DilationW: 2), true),
        new("asymmetric stride pad dilation", 2, 2, 8, 9, 3, 2, 3, new Conv2dParams(StrideH: 2, StrideW: 1, PadH: 0, PadW: 2, DilationH: 1, DilationW: 2), true),
        new("groups 2", 2, 4, 6, 7, 6, 3, 3, new Conv2dParams(PadH: 1, PadW: 1, Groups: 2), true),
        new("depthwise", 2, 4, 8, 8, 4, 3, 3, new Conv2dParams(PadH: 1, PadW: 1, Groups: 4), false),
        new("depthwise multiplier 2 stride 2", 3, 3, 7, 7, 6, 3, 3, new Conv2dParams(StrideH: 2, StrideW: 2, PadH: 1, PadW: 1, Groups: 3), true),
        new("pointwise 1x1", 2, 5, 4, 4, 3, 1, 1, Unit, false),
        new("pointwise 1x1 groups 2 bias", 3, 6, 5, 3, 4, 1, 1, new Conv2dParams(Groups: 2), true),
        new("1x1 stride 2", 2, 3, 6, 5, 2, 1, 1, new Conv2dParams(StrideH: 2, StrideW: 2), false),
        new("packed GEMM path", 3, 8, 10, 10, 16, 3, 3, new Conv2dParams(PadH: 1, PadW: 1), true),
        new("first layer 1->32", 4, 1, 12, 12, 32, 3, 3, new Conv2dParams(PadH: 1, PadW: 1), true),
        new("first layer batch 1 (threads inside GEMM)", 1, 1, 14, 13, 32, 3, 3, new Conv2dParams(PadH: 1, PadW: 1), false),
        new("same 5x5 pad 2 on a 3x2 plane (kernel wider than the input)", 2, 2, 3, 2, 3, 5, 5, new Conv2dParams(PadH: 2, PadW: 2), true),
        new("1x3 pad 0x1 (same in width only)", 2, 3, 4, 5, 2, 1, 3, new Conv2dParams(PadW: 1), false),
        new("packed GEMM 5x5 stride 2 groups 2", 5, 8, 13, 12, 12, 5, 5, new Conv2dParams(StrideH: 2, StrideW: 2, PadH: 2, PadW: 2, Groups: 2), true),
    ];

    [TestCaseSource(nameof(Cases))]
    public void ForwardMatchesReference(Case c)
    {
        CheckForward<float>(c);
        CheckForward<double>(c);
    }

    [TestCaseSource(nameof(Cases))]
    public void BackwardDataMatchesReference(Case c)
    {
        CheckBackwardData<float>(c);
        CheckBackwardData<double>(c);
    }

    [TestCaseSource(nameof(Cases))]
    public void BackwardWeightMatchesReference(Case c)
    {
        CheckBackwardWeight<float>(c);
        CheckBackwardWeight<double>(c);
    }

    [Test]
    public void BackwardFormulasAreTheDerivativeOfForward()
    {
        // L = Σ y·r. Central differences of the forward kernel in float64 must match both backward kernels.
        var c = new Case("fd", 2, 4, 6, 5, 4, 3, 2, new Conv2dParams(StrideH: 2, PadH: 1, PadW: 1, DilationW: 2, Groups: 2), true);
        var (x, w, bias) = Inputs(c, 40);
        double[] r = Buffers.Noise(c.N * c.O * c.OH * c.OW, 41);
        double Loss(double[] xs, double[] ws)
        {
            var y = Buffers.Empty(DType.Float64, [c.N, c.O, c.OH, c.OW]);
            CpuBackend.Instance.Conv2dForward(Make(xs, [c.N, c.C, c.H, c.W]), Make(ws, WeightShape(c)), Make(bias, [c.O]), y, c.P);
            return Buffers.Read<double>(y).Select((v, i) => v * r[i]).Sum();
        }
        var gx = Buffers.Empty(DType.Float64, [c.N, c.C, c.H, c.W]);
        CpuBackend.Instance.Conv2dBackwardData(Make(r, [c.N, c.O, c.OH, c.OW]), Make(w, WeightShape(c)), gx, c.P);
        var gw = Buffers.Empty(DType.Float64, WeightShape(c));
        CpuBackend.Instance.Conv2dBackwardWeight(Make(x, [c.N, c.C, c.H, c.W]), Make(r, [c.N, c.O, c.OH, c.OW]), gw, c.P);

        const double eps = 1e-6;
        double[] gxValues = Buffers.Read<double>(gx), gwValues = Buffers.Read<double>(gw);
        for (int i = 0; i < x.Length; i += 7)
        {
            double[] plus = (double[])x.Clone(), minus = (double[])x.Clone();
            plus[i] += eps;
            minus[i] -= eps;
            double numeric = (Loss(plus, w) - Loss(minus, w)) / (2 * eps);
            Assert.That(gxValues[i], Is.EqualTo(numeric).Within(1e-5 + 1e-3 * Math.Abs(numeric)), $"dL/dx[{i}]");
        }
        for (int i = 0; i < w.Length; i += 3)
        {
            double[] plus = (double[])w.Clone(), minus = (double[])w.Clone();
            plus[i] += eps;
            minus[i] -= eps;
            double numeric = (Loss(x, plus) - Loss(x, minus)) / (2 * eps);
            Assert.That(gwValues[i], Is.EqualTo(numeric).Within(1e-5 + 1e-3 * Math.Abs(numeric)), $"dL/dw[{i}]");
        }
    }

    [Test]
    public void BackwardWeightBitsDoNotDependOnThreadCount()
    {
        var c = new Case("det", 37, 6, 12, 12, 10, 3, 3, new Conv2dParams(PadH: 1, PadW: 1), false);
        var (x, _, _) = Inputs(c, 50);
        double[] gy = Buffers.Noise(c.N * c.O * c.OH * c.OW, 51);
        float[] Run(int threads)
        {
            int saved = CpuParallel.ThreadCount;
            try
            {
                CpuParallel.ThreadCount = threads;
                var gw = Buffers.Empty(DType.Float32, WeightShape(c));
                CpuBackend.Instance.Conv2dBackwardWeight(Make<float>(x, [c.N, c.C, c.H, c.W]), Make<float>(gy, [c.N, c.O, c.OH, c.OW]), gw, c.P);
                return Buffers.Read<float>(gw);
            }
            finally
            {
                CpuParallel.ThreadCount = saved;
            }
        }
        Assert.That(Run(2), Is.EqualTo(Run(1)));
        Assert.That(Run(3), Is.EqualTo(Run(1)));
    }

    [Test]
    public void BackwardDataOverwritesOldGradient()
    {
        var c = Cases[1];
        var (_, w, _) = Inputs(c, 60);
        double[] gy = Buffers.Noise(c.N * c.O * c.OH * c.OW, 61);
        var gx = Make(Enumerable.Repeat(double.NaN, c.N * c.C * c.H * c.W).ToArray(), [c.N, c.C, c.H, c.W]);
        CpuBackend.Instance.Conv2dBackwardData(Make(gy, [c.N, c.O, c.OH, c.OW]), Make(w, WeightShape(c)), gx, c.P);
        Assert.That(Buffers.Read<double>(gx).Any(double.IsNaN), Is.False);
    }

    [Test]
    public void MismatchedChannelsThrowWithTheShapes()
    {
        var x = Buffers.Empty(DType.Float32, [8, 1, 28, 28]);
        var w = Buffers.Empty(DType.Float32, [32, 3, 3, 3]);
        var y = Buffers.Empty(DType.Float32, [8, 32, 26, 26]);
        var error = Assert.Throws<ArgumentException>(() => CpuBackend.Instance.Conv2dForward(x, w, null, y, Unit));
        Assert.That(error!.Message, Does.Contain("[32, 3, 3, 3]").And.Contain("[8, 1, 28, 28]"));

        var wrongOut = Buffers.Empty(DType.Float32, [8, 32, 28, 28]);
        var w1 = Buffers.Empty(DType.Float32, [32, 1, 3, 3]);
        Assert.Throws<ArgumentException>(() => CpuBackend.Instance.Conv2dForward(x, w1, null, wrongOut, Unit));
        Assert.Throws<ArgumentException>(() => CpuBackend.Instance.Conv2dForward(x, w1, null, y, new Conv2dParams(Groups: 3)));
        Assert.Throws<ArgumentException>(() => CpuBackend.Instance.Conv2dForward(x, w1, Buffers.Empty(DType.Float32, [31]), y, Unit));
        Assert.Throws<ArgumentException>(() => CpuBackend.Instance.Conv2dForward(x, w1, null, y, new Conv2dParams(StrideH: 0)));
    }

    // ---- checks ---------------------------------------------------------------------------

    private static void CheckForward<T>(Case c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (x, w, bias) = Inputs(c, 1);
        var y = Buffers.Empty(DTypeExtensions.Of<T>(), [c.N, c.O, c.OH, c.OW]);
        CpuBackend.Instance.Conv2dForward(Make<T>(x, [c.N, c.C, c.H, c.W]), Make<T>(w, WeightShape(c)), c.Bias ? Make<T>(bias, [c.O]) : null, y, c.P);

        var expected = new double[c.N * c.O * c.OH * c.OW];
        var magnitude = new double[expected.Length];
        ForEachTap(c, (n, o, oh, ow, ci, wi) =>
        {
            int yi = ((n * c.O + o) * c.OH + oh) * c.OW + ow;
            expected[yi] += x[ci] * w[wi];
            magnitude[yi] += Math.Abs(x[ci] * w[wi]);
        });
        if (c.Bias)
        {
            for (int i = 0; i < expected.Length; i++)
            {
                int o = i / (c.OH * c.OW) % c.O;
                expected[i] += bias[o];
                magnitude[i] += Math.Abs(bias[o]);
            }
        }
        AssertClose<T>(Buffers.Read<T>(y), expected, magnitude, c.Cg * c.KH * c.KW + 1, $"{c} forward");
    }

    private static void CheckBackwardData<T>(Case c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (_, w, _) = Inputs(c, 2);
        double[] gy = Buffers.Noise(c.N * c.O * c.OH * c.OW, 3);
        var gx = Make<T>(Buffers.Noise(c.N * c.C * c.H * c.W, 4), [c.N, c.C, c.H, c.W]);
        CpuBackend.Instance.Conv2dBackwardData(Make<T>(gy, [c.N, c.O, c.OH, c.OW]), Make<T>(w, WeightShape(c)), gx, c.P);

        // ∂L/∂x[ci] = Σ over every tap that read x[ci] of gy[y index]·w[wi]
        var expected = new double[c.N * c.C * c.H * c.W];
        var magnitude = new double[expected.Length];
        ForEachTap(c, (n, o, oh, ow, ci, wi) =>
        {
            double term = gy[((n * c.O + o) * c.OH + oh) * c.OW + ow] * w[wi];
            expected[ci] += term;
            magnitude[ci] += Math.Abs(term);
        });
        AssertClose<T>(Buffers.Read<T>(gx), expected, magnitude, c.Og * c.KH * c.KW, $"{c} backward data");
    }

    private static void CheckBackwardWeight<T>(Case c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (x, _, _) = Inputs(c, 5);
        double[] gy = Buffers.Noise(c.N * c.O * c.OH * c.OW, 6);
        var gw = Make<T>(Buffers.Noise(c.O * c.Cg * c.KH * c.KW, 7), WeightShape(c));
        CpuBackend.Instance.Conv2dBackwardWeight(Make<T>(x, [c.N, c.C, c.H, c.W]), Make<T>(gy, [c.N, c.O, c.OH, c.OW]), gw, c.P);

        // ∂L/∂w[wi] = Σ over n, oh, ow of gy·x at the tap
        var expected = new double[c.O * c.Cg * c.KH * c.KW];
        var magnitude = new double[expected.Length];
        ForEachTap(c, (n, o, oh, ow, ci, wi) =>
        {
            double term = gy[((n * c.O + o) * c.OH + oh) * c.OW + ow] * x[ci];
            expected[wi] += term;
            magnitude[wi] += Math.Abs(term);
        });
        AssertClose<T>(Buffers.Read<T>(gw), expected, magnitude, c.N * c.OH * c.OW, $"{c} backward weight");
    }

    /// <summary>
    /// Calls <paramref name="tap"/>(n, o, oh, ow, x index, w index) for every product x·w that the
    /// definition of conv2d sums, skipping taps that fall into the padding.
    /// </summary>
    private static void ForEachTap(Case c, Action<int, int, int, int, int, int> tap)
    {
        var p = c.P;
        for (int n = 0; n < c.N; n++)
            for (int o = 0; o < c.O; o++)
            {
                int group = o / c.Og;
                for (int oh = 0; oh < c.OH; oh++)
                    for (int ow = 0; ow < c.OW; ow++)
                        for (int k = 0; k < c.Cg; k++)
                            for (int kh = 0; kh < c.KH; kh++)
                                for (int kw = 0; kw < c.KW; kw++)
                                {
                                    int ih = oh * p.StrideH - p.PadH + kh * p.DilationH;
                                    int iw = ow * p.StrideW - p.PadW + kw * p.DilationW;
                                    if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W) continue;
                                    int channel = group * c.Cg + k;
                                    tap(n, o, oh, ow, ((n * c.C + channel) * c.H + ih) * c.W + iw, ((o * c.Cg + k) * c.KH + kh) * c.KW + kw);
                                }
            }
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static int[] WeightShape(Case c) => [c.O, c.Cg, c.KH, c.KW];

    private static (double[] X, double[] W, double[] Bias) Inputs(Case c, int seed)
        => (Buffers.Noise(c.N * c.C * c.H * c.W, seed * 3), Buffers.Noise(c.O * c.Cg * c.KH * c.KW, seed * 3 + 1), Buffers.Noise(c.O, seed * 3 + 2));

    private static BufferView Make(double[] values, int[] shape) => Buffers.Make(values, shape);

    private static BufferView Make<T>(double[] values, int[] shape) where T : unmanaged, INumberBase<T>
        => Buffers.Make(values.Select(T.CreateTruncating).ToArray(), shape);

    /// <summary>|actual − expected| ≤ 2·(terms + 2)·eps·Σ|terms|, the error bound of a float sum.</summary>
    private static void AssertClose<T>(T[] actual, double[] expected, double[] magnitude, int terms, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double eps = typeof(T) == typeof(float) ? Math.Pow(2, -23) : Math.Pow(2, -52);
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what);
        for (int i = 0; i < expected.Length; i++)
        {
            double value = double.CreateTruncating(actual[i]);
            double tolerance = 2 * (terms + 2) * eps * magnitude[i] + 1e-300;
            if (!(Math.Abs(value - expected[i]) <= tolerance))
                Assert.Fail($"{what} ({typeof(T).Name}): element {i} is {value}, expected {expected[i]} ± {tolerance:G3}");
        }
    }
}
