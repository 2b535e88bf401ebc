using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Tests.Support;

namespace Scratch.Tests.Kernels.Optimizers;

[TestFixture]
public class OptimizerUpdateKernelTests
{
    private static readonly IBackend Cpu = CpuBackend.Instance;
    private const int Steps = 4;

    /// <summary>Gradients for each step, the same for the kernel and the reference.</summary>
    private static double[][] Gradients(DType dtype, int count) =>
        Enumerable.Range(0, Steps).Select(s => Buffers.RoundedTo(dtype, Buffers.Noise(count, 100 + s))).ToArray();

    private static void AssertClose(double[] actual, double[] expected, double tol, string what)
    {
        for (int k = 0; k < expected.Length; k++)
            if (!(Math.Abs(actual[k] - expected[k]) <= tol * (1 + Math.Abs(expected[k]))))
                Assert.Fail($"{what}: element {k} is {actual[k]}, expected {expected[k]}");
    }

    // ---- SGD --------------------------------------------------------------------------------------

    public static IEnumerable<TestCaseData> SgdCases()
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            yield return new TestCaseData(dtype, new SgdUpdateParams(0.1)).SetName($"Sgd_{dtype}_plain");
            yield return new TestCaseData(dtype, new SgdUpdateParams(0.1, WeightDecay: 0.01)).SetName($"Sgd_{dtype}_weight_decay");
            yield return new TestCaseData(dtype, new SgdUpdateParams(0.05, Momentum: 0.9)).SetName($"Sgd_{dtype}_momentum");
            yield return new TestCaseData(dtype, new SgdUpdateParams(0.05, Momentum: 0.9, Dampening: 0.3, WeightDecay: 0.02)).SetName($"Sgd_{dtype}_dampening");
            yield return new TestCaseData(dtype, new SgdUpdateParams(0.05, Momentum: 0.8, Nesterov: true, WeightDecay: 0.01)).SetName($"Sgd_{dtype}_nesterov");
        }
    }

    [TestCaseSource(nameof(SgdCases))]
    public void SgdMatchesReference(DType dtype, SgdUpdateParams p)
    {
        foreach (int count in new[] { 37, 33_001 })   // vector body and tail; several parallel chunks
        {
            var p0 = Buffers.RoundedTo(dtype, Buffers.Noise(count, 1));
            var grads = Gradients(dtype, count);
            var param = Buffers.MakeFloating(dtype, p0);
            var buffer = Buffers.MakeFloating(dtype, new double[count]);   // contents must not matter on the first step

            var expected = (double[])p0.Clone();
            var expectedBuf = new double[count];
            for (int step = 0; step < Steps; step++)
            {
                var sp = p with { FirstStep = step == 0 };
                Cpu.SgdUpdate(param, Buffers.MakeFloating(dtype, grads[step]), p.Momentum != 0 ? buffer : null, sp);

                for (int k = 0; k < count; k++)
                {
                    double g = grads[step][k] + p.WeightDecay * expected[k];
                    if (p.Momentum != 0)
                    {
                        expectedBuf[k] = step == 0 ? g : p.Momentum * expectedBuf[k] + (1 - p.Dampening) * g;
                        g = p.Nesterov ? g + p.Momentum * expectedBuf[k] : expectedBuf[k];
                    }
                    expected[k] -= p.Lr * g;
                }
            }
            AssertClose(Buffers.ReadAsDouble(param), expected, 1e-6, $"param ({count})");
            if (p.Momentum != 0) AssertClose(Buffers.ReadAsDouble(buffer), expectedBuf, 1e-6, $"momentum buffer ({count})");
        }
    }

    [Test]
    public void SgdFirstStepIgnoresOldBuffer()
    {
        var param = Buffers.MakeFloating(DType.Float64, [1.0, 2.0]);
        var buffer = Buffers.MakeFloating(DType.Float64, [double.NaN, 100.0]);
        Cpu.SgdUpdate(param, Buffers.MakeFloating(DType.Float64, [0.5, -1.0]), buffer, new SgdUpdateParams(0.1, Momentum: 0.9, Dampening: 0.5, FirstStep: true));
        Assert.That(Buffers.ReadAsDouble(buffer), Is.EqualTo(new[] { 0.5, -1.0 }));
        Assert.That(Buffers.ReadAsDouble(param), Is.EqualTo(new[] { 1.0 - 0.05, 2.0 + 0.1 }).Within(1e-15));
    }

    // ---- Adam -------------------------------------------------------------------------------------

    public static IEnumerable<TestCaseData> AdamCases()
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            yield return new TestCaseData(dtype, new AdamUpdateParams(1e-2, 0.9, 0.999, 1e-8, 0, 1)).SetName($"Adam_{dtype}_plain");
            yield return new TestCaseData(dtype, new AdamUpdateParams(1e-2, 0.8, 0.99, 1e-6, 0.05, 1)).SetName($"Adam_{dtype}_l2");
            yield return new TestCaseData(dtype, new AdamUpdateParams(1e-2, 0.9, 0.999, 1e-8, 0.1, 1, Decoupled: true)).SetName($"Adam_{dtype}_adamw");
            yield return new TestCaseData(dtype, new AdamUpdateParams(1e-2, 0.9, 0.99, 1e-8, 0.01, 1, Amsgrad: true)).SetName($"Adam_{dtype}_amsgrad");
            yield return new TestCaseData(dtype, new AdamUpdateParams(1e-2, 0.9, 0.99, 1e-8, 0.01, 1, Decoupled: true, Amsgrad: true)).SetName($"Adam_{dtype}_adamw_amsgrad");
        }
    }

    [TestCaseSource(nameof(AdamCases))]
    public void AdamMatchesReference(DType dtype, AdamUpdateParams p)
    {
        foreach (int count in new[] { 37, 33_001 })
        {
            var p0 = Buffers.RoundedTo(dtype, Buffers.Noise(count, 2));
            var grads = Gradients(dtype, count);
            var param = Buffers.MakeFloating(dtype, p0);
            var m = Buffers.MakeFloating(dtype, new double[count]);
            var v = Buffers.MakeFloating(dtype, new double[count]);
            var maxV = Buffers.MakeFloating(dtype, new double[count]);

            var expected = (double[])p0.Clone();
            var em = new double[count];
            var ev = new double[count];
            var emax = new double[count];
            for (int step = 1; step <= Steps; step++)
            {
                // Shrink the gradient over the steps so that AMSGrad's maximum differs from v.
                var g = grads[step - 1].Select(x => x / step).ToArray();
                g = Buffers.RoundedTo(dtype, g);
                Cpu.AdamUpdate(param, Buffers.MakeFloating(dtype, g), m, v, p.Amsgrad ? maxV : null, p with { Step = step });

                double correction1 = 1 - Math.Pow(p.Beta1, step), correction2 = 1 - Math.Pow(p.Beta2, step);
                for (int k = 0; k < count; k++)
                {
                    double gk = g[k];
                    if (p.Decoupled) expected[k] *= 1 - p.Lr * p.WeightDecay;
                    else gk += p.WeightDecay * expected[k];
                    em[k] = p.Beta1 * em[k] + (1 - p.Beta1) * gk;
                    ev[k] = p.Beta2 * ev[k] + (1 - p.Beta2) * gk * gk;
                    double vUsed = ev[k];
                    if (p.Amsgrad)
                    {
                        emax[k] = Math.Max(emax[k], ev[k]);
                        vUsed = emax[k];
                    }
                    double mHat = em[k] / correction1;
                    double vHat = vUsed / correction2;
                    expected[k] -= p.Lr * mHat / (Math.Sqrt(vHat) + p.Eps);
                }
            }
            AssertClose(Buffers.ReadAsDouble(param), expected, 1e-6, $"param ({count})");
            AssertClose(Buffers.ReadAsDouble(m), em, 1e-6, $"exp_avg ({count})");
            AssertClose(Buffers.ReadAsDouble(v), ev, 1e-6, $"exp_avg_sq ({count})");
            if (p.Amsgrad) AssertClose(Buffers.ReadAsDouble(maxV), emax, 1e-6, $"max_exp_avg_sq ({count})");
        }
    }

    [Test]
    public void AdamFirstStepMovesEachParameterByAboutLr()
    {
        // With m̂ = g and v̂ = g² on step 1, every parameter moves by lr·sign(g) (up to eps).
        var param = Buffers.MakeFloating(DType.Float64, [0.0, 1.0, -2.0]);
        var m = Buffers.MakeFloating(DType.Float64, new double[3]);
        var v = Buffers.MakeFloating(DType.Float64, new double[3]);
        Cpu.AdamUpdate(param, Buffers.MakeFloating(DType.Float64, [0.3, -5.0, 1e-3]), m, v, null, new AdamUpdateParams(0.01, 0.9, 0.999, 1e-12, 0, 1));
        Assert.That(Buffers.ReadAsDouble(param), Is.EqualTo(new[] { -0.01, 1.01, -2.01 }).Within(1e-8));
    }

    // ---- bad input --------------------------------------------------------------------------------

    [Test]
    public void RejectsBadInput()
    {
        var param = Buffers.MakeFloating(DType.Float32, new double[4]);
        var grad = Buffers.MakeFloating(DType.Float32, new double[4]);
        var ex = Assert.Throws<ArgumentException>(() => Cpu.SgdUpdate(param, grad, null, new SgdUpdateParams(0.1, Momentum: 0.9)));
        Assert.That(ex!.Message, Does.Contain("sgd_update").And.Contain("momentum buffer"));
        ex = Assert.Throws<ArgumentException>(() => Cpu.SgdUpdate(param, Buffers.MakeFloating(DType.Float32, new double[5]), null, new SgdUpdateParams(0.1)));
        Assert.That(ex!.Message, Does.Contain("grad float32[5]").And.Contain("param float32[4]"));
        ex = Assert.Throws<ArgumentException>(() => Cpu.AdamUpdate(param, grad, Buffers.MakeFloating(DType.Float32, new double[4]), Buffers.MakeFloating(DType.Float32, new double[4]), null,
            new AdamUpdateParams(1e-3, 0.9, 0.999, 1e-8, 0, 1, Amsgrad: true)));
        Assert.That(ex!.Message, Does.Contain("amsgrad"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cpu.AdamUpdate(param, grad, Buffers.MakeFloating(DType.Float32, new double[4]), Buffers.MakeFloating(DType.Float32, new double[4]), null,
            new AdamUpdateParams(1e-3, 0.9, 0.999, 1e-8, 0, 0)));
    }
}
