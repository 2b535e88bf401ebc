using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Cuda.Ops;
using static Scratch.Tests.Cuda.TestViews;

namespace Scratch.Tests.Cuda.Emulator;

/// <summary>GEMM (every tile configuration, load mode, split-K) and conv2d in the CUDA emulator, against float64 references.</summary>
[TestFixture, Category("Emulator")]
public class EmulatedLinearAlgebraTests
{
    private static CpuBackend Cpu => CpuBackend.Instance;

    // The emulated host has 4 SMs: [256, 256] outputs make 4 tiles of 128 (the large configuration);
    // smaller outputs use 64-tiles; [16, 2048]·[2048, 16] is split over K.
    private static readonly (int[] A, int[] B, Layout La, Layout Lb)[] Problems =
    [
        ([1, 1], [1, 1], Layout.Contiguous, Layout.Contiguous),
        ([17, 33], [33, 9], Layout.Contiguous, Layout.Contiguous),
        ([256, 40], [40, 256], Layout.Contiguous, Layout.Contiguous),
        ([256, 36], [36, 256], Layout.Transposed, Layout.Transposed),
        ([65, 70], [70, 129], Layout.Transposed, Layout.Contiguous),
        ([30, 41], [41, 31], Layout.Contiguous, Layout.Transposed),
        ([3, 50, 70], [3, 70, 20], Layout.Offset, Layout.Strided),
        ([4, 5, 6], [4, 6, 7], Layout.Contiguous, Layout.Broadcast),
        ([16, 2048], [2048, 16], Layout.Contiguous, Layout.Transposed),
    ];

    [Test]
    public void MatMulMatchesTheReference([Values(DType.Float32, DType.Float64)] DType dtype, [Values(0.0, 0.5)] double beta)
    {
        using var host = new EmulatedKernelHost();
        double u = dtype == DType.Float32 ? 1.0 / (1 << 24) : 1.0 / (1L << 53);
        foreach (var (aShape, bShape, la, lb) in Problems)
        {
            var a = Make(Cpu, dtype, aShape, la, Noise(1 << 14, 1));
            var b = Make(Cpu, dtype, bShape, lb, Noise(1 << 14, 2));
            var cShape = aShape.ToArray();
            cShape[^1] = bShape[^1];
            var c = Make(Cpu, dtype, cShape, Layout.Contiguous, Noise(1 << 10, 3));
            var c0 = Read(c);
            GemmOps.MatMul(host, a, b, c, 1.5, beta);
            var (expected, magnitude) = MatMul(Read(a), Read(b), aShape, bShape, 1.5, beta, c0);
            int k = aShape[^1];
            // Rounding error of a K-term dot product: ≤ K·u·Σ|a||b| (plus the alpha/beta roundings).
            AssertClose(expected, Read(c), i => (k + 3) * u * magnitude[i], 0,
                $"matmul {dtype} [{string.Join(", ", aShape)}]@[{string.Join(", ", bShape)}] {la}/{lb} beta {beta}");
        }
    }

    private static (double[] C, double[] Magnitude) MatMul(double[] a, double[] b, int[] aShape, int[] bShape, double alpha, double beta, double[] c0)
    {
        int m = aShape[^2], k = aShape[^1], n = bShape[^1];
        int batch = (int)BufferView.ElementCount(aShape[..^2]);
        var c = new double[batch * m * n];
        var magnitude = new double[c.Length];
        for (int z = 0; z < batch; z++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double sum = 0, abs = 0;
                    for (int p = 0; p < k; p++)
                    {
                        double term = a[(z * m + i) * k + p] * b[(z * k + p) * n + j];
                        sum += term;
                        abs += Math.Abs(term);
                    }
                    int at = (z * m + i) * n + j;
                    c[at] = alpha * sum + (beta == 0 ? 0 : beta * c0[at]);
                    magnitude[at] = alpha * abs + Math.Abs(beta * c0[at]);
                }
        return (c, magnitude);
    }

    [Test]
    public void Tf32MatMulIsWithinTf32Rounding()
    {
        using var host = new EmulatedKernelHost { AllowTf32 = true };
        // Every load mode, a batch with broadcast, edges, and split-K.
        foreach (var (aShape, bShape, la, lb) in Problems.Where(p => p.A[^2] * p.B[^1] < 256 * 256))
        {
            var a = Make(Cpu, DType.Float32, aShape, la, Noise(1 << 14, 1));
            var b = Make(Cpu, DType.Float32, bShape, lb, Noise(1 << 14, 2));
            var cShape = aShape.ToArray();
            cShape[^1] = bShape[^1];
            var c = Make(Cpu, DType.Float32, cShape, Layout.Contiguous, Noise(1 << 10, 3));
            var c0 = Read(c);
            GemmOps.MatMul(host, a, b, c, 1.5, 0.5);
            var (expected, magnitude) = MatMul(Read(a), Read(b), aShape, bShape, 1.5, 0.5, c0);
            int k = aShape[^1];
            // Operands rounded to TF32 (relative error ≤ 2^-11 each, so ≤ 2^-10 per product) and float32 accumulation.
            AssertClose(expected, Read(c), i => (Math.Pow(2, -10) + (k + 3) / (double)(1 << 24)) * magnitude[i], 0,
                $"tf32 matmul [{string.Join(", ", aShape)}]@[{string.Join(", ", bShape)}] {la}/{lb}");
        }
    }

    [Test]
    public void Tf32RoundingIsVisible()
    {
        // 1 + 2^-12 is not a TF32 number: a float32 product keeps it, a TF32 one rounds it to 1.
        using var host = new EmulatedKernelHost { AllowTf32 = true };
        var a = Make(Cpu, DType.Float32, [1, 1], Layout.Contiguous, [1 + Math.Pow(2, -12)]);
        var b = Make(Cpu, DType.Float32, [1, 1], Layout.Contiguous, [1]);
        var c = Make(Cpu, DType.Float32, [1, 1], Layout.Contiguous, [0]);
        GemmOps.MatMul(host, a, b, c, 1, 0);
        Assert.That(Read(c)[0], Is.EqualTo(1.0));
        host.AllowTf32 = false;
        GemmOps.MatMul(host, a, b, c, 1, 0);
        Assert.That(Read(c)[0], Is.EqualTo(1 + Math.Pow(2, -12)));
    }

    [Test]
    public void MatMulWithEmptyKScalesC()
    {
        using var host = new EmulatedKernelHost();
        var a = Make(Cpu, DType.Float64, [3, 0], Layout.Contiguous, [1]);
        var b = Make(Cpu, DType.Float64, [0, 4], Layout.Contiguous, [1]);
        var c = Make(Cpu, DType.Float64, [3, 4], Layout.Transposed, [2, double.NaN]);
        GemmOps.MatMul(host, a, b, c, 1, 0);
        Assert.That(Read(c), Is.All.EqualTo(0));
        var d = Make(Cpu, DType.Float64, [3, 4], Layout.Contiguous, [2]);
        GemmOps.MatMul(host, a, b, d, 1, 0.5);
        Assert.That(Read(d), Is.All.EqualTo(1));
    }

    private static readonly (int[] X, int[] W, Conv2dParams P)[] Convolutions =
    [
        ([2, 3, 9, 9], [4, 3, 3, 3], new Conv2dParams(PadH: 1, PadW: 1)),
        ([3, 4, 11, 8], [6, 2, 3, 2], new Conv2dParams(StrideH: 2, StrideW: 1, PadH: 1, PadW: 0, DilationH: 2, DilationW: 1, Groups: 2)),
        ([2, 8, 5, 5], [16, 8, 1, 1], new Conv2dParams(StrideH: 1)),
        ([1, 3, 7, 7], [5, 3, 3, 3], new Conv2dParams(StrideH: 2, StrideW: 2)),
        ([2, 6, 6, 6], [6, 1, 3, 3], new Conv2dParams(PadH: 1, PadW: 1, Groups: 6)),
    ];

    [Test]
    public void ConvolutionsMatchTheReference([Values(DType.Float32, DType.Float64)] DType dtype, [Values] bool bias)
    {
        using var host = new EmulatedKernelHost();
        double tolerance = dtype == DType.Float32 ? 2e-5 : 1e-12;
        foreach (var (xShape, wShape, p) in Convolutions)
        {
            int[] yShape = [xShape[0], wShape[0], p.OutputHeight(xShape[2], wShape[2]), p.OutputWidth(xShape[3], wShape[3])];
            var x = Make(Cpu, dtype, xShape, Layout.Contiguous, Noise(1 << 12, 1));
            var w = Make(Cpu, dtype, wShape, Layout.Contiguous, Noise(1 << 10, 2));
            var bv = Make(Cpu, dtype, [wShape[0]], Layout.Contiguous, Noise(64, 3));
            var y = Make(Cpu, dtype, yShape, Layout.Contiguous, [0]);
            ConvolutionOps.Forward(host, x, w, bias ? bv : null, y, p);
            var reference = new NaiveConvolution(xShape, wShape, p);
            string what = $"{dtype} x [{string.Join(", ", xShape)}] w [{string.Join(", ", wShape)}] {p}";
            AssertClose(reference.Forward(Read(x), Read(w), bias ? Read(bv) : null), Read(y), _ => tolerance, tolerance, $"conv forward {what}");

            var gy = Make(Cpu, dtype, yShape, Layout.Contiguous, Noise(1 << 12, 4));
            var gx = Make(Cpu, dtype, xShape, Layout.Contiguous, [7]);
            ConvolutionOps.BackwardData(host, gy, w, gx, p);
            AssertClose(reference.BackwardData(Read(gy), Read(w)), Read(gx), _ => tolerance, tolerance, $"conv backward data {what}");

            var gw = Make(Cpu, dtype, wShape, Layout.Contiguous, [7]);
            ConvolutionOps.BackwardWeight(host, x, gy, gw, p);
            AssertClose(reference.BackwardWeight(Read(x), Read(gy)), Read(gw), _ => tolerance * 10, tolerance, $"conv backward weight {what}");
        }
    }
}

/// <summary>Direct float64 conv2d (cross-correlation, as PyTorch) and its two gradients, by definition.</summary>
internal sealed class NaiveConvolution(int[] xShape, int[] wShape, Conv2dParams p)
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

    public double[] Forward(double[] x, double[] w, double[]? bias)
    {
        var y = new double[_n * _o * Oh * Ow];
        if (bias is not null)
            for (int i = 0; i < y.Length; i++) y[i] = bias[i / (Oh * Ow) % _o];
        Taps((yi, xi, wi) => y[yi] += x[xi] * w[wi]);
        return y;
    }

    public double[] BackwardData(double[] gy, double[] w)
    {
        var gx = new double[_n * _c * _h * _w];
        Taps((yi, xi, wi) => gx[xi] += gy[yi] * w[wi]);
        return gx;
    }

    public double[] BackwardWeight(double[] x, double[] gy)
    {
        var gw = new double[_o * _cg * _kh * _kw];
        Taps((yi, xi, wi) => gw[wi] += gy[yi] * x[xi]);
        return gw;
    }
}
