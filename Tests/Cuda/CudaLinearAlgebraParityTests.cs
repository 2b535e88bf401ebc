using NUnit.Framework;
using Scratch.Kernels;

namespace Scratch.Tests.Cuda;

/// <summary>
/// MatMul and the convolutions: CUDA against the CPU reference. Products of sums have a rounding
/// error bounded by K·u·Σ|a||b| per output (K terms; Higham, "Accuracy and Stability of Numerical
/// Algorithms", §3.1) whatever the summation order, so two implementations differ by at most twice
/// that. The bound is computed per element by running the CPU backend in float64 on |a| and |b|.
/// </summary>
[TestFixture, Category("Gpu")]
public class CudaLinearAlgebraParityTests : CudaParityTest
{
    // (a shape, b shape, a layout, b layout): odd sizes, size 1, batched, broadcast batch, transposed
    // operands, misaligned offsets, many tiles (the 128×128 kernel), and split-K.
    private static readonly (int[] A, int[] B, Layout La, Layout Lb)[] Problems =
    [
        ([1, 1], [1, 1], Layout.Contiguous, Layout.Contiguous),
        ([17, 33], [33, 9], Layout.Contiguous, Layout.Contiguous),
        ([128, 256], [256, 64], Layout.Transposed, Layout.Contiguous),
        ([65, 70], [70, 129], Layout.Contiguous, Layout.Transposed),
        ([30, 41], [41, 31], Layout.Transposed, Layout.Transposed),
        ([3, 50, 70], [3, 70, 20], Layout.Offset, Layout.Strided),
        ([4, 5, 6], [4, 6, 7], Layout.Contiguous, Layout.Broadcast),
        ([33, 256, 64], [33, 64, 256], Layout.Contiguous, Layout.Contiguous),
        ([16, 4096], [4096, 16], Layout.Contiguous, Layout.Transposed),
        ([2, 1, 3000], [2, 3000, 5], Layout.Contiguous, Layout.Contiguous),
    ];

    [Test]
    public void MatMulMatches([Values(DType.Float32, DType.Float64)] DType dtype, [Values(0.0, 0.5)] double beta)
    {
        double u = dtype == DType.Float32 ? U32 : U64;
        foreach (var (aShape, bShape, la, lb) in Problems)
        {
            int k = aShape[^1];
            var cShape = aShape.ToArray();
            cShape[^1] = bShape[^1];
            var aValues = Noise(1 << 16, 1);
            var bValues = Noise(1 << 16, 2);
            var (ac, ag) = Pair(dtype, aShape, la, aValues);
            var (bc, bg) = Pair(dtype, bShape, lb, bValues);
            var (cc, cg) = Pair(dtype, cShape, Layout.Contiguous, Noise(1 << 10, 3));
            Cpu.MatMul(ac, bc, cc, 1.5, beta);
            Gpu.MatMul(ag, bg, cg, 1.5, beta);

            var scale = AbsProduct(aShape, bShape, la, lb, aValues, bValues, 1.5);
            AssertClose(Read(cc), Read(cg), i => 2 * (k + 2) * u * (scale[i] + beta), 0,
                $"matmul {dtype} [{string.Join(", ", aShape)}]@[{string.Join(", ", bShape)}] {la}/{lb} beta {beta}");
        }
    }

    [Test]
    public void MatMulWithBetaZeroIgnoresNaNInC()
    {
        var a = Make(Gpu, DType.Float32, [5, 6], Layout.Contiguous, Noise(30, 1));
        var b = Make(Gpu, DType.Float32, [6, 7], Layout.Contiguous, Noise(42, 2));
        var c = Make(Gpu, DType.Float32, [5, 7], Layout.Contiguous, [double.NaN]);
        Gpu.MatMul(a, b, c, 1, 0);
        Assert.That(Read(c).Any(double.IsNaN), Is.False);
    }

    [Test]
    public void MatMulWithEmptyKScalesC()
    {
        var (ac, ag) = Pair(DType.Float64, [3, 0], Layout.Contiguous, [1]);
        var (bc, bg) = Pair(DType.Float64, [0, 4], Layout.Contiguous, [1]);
        var (cc, cg) = Pair(DType.Float64, [3, 4], Layout.Contiguous, [2, double.NaN]);
        Cpu.MatMul(ac, bc, cc, 1, 0);
        Gpu.MatMul(ag, bg, cg, 1, 0);
        AssertClose(cc, cg, 0, 0, "K = 0, beta 0");
    }

    [Test]
    public void Tf32MatMulIsWithinTf32Rounding()
    {
        if (Gpu.Device.ComputeCapabilityMajor < 8) Assert.Ignore($"TF32 needs sm_80; {Gpu.Device} is older");
        var aValues = Noise(1 << 16, 7);
        var bValues = Noise(1 << 16, 8);
        int[] aShape = [200, 300], bShape = [300, 150];
        var ag = Make(Gpu, DType.Float32, aShape, Layout.Contiguous, aValues);
        var bg = Make(Gpu, DType.Float32, bShape, Layout.Transposed, bValues);
        var cg = Make(Gpu, DType.Float32, [200, 150], Layout.Contiguous, [0]);
        var reference = Make(Cpu, DType.Float64, [200, 150], Layout.Contiguous, [0]);
        Cpu.MatMul(Make(Cpu, DType.Float64, aShape, Layout.Contiguous, aValues), Make(Cpu, DType.Float64, bShape, Layout.Transposed, bValues), reference);
        try
        {
            Gpu.AllowTf32 = true;
            Gpu.MatMul(ag, bg, cg);
        }
        finally
        {
            Gpu.AllowTf32 = false;
        }
        // Each operand is rounded to TF32 (10 mantissa bits, relative error ≤ 2^-11), so each product
        // is off by ≤ 2^-10 relative; float32 accumulation adds K·2^-24.
        var scale = AbsProduct(aShape, bShape, Layout.Contiguous, Layout.Transposed, aValues, bValues, 1);
        AssertClose(Read(reference), Read(cg), i => (Math.Pow(2, -10) + 300 * U32) * scale[i], 0, "TF32 matmul vs float64");
    }

    // |alpha|·(|a| @ |b|) in float64 on the CPU: the scale of each output's rounding error.
    private double[] AbsProduct(int[] aShape, int[] bShape, Layout la, Layout lb, double[] aValues, double[] bValues, double alpha)
    {
        var a = Make(Cpu, DType.Float64, aShape, la, aValues.Select(Math.Abs).ToArray());
        var b = Make(Cpu, DType.Float64, bShape, lb, bValues.Select(Math.Abs).ToArray());
        var cShape = aShape.ToArray();
        cShape[^1] = bShape[^1];
        var c = Make(Cpu, DType.Float64, cShape, Layout.Contiguous, [0]);
        Cpu.MatMul(a, b, c, Math.Abs(alpha), 0);
        return Read(c);
    }

    // (x shape, w shape, params): padding, stride, dilation, groups, 1×1, one sample, odd sizes.
    private static readonly (int[] X, int[] W, Conv2dParams P)[] Convolutions =
    [
        ([2, 3, 9, 9], [4, 3, 3, 3], new Conv2dParams(PadH: 1, PadW: 1)),
        ([3, 4, 11, 8], [6, 2, 3, 2], new Conv2dParams(StrideH: 2, StrideW: 1, PadH: 1, PadW: 0, DilationH: 2, DilationW: 1, Groups: 2)),
        ([2, 8, 5, 5], [16, 8, 1, 1], new Conv2dParams(StrideH: 1)),
        ([1, 3, 7, 7], [5, 3, 3, 3], new Conv2dParams(StrideH: 2, StrideW: 2)),
        ([4, 6, 6, 6], [6, 1, 3, 3], new Conv2dParams(PadH: 1, PadW: 1, Groups: 6)),
    ];

    [Test]
    public void ConvolutionsMatch([Values(DType.Float32, DType.Float64)] DType dtype, [Values] bool bias)
    {
        double u = dtype == DType.Float32 ? U32 : U64;
        foreach (var (xShape, wShape, p) in Convolutions)
        {
            int[] yShape = [xShape[0], wShape[0], p.OutputHeight(xShape[2], wShape[2]), p.OutputWidth(xShape[3], wShape[3])];
            var xv = Noise(1 << 14, 1);
            var wv = Noise(1 << 12, 2);
            var bv = Noise(64, 3);
            var gyv = Noise(1 << 14, 4);
            var (xc, xg) = Pair(dtype, xShape, Layout.Contiguous, xv);
            var (wc, wg) = Pair(dtype, wShape, Layout.Contiguous, wv);
            var (bc, bg) = Pair(dtype, [wShape[0]], Layout.Contiguous, bv);
            var (yc, yg) = Output(dtype, yShape);
            Cpu.Conv2dForward(xc, wc, bias ? bc : null, yc, p);
            Gpu.Conv2dForward(xg, wg, bias ? bg : null, yg, p);
            string what = $"{dtype} x [{string.Join(", ", xShape)}] w [{string.Join(", ", wShape)}] {p}";
            int taps = wShape[1] * wShape[2] * wShape[3];
            var yScale = AbsConv(output => Cpu.Conv2dForward(AbsInput(xShape, xv), AbsInput(wShape, wv), bias ? AbsInput([wShape[0]], bv) : null, output, p), yShape);
            AssertClose(Read(yc), Read(yg), i => 2 * (taps + 2) * u * yScale[i], 0, $"conv forward {what}");

            var (gyc, gyg) = Pair(dtype, yShape, Layout.Contiguous, gyv);
            var (gxc, gxg) = Output(dtype, xShape);
            Cpu.Conv2dBackwardData(gyc, wc, gxc, p);
            Gpu.Conv2dBackwardData(gyg, wg, gxg, p);
            var gxScale = AbsConv(output => Cpu.Conv2dBackwardData(AbsInput(yShape, gyv), AbsInput(wShape, wv), output, p), xShape);
            int dataTerms = wShape[0] / p.Groups * wShape[2] * wShape[3];
            AssertClose(Read(gxc), Read(gxg), i => 2 * (dataTerms + 2) * u * gxScale[i], 0, $"conv backward data {what}");

            var (gwc, gwg) = Output(dtype, wShape);
            Cpu.Conv2dBackwardWeight(xc, gyc, gwc, p);
            Gpu.Conv2dBackwardWeight(xg, gyg, gwg, p);
            var gwScale = AbsConv(output => Cpu.Conv2dBackwardWeight(AbsInput(xShape, xv), AbsInput(yShape, gyv), output, p), wShape);
            int weightTerms = yShape[0] * yShape[2] * yShape[3];
            AssertClose(Read(gwc), Read(gwg), i => 2 * (weightTerms + 2) * u * gwScale[i], 0, $"conv backward weight {what}");
        }
    }

    private static BufferView AbsInput(int[] shape, double[] values) => Make(Cpu, DType.Float64, shape, Layout.Contiguous, values.Select(Math.Abs).ToArray());

    // Runs a CPU float64 convolution on absolute values into a fresh output of outShape.
    private static double[] AbsConv(Action<BufferView> run, int[] outShape)
    {
        var output = Make(Cpu, DType.Float64, outShape, Layout.Contiguous, [0]);
        run(output);
        return Read(output);
    }
}
