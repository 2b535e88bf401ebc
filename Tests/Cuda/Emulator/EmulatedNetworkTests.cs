using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Cuda.Ops;
using Scratch.Tests.Support;
using static Scratch.Tests.Cuda.TestViews;

namespace Scratch.Tests.Cuda.Emulator;

/// <summary>Pooling, indexing, batch norm, Philox and the optimizer steps in the CUDA emulator, against float64 references.</summary>
[TestFixture, Category("Emulator")]
public class EmulatedNetworkTests
{
    private static CpuBackend Cpu => CpuBackend.Instance;

    [Test]
    public void PoolingMatchesTheReference([Values(DType.Float32, DType.Float64)] DType dtype)
    {
        using var host = new EmulatedKernelHost();
        // Small integers make ties (the first maximum wins); the NaN must win its windows.
        double[] values = [.. Noise(600, 1).Select(v => Math.Round(4 * v)), double.NaN];
        foreach (var (xShape, p) in PoolCases.All)
        {
            int n = xShape[0], c = xShape[1], h = xShape[2], w = xShape[3], oh = p.OutputHeight(h), ow = p.OutputWidth(w);
            int[] yShape = [n, c, oh, ow];
            var x = Make(Cpu, dtype, xShape, Layout.Contiguous, values);
            var y = Make(Cpu, dtype, yShape, Layout.Contiguous, [0]);
            var indices = Make(Cpu, DType.Int32, yShape, Layout.Contiguous, [0]);
            var avg = Make(Cpu, dtype, yShape, Layout.Contiguous, [0]);
            PoolingOps.MaxForward(host, x, y, indices, p);
            PoolingOps.AvgForward(host, x, avg, p);
            var xs = Read(x);
            var gys = Noise(c * n * oh * ow, 2);
            var gy = Make(Cpu, dtype, yShape, Layout.Contiguous, gys);
            gys = Read(gy);
            var expectedMax = new double[n * c * oh * ow];
            var expectedIndex = new double[expectedMax.Length];
            var expectedAvg = new double[expectedMax.Length];
            var expectedMaxGrad = new double[xs.Length];
            var expectedAvgGrad = new double[xs.Length];
            for (int plane = 0; plane < n * c; plane++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        int o = (plane * oh + i) * ow + j;
                        double best = double.NaN, sum = 0;
                        int bestAt = -1, count = 0;
                        for (int kh = 0; kh < p.KernelH; kh++)
                            for (int kw = 0; kw < p.KernelW; kw++)
                            {
                                int hh = i * p.StrideH - p.PadH + kh, ww = j * p.StrideW - p.PadW + kw;
                                if (hh < 0 || hh >= h || ww < 0 || ww >= w) continue;
                                double v = xs[plane * h * w + hh * w + ww];
                                if (bestAt < 0 || v > best || (double.IsNaN(v) && !double.IsNaN(best)))
                                {
                                    best = v;
                                    bestAt = hh * w + ww;
                                }
                                sum += v;
                                count++;
                            }
                        expectedMax[o] = best;
                        expectedIndex[o] = bestAt;
                        int divisor = p.CountIncludePad ? p.KernelH * p.KernelW : count;
                        expectedAvg[o] = sum / divisor;
                        expectedMaxGrad[plane * h * w + bestAt] += gys[o];
                        for (int kh = 0; kh < p.KernelH; kh++)
                            for (int kw = 0; kw < p.KernelW; kw++)
                            {
                                int hh = i * p.StrideH - p.PadH + kh, ww = j * p.StrideW - p.PadW + kw;
                                if (hh >= 0 && hh < h && ww >= 0 && ww < w) expectedAvgGrad[plane * h * w + hh * w + ww] += gys[o] / divisor;
                            }
                    }
            double tolerance = dtype == DType.Float32 ? 1e-6 : 1e-14;
            string what = $"{dtype} [{string.Join(", ", xShape)}] {p}";
            AssertClose(expectedMax, Read(y), _ => 0, 0, $"max pool {what}");
            AssertClose(expectedIndex, Read(indices), _ => 0, 0, $"max pool indices {what}");
            AssertClose(expectedAvg, Read(avg), _ => tolerance, tolerance, $"avg pool {what}");

            var gx = Make(Cpu, dtype, xShape, Layout.Contiguous, [7]);
            PoolingOps.MaxBackward(host, gy, indices, gx, p);
            AssertClose(expectedMaxGrad, Read(gx), _ => tolerance, tolerance, $"max pool backward {what}");
            PoolingOps.AvgBackward(host, gy, gx, p);
            AssertClose(expectedAvgGrad, Read(gx), _ => tolerance, tolerance, $"avg pool backward {what}");
        }
    }

    [Test]
    public void IndexingMatchesTheReference([Values(DType.Float32, DType.Float64, DType.Int32)] DType dtype)
    {
        using var host = new EmulatedKernelHost();
        int outer = 3, n = 5, m = 7, inner = 4;
        var data = Noise(outer * n * inner, 5).Select(v => Math.Round(100 * v)).ToArray();
        var idx = Noise(outer * m * inner, 6).Select(v => Math.Floor((v + 1) / 2 * n)).ToArray();
        var x = Make(Cpu, dtype, [outer, n, inner], Layout.Contiguous, data);
        var index = Make(Cpu, DType.Int32, [outer, m, inner], Layout.Contiguous, idx);
        var y = Make(Cpu, dtype, [outer, m, inner], Layout.Contiguous, [0]);
        IndexingOps.Gather(host, x, index, y);
        var gathered = new double[outer * m * inner];
        var scattered = data.ToArray();
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < m; j++)
                for (int i = 0; i < inner; i++)
                {
                    int k = (int)idx[(o * m + j) * inner + i];
                    gathered[(o * m + j) * inner + i] = data[(o * n + k) * inner + i];
                }
        Assert.That(Read(y), Is.EqualTo(gathered), "gather");
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < m; j++)
                for (int i = 0; i < inner; i++)
                    scattered[(o * n + (int)idx[(o * m + j) * inner + i]) * inner + i] += gathered[(o * m + j) * inner + i];
        IndexingOps.ScatterAdd(host, y, index, x);
        Assert.That(Read(x), Is.EqualTo(scattered), "scatter_add");

        double[] select = [4, 0, 4, 2, 1, 4];
        var vector = Make(Cpu, DType.Int32, [6], Layout.Contiguous, select);
        var z = Make(Cpu, dtype, [outer, 6, inner], Layout.Contiguous, [0]);
        var source = Make(Cpu, dtype, [outer, n, inner], Layout.Contiguous, data);
        IndexingOps.IndexSelect(host, source, vector, z);
        var selected = new double[outer * 6 * inner];
        var added = data.ToArray();
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < 6; j++)
                for (int i = 0; i < inner; i++)
                    selected[(o * 6 + j) * inner + i] = data[(o * n + (int)select[j]) * inner + i];
        Assert.That(Read(z), Is.EqualTo(selected), "index_select");
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < 6; j++)
                for (int i = 0; i < inner; i++)
                    added[(o * n + (int)select[j]) * inner + i] += selected[(o * 6 + j) * inner + i];
        IndexingOps.IndexAdd(host, z, vector, source);
        Assert.That(Read(source), Is.EqualTo(added), "index_add");

        var hot = Make(Cpu, dtype, [6, 5], Layout.Contiguous, [9]);
        IndexingOps.OneHot(host, vector, hot);
        Assert.That(Read(hot), Is.EqualTo(Enumerable.Range(0, 30).Select(e => select[e / 5] == e % 5 ? 1.0 : 0.0).ToArray()), "one_hot");
        Assert.That(host.TakeError()[0], Is.Zero);
    }

    [Test]
    public void OutOfRangeIndicesAreReportedAndSkipped()
    {
        using var host = new EmulatedKernelHost();
        var x = Make(Cpu, DType.Float32, [1, 5, 1], Layout.Contiguous, [1, 2, 3, 4, 5]);
        var index = Make(Cpu, DType.Int32, [1, 3, 1], Layout.Contiguous, [0, 5, 1]);
        var y = Make(Cpu, DType.Float32, [1, 3, 1], Layout.Contiguous, [9]);
        IndexingOps.Gather(host, x, index, y);
        Assert.That(host.TakeError(), Is.EqualTo(new[] { 1, 1, 5, 5 }), "code 1 (index), op 1 (gather), index 5, bound 5");
        Assert.That(Read(y), Is.EqualTo(new double[] { 1, 0, 2 }));
        var classes = Make(Cpu, DType.Int32, [2], Layout.Contiguous, [1, -1]);
        var hot = Make(Cpu, DType.Float32, [2, 3], Layout.Contiguous, [0]);
        IndexingOps.OneHot(host, classes, hot);
        Assert.That(host.TakeError(), Is.EqualTo(new[] { 1, 5, -1, 3 }));
    }

    [Test]
    public void BatchNormMatchesTheReference([Values(DType.Float32, DType.Float64)] DType dtype, [Values] bool affine)
    {
        using var host = new EmulatedKernelHost();
        double tolerance = dtype == DType.Float32 ? 2e-5 : 1e-11;
        foreach (var shape in new[] { new[] { 8, 3, 25 }, [4, 5, 1], [2, 1, 20000], [3, 20, 2] })
        {
            int n = shape[0], c = shape[1], s = shape[2];
            var x = Make(Cpu, dtype, shape, Layout.Contiguous, Noise(1 << 12, 7).Select(v => 3 + 2 * v).ToArray());
            var weight = Make(Cpu, dtype, [c], Layout.Contiguous, Noise(c, 8));
            var bias = Make(Cpu, dtype, [c], Layout.Contiguous, Noise(c, 9));
            var y = Make(Cpu, dtype, shape, Layout.Contiguous, [0]);
            var mean = Make(Cpu, dtype, [c], Layout.Contiguous, [0]);
            var invStd = Make(Cpu, dtype, [c], Layout.Contiguous, [0]);
            var runningMean = Make(Cpu, dtype, [c], Layout.Contiguous, [0.5]);
            var runningVar = Make(Cpu, dtype, [c], Layout.Contiguous, [2]);
            BatchNormOps.ForwardTraining(host, x, affine ? weight : null, affine ? bias : null, y, mean, invStd, runningMean, runningVar, 0.1, 1e-5);

            var xs = Read(x);
            var ws = affine ? Read(weight) : Enumerable.Repeat(1.0, c).ToArray();
            var bs = affine ? Read(bias) : new double[c];
            var mu = new double[c];
            var variance = new double[c];
            int count = n * s;
            for (int ch = 0; ch < c; ch++)
            {
                var values = Enumerable.Range(0, count).Select(e => xs[(e / s * c + ch) * s + e % s]).ToArray();
                mu[ch] = values.Average();
                variance[ch] = values.Sum(v => (v - mu[ch]) * (v - mu[ch])) / count;
            }
            var expectedY = xs.Select((v, e) => { int ch = e / s % c; return (v - mu[ch]) / Math.Sqrt(variance[ch] + 1e-5) * ws[ch] + bs[ch]; }).ToArray();
            string what = $"{dtype} [{string.Join(", ", shape)}] affine {affine}";
            AssertClose(expectedY, Read(y), _ => tolerance, tolerance, $"batch norm y {what}");
            AssertClose(mu, Read(mean), _ => tolerance, tolerance, $"batch norm mean {what}");
            AssertClose(variance.Select(v => 1 / Math.Sqrt(v + 1e-5)).ToArray(), Read(invStd), _ => tolerance, tolerance, $"batch norm 1/std {what}");
            AssertClose(mu.Select(v => 0.9 * 0.5 + 0.1 * v).ToArray(), Read(runningMean), _ => tolerance, tolerance, $"running mean {what}");
            AssertClose(variance.Select(v => 0.9 * 2 + 0.1 * v * count / (count - 1)).ToArray(), Read(runningVar), _ => tolerance, tolerance, $"running var {what}");

            var inference = Make(Cpu, dtype, shape, Layout.Contiguous, [0]);
            BatchNormOps.ForwardInference(host, x, affine ? weight : null, affine ? bias : null, runningMean, runningVar, inference, 1e-5);
            var rm = Read(runningMean);
            var rv = Read(runningVar);
            AssertClose(xs.Select((v, e) => { int ch = e / s % c; return (v - rm[ch]) / Math.Sqrt(rv[ch] + 1e-5) * ws[ch] + bs[ch]; }).ToArray(),
                Read(inference), _ => tolerance, tolerance, $"batch norm inference {what}");

            var gy = Make(Cpu, dtype, shape, Layout.Contiguous, Noise(1 << 12, 10));
            var gx = Make(Cpu, dtype, shape, Layout.Contiguous, [0]);
            var gw = Make(Cpu, dtype, [c], Layout.Contiguous, [0]);
            var gb = Make(Cpu, dtype, [c], Layout.Contiguous, [0]);
            BatchNormOps.Backward(host, x, gy, affine ? weight : null, mean, invStd, gx, affine ? gw : null, affine ? gb : null);
            var gys = Read(gy);
            var sumGy = new double[c];
            var sumGyXhat = new double[c];
            for (int e = 0; e < xs.Length; e++)
            {
                int ch = e / s % c;
                double xhat = (xs[e] - mu[ch]) / Math.Sqrt(variance[ch] + 1e-5);
                sumGy[ch] += gys[e];
                sumGyXhat[ch] += gys[e] * xhat;
            }
            var expectedGx = xs.Select((v, e) =>
            {
                int ch = e / s % c;
                double istd = 1 / Math.Sqrt(variance[ch] + 1e-5), xhat = (v - mu[ch]) * istd;
                return ws[ch] * istd / count * (count * gys[e] - sumGy[ch] - xhat * sumGyXhat[ch]);
            }).ToArray();
            AssertClose(expectedGx, Read(gx), _ => tolerance, tolerance * 10, $"batch norm gx {what}");
            if (affine)
            {
                AssertClose(sumGyXhat, Read(gw), _ => tolerance * count, tolerance, $"batch norm gWeight {what}");
                AssertClose(sumGy, Read(gb), _ => tolerance * count, tolerance, $"batch norm gBias {what}");
            }
        }
    }

    [Test]
    public void PhiloxUniformIsTheDocumentedStream([Values(RandomDistribution.Uniform, RandomDistribution.Bernoulli, RandomDistribution.Normal)] RandomDistribution distribution)
    {
        using var host = new EmulatedKernelHost();
        var (a, b) = distribution == RandomDistribution.Bernoulli ? (0.3, 0.0) : (-2.0, 3.0);
        var y = Make(Cpu, DType.Float64, [13, 7], Layout.Transposed, [0]);
        const ulong seed = 0x1234_5678_9ABC_DEF0, offset = 0xFFFF_FFFE;
        RandomOps.Fill(host, distribution, y, seed, offset, a, b);
        var expected = new double[13 * 7];
        for (int i = 0; i < expected.Length; i++)
        {
            if (distribution == RandomDistribution.Normal)
            {
                var r = PhiloxReference.Block(seed, offset + (ulong)(i / 2));
                double u1 = (r[2 * (i % 2)] + 0.5) / 4294967296.0, u2 = (r[2 * (i % 2) + 1] + 0.5) / 4294967296.0;
                expected[i] = a + b * (Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            }
            else
            {
                double u = (PhiloxReference.Block(seed, offset + (ulong)(i / 4))[i % 4] + 0.5) / 4294967296.0;
                expected[i] = distribution == RandomDistribution.Uniform ? a + (b - a) * u : u < a ? 1 : 0;
            }
        }
        // Uniform and Bernoulli are exact; Normal goes through the host's libm here.
        AssertClose(expected, Read(y), _ => 0, distribution == RandomDistribution.Normal ? 1e-15 : 0, $"{distribution}");
    }

    [Test]
    public void OptimizerStepsFollowTheDocumentedFormulas([Values] bool nesterov, [Values] bool decoupled)
    {
        using var host = new EmulatedKernelHost();
        var p0 = Noise(1001, 1);
        var g0 = Noise(1001, 2);
        var b0 = Noise(1001, 3);
        var sgd = new SgdUpdateParams(0.1, 0.9, 0.2, 1e-2, nesterov, false);
        var param = Make(Cpu, DType.Float64, [1001], Layout.Contiguous, p0);
        var grad = Make(Cpu, DType.Float64, [1001], Layout.Contiguous, g0);
        var buffer = Make(Cpu, DType.Float64, [1001], Layout.Contiguous, b0);
        OptimizerOps.Sgd(host, param, grad, buffer, sgd);
        var expectedBuffer = g0.Select((g, i) => 0.9 * b0[i] + 0.8 * (g + 1e-2 * p0[i])).ToArray();
        var expectedParam = p0.Select((p, i) =>
        {
            double g = g0[i] + 1e-2 * p;
            return p - 0.1 * (nesterov ? g + 0.9 * expectedBuffer[i] : expectedBuffer[i]);
        }).ToArray();
        AssertClose(expectedBuffer, Read(buffer), _ => 1e-15, 1e-14, "sgd buffer");
        AssertClose(expectedParam, Read(param), _ => 1e-15, 1e-14, "sgd param");

        var adam = new AdamUpdateParams(1e-2, 0.9, 0.999, 1e-8, 0.05, 3, decoupled, Amsgrad: true);
        var m0 = Noise(1001, 4).Select(v => 0.1 * v).ToArray();
        var v0 = Noise(1001, 5).Select(v => 0.01 * Math.Abs(v)).ToArray();
        var x0 = Noise(1001, 6).Select(v => 0.01 * Math.Abs(v)).ToArray();
        param = Make(Cpu, DType.Float64, [1001], Layout.Contiguous, p0);
        var m = Make(Cpu, DType.Float64, [1001], Layout.Contiguous, m0);
        var v = Make(Cpu, DType.Float64, [1001], Layout.Contiguous, v0);
        var max = Make(Cpu, DType.Float64, [1001], Layout.Contiguous, x0);
        OptimizerOps.Adam(host, param, grad, m, v, max, adam);
        var expected = p0.Select((p, i) =>
        {
            double g = g0[i];
            if (decoupled) p -= 1e-2 * 0.05 * p;
            else g += 0.05 * p;
            double mi = 0.9 * m0[i] + 0.1 * g, vi = 0.999 * v0[i] + 0.001 * g * g;
            double vmax = Math.Max(x0[i], vi);
            return p - 1e-2 * (mi / (1 - Math.Pow(0.9, 3))) / (Math.Sqrt(vmax / (1 - Math.Pow(0.999, 3))) + 1e-8);
        }).ToArray();
        AssertClose(expected, Read(param), _ => 1e-15, 1e-12, $"adam decoupled {decoupled}");
    }
}
