using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Gpu.Ops;
using Scratch.Tests.Support;

namespace Scratch.Tests.Gpu;

/// <summary>
/// The GPU convolutions (im2col/col2im + the GEMM) on the simulator against a direct float64 convolution:
/// stride, padding, dilation, groups, 1×1, bias, several chunks of images, an empty batch; bad input as on the CPU.
/// </summary>
public class ConvolutionKernelTests : SimulatedGpuTest
{
    private static readonly (int[] X, int[] W, Conv2dParams P)[] Convolutions =
    [
        ([2, 3, 9, 9], [4, 3, 3, 3], new Conv2dParams(PadH: 1, PadW: 1)),
        ([3, 4, 11, 8], [6, 2, 3, 2], new Conv2dParams(StrideH: 2, StrideW: 1, PadH: 1, PadW: 0, DilationH: 2, DilationW: 1, Groups: 2)),
        ([2, 8, 5, 5], [16, 8, 1, 1], new Conv2dParams()),
        ([1, 3, 7, 7], [5, 3, 3, 3], new Conv2dParams(StrideH: 2, StrideW: 2)),
        ([2, 6, 6, 6], [6, 1, 3, 3], new Conv2dParams(PadH: 1, PadW: 1, Groups: 6)),
        ([2, 4, 6, 5], [4, 2, 1, 1], new Conv2dParams(Groups: 2)),
    ];

    [TestCase(DType.Float32, true, 1L << 24)]
    [TestCase(DType.Float32, false, 1L)]
    [TestCase(DType.Float64, false, 1L << 24)]
    [TestCase(DType.Float64, true, 1L)]
    public void ConvolutionsMatchTheReference(DType dtype, bool bias, long columnLimit)
    {
        // columnLimit 1 makes every image its own chunk (the backward-weight chunks then accumulate onto gw).
        double u = dtype == DType.Float32 ? U32 : U64;
        foreach (var (xShape, wShape, p) in Convolutions)
        {
            int[] yShape = [xShape[0], wShape[0], p.OutputHeight(xShape[2], wShape[2]), p.OutputWidth(xShape[3], wShape[3])];
            var x = TestViews.Make(Gpu, dtype, xShape, Layout.Contiguous, Noise(1 << 12, 1));
            var w = TestViews.Make(Gpu, dtype, wShape, Layout.Contiguous, Noise(1 << 10, 2));
            var bv = TestViews.Make(Gpu, dtype, [wShape[0]], Layout.Contiguous, Noise(64, 3));
            var y = TestViews.Make(Gpu, dtype, yShape, Layout.Contiguous, [double.NaN]);
            ConvolutionOps.Forward(Gpu, x, w, bias ? bv : null, y, p, columnLimit);
            var reference = new ConvolutionReference(xShape, wShape, p);
            string what = $"{dtype} x [{string.Join(", ", xShape)}] w [{string.Join(", ", wShape)}] {p} chunks of {columnLimit}";
            // Each output is a dot product of at most `terms` products: error ≤ (terms + 3)·u·Σ|terms|.
            var (yRef, yMag, yTerms) = reference.Forward(Read(x), Read(w), bias ? Read(bv) : null);
            TestViews.AssertClose(yRef, Read(y), i => (yTerms[i] + 3) * u * yMag[i], 0, $"conv forward {what}");

            var gy = TestViews.Make(Gpu, dtype, yShape, Layout.Contiguous, Noise(1 << 12, 4));
            var gx = TestViews.Make(Gpu, dtype, xShape, Layout.Contiguous, [double.NaN]);
            ConvolutionOps.BackwardData(Gpu, gy, w, gx, p, columnLimit);
            var (gxRef, gxMag, gxTerms) = reference.BackwardData(Read(gy), Read(w));
            TestViews.AssertClose(gxRef, Read(gx), i => (gxTerms[i] + 3) * u * gxMag[i], 0, $"conv backward data {what}");

            var gw = TestViews.Make(Gpu, dtype, wShape, Layout.Contiguous, [double.NaN]);
            ConvolutionOps.BackwardWeight(Gpu, x, gy, gw, p, columnLimit);
            var (gwRef, gwMag, gwTerms) = reference.BackwardWeight(Read(x), Read(gy));
            TestViews.AssertClose(gwRef, Read(gw), i => (gwTerms[i] + 3) * u * gwMag[i], 0, $"conv backward weight {what}");
        }
    }

    [Test]
    public void ThePublicEntryMatchesTheCpu([Values(DType.Float32, DType.Float64)] DType dtype)
    {
        int[] xShape = [2, 4, 7, 6], wShape = [6, 2, 3, 3];
        var p = new Conv2dParams(StrideH: 1, StrideW: 2, PadH: 1, PadW: 1, Groups: 2);
        int[] yShape = [2, 6, p.OutputHeight(7, 3), p.OutputWidth(6, 3)];
        var (xc, xg) = Pair(dtype, xShape, Layout.Contiguous, Noise(1024, 1));
        var (wc, wg) = Pair(dtype, wShape, Layout.Contiguous, Noise(1024, 2));
        var (bc, bg) = Pair(dtype, [6], Layout.Contiguous, Noise(6, 3));
        var (yc, yg) = Output(dtype, yShape);
        Cpu.Conv2dForward(xc, wc, bc, yc, p);
        Gpu.Conv2dForward(xg, wg, bg, yg, p);
        // Both sum the same 18 products plus the bias in float32/float64 in different orders: |Δ| ≤ 2·21·u·Σ|terms| ≤ 2·21·u·19.
        double u = dtype == DType.Float32 ? U32 : U64;
        AssertClose(yc, yg, 2 * 21 * u * 19, 0, "conv2d forward");
        var (gyc, gyg) = Pair(dtype, yShape, Layout.Contiguous, Noise(1024, 4));
        var (gxc, gxg) = Output(dtype, xShape);
        Cpu.Conv2dBackwardData(gyc, wc, gxc, p);
        Gpu.Conv2dBackwardData(gyg, wg, gxg, p);
        AssertClose(gxc, gxg, 2 * 30 * u * 27, 0, "conv2d backward data");
        var (gwc, gwg) = Output(dtype, wShape);
        Cpu.Conv2dBackwardWeight(xc, gyc, gwc, p);
        Gpu.Conv2dBackwardWeight(xg, gyg, gwg, p);
        int k = 2 * yShape[2] * yShape[3];
        AssertClose(gwc, gwg, 2 * (k + 3) * u * k, 0, "conv2d backward weight");
    }

    [Test]
    public void AnEmptyBatchZeroesTheWeightGradient()
    {
        var x = TestViews.Make(Gpu, DType.Float32, [0, 2, 5, 5], Layout.Contiguous, [1]);
        var gy = TestViews.Make(Gpu, DType.Float32, [0, 3, 3, 3], Layout.Contiguous, [1]);
        var gw = TestViews.Make(Gpu, DType.Float32, [3, 2, 3, 3], Layout.Contiguous, [double.NaN]);
        Gpu.Conv2dBackwardWeight(x, gy, gw, new Conv2dParams());
        Assert.That(Read(gw), Is.All.EqualTo(0));
    }

    [Test]
    public void BadInputFailsAsOnTheCpu()
    {
        foreach (var backend in new IBackend[] { Cpu, Gpu })
        {
            var x = TestViews.Make(backend, DType.Float32, [1, 3, 5, 5], Layout.Contiguous, [1]);
            var w = TestViews.Make(backend, DType.Float32, [2, 3, 3, 3], Layout.Contiguous, [1]);
            var y = TestViews.Make(backend, DType.Float32, [1, 2, 4, 3], Layout.Contiguous, [1]);
            Assert.That(() => backend.Conv2dForward(x, w, null, y, new Conv2dParams()),
                Throws.ArgumentException.With.Message.EqualTo("conv2d: y [1, 2, 4, 3] should be [1, 2, 3, 3] for x [1, 3, 5, 5] and weight [2, 3, 3, 3]"));
            var good = TestViews.Make(backend, DType.Float32, [1, 2, 3, 3], Layout.Contiguous, [1]);
            var bias = TestViews.Make(backend, DType.Float32, [3], Layout.Contiguous, [1]);
            Assert.That(() => backend.Conv2dForward(x, w, bias, good, new Conv2dParams()),
                Throws.ArgumentException.With.Message.EqualTo("conv2d: bias float32[3] should be float32[2] for weight [2, 3, 3, 3]"));
            Assert.That(() => backend.Conv2dBackwardData(good, w, x, new Conv2dParams(Groups: 2)),
                Throws.ArgumentException.With.Message.StartsWith("conv2d backward data: 2 groups must divide"));
            var strided = new BufferView(x.Buffer, 0, [1, 3, 5, 5], [75, 25, 5, 2]);
            Assert.That(() => backend.Conv2dBackwardWeight(strided, good, w, new Conv2dParams()),
                Throws.ArgumentException.With.Message.StartsWith("conv2d backward weight: x must be contiguous"));
            var i = TestViews.Make(backend, DType.Int32, [1, 3, 5, 5], Layout.Contiguous, [1]);
            var wi = TestViews.Make(backend, DType.Int32, [2, 3, 3, 3], Layout.Contiguous, [1]);
            var yi = TestViews.Make(backend, DType.Int32, [1, 2, 3, 3], Layout.Contiguous, [1]);
            Assert.That(() => backend.Conv2dForward(i, wi, null, yi, new Conv2dParams()), Throws.TypeOf<NotSupportedException>());
        }
    }
}

/// <summary>
/// Direct float64 conv2d (cross-correlation, as PyTorch) and its two gradients, by definition, with each
/// result's Σ|term| and number of terms for rounding bounds.
/// </summary>
internal sealed class ConvolutionReference(int[] xShape, int[] wShape, Conv2dParams p)
{
    private readonly int _n = xShape[0], _c = xShape[1], _h = xShape[2], _w = xShape[3];
    private readonly int _o = wShape[0], _cg = wShape[1], _kh = wShape[2], _kw = wShape[3];
    private int Oh => p.OutputHeight(_h, _kh);
    private int Ow => p.OutputWidth(_w, _kw);

    // Calls visit(yIndex, xIndex, wIndex) for every tap that reads an input element.
    private void Taps(Action<int, int, int> visit)
    {
        int og = _o / p.Groups;
        for (int n = 0; n < _n; n++)
            for (int o = 0; o < _o; o++)
                for (int oh = 0; oh < Oh; oh++)
                    for (int ow = 0; ow < Ow; ow++)
                        for (int cg = 0; cg < _cg; cg++)
                            for (int kh = 0; kh < _kh; kh++)
                                for (int kw = 0; kw < _kw; kw++)
                                {
                                    int h = oh * p.StrideH - p.PadH + kh * p.DilationH;
                                    int w = ow * p.StrideW - p.PadW + kw * p.DilationW;
                                    if (h < 0 || h >= _h || w < 0 || w >= _w) continue;
                                    int c = o / og * _cg + cg;
                                    visit(((n * _o + o) * Oh + oh) * Ow + ow, ((n * _c + c) * _h + h) * _w + w, ((o * _cg + cg) * _kh + kh) * _kw + kw);
                                }
    }

    public (double[] Value, double[] Magnitude, int[] Terms) Forward(double[] x, double[] w, double[]? bias)
    {
        int count = _n * _o * Oh * Ow;
        var (y, mag, terms) = (new double[count], new double[count], new int[count]);
        if (bias is not null)
            for (int i = 0; i < count; i++)
            {
                y[i] = bias[i / (Oh * Ow) % _o];
                mag[i] = Math.Abs(y[i]);
            }
        Taps((yi, xi, wi) => Add(y, mag, terms, yi, x[xi] * w[wi]));
        return (y, mag, terms);
    }

    public (double[] Value, double[] Magnitude, int[] Terms) BackwardData(double[] gy, double[] w)
    {
        int count = _n * _c * _h * _w;
        var (gx, mag, terms) = (new double[count], new double[count], new int[count]);
        Taps((yi, xi, wi) => Add(gx, mag, terms, xi, gy[yi] * w[wi]));
        return (gx, mag, terms);
    }

    public (double[] Value, double[] Magnitude, int[] Terms) BackwardWeight(double[] x, double[] gy)
    {
        int count = _o * _cg * _kh * _kw;
        var (gw, mag, terms) = (new double[count], new double[count], new int[count]);
        Taps((yi, xi, wi) => Add(gw, mag, terms, wi, gy[yi] * x[xi]));
        return (gw, mag, terms);
    }

    private static void Add(double[] value, double[] magnitude, int[] terms, int at, double term)
    {
        value[at] += term;
        magnitude[at] += Math.Abs(term);
        terms[at]++;
    }
}
