using NUnit.Framework;

namespace Scratch.Tests.Optimizers;

/// <summary>
/// Every optimizer trains a 2-16-1 tanh MLP, built directly from tensors, to fit XOR-arranged
/// Gaussian blobs (not linearly separable) to more than 95% training accuracy.
/// </summary>
public class MlpTrainingTests
{
    private const int PointsPerBlob = 40;
    private const int Hidden = 16;

    public static IEnumerable<TestCaseData> Optimizers()
    {
        yield return Case("SGD momentum", ps => new SGD(ps, lr: 0.5, momentum: 0.9), 150);
        yield return Case("SGD Nesterov", ps => new SGD(ps, lr: 0.5, momentum: 0.9, nesterov: true), 150);
        yield return Case("Adam", ps => new Adam(ps, lr: 0.05), 150);
        yield return Case("AdamW", ps => new AdamW(ps, lr: 0.05), 150);
        yield return Case("RMSprop", ps => new RMSprop(ps, lr: 0.01), 150);
        yield return Case("Adagrad", ps => new Adagrad(ps, lr: 0.3), 150);
        yield return Case("Adadelta", ps => new Adadelta(ps, lr: 1.0), 300);
        yield return Case("Adamax", ps => new Adamax(ps, lr: 0.1), 150);
        yield return Case("NAdam", ps => new NAdam(ps, lr: 0.05), 150);
    }

    private static TestCaseData Case(string name, Func<IEnumerable<Tensor>, Optimizer> make, int steps)
        => new TestCaseData(make, steps).SetName("MlpFitsXor(" + name + ")");

    /// <summary>Four blobs at (±1, ±1); label 1 where both coordinates have the same sign.</summary>
    private static (NDArray X, NDArray Y) MakeXor(int seed)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var x = new List<float>();
        var y = new List<float>();
        foreach (var (cx, cy) in new[] { (1.0, 1.0), (-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0) })
        {
            for (int i = 0; i < PointsPerBlob; i++)
            {
                x.Add((float)(cx + 0.35 * Normal()));
                x.Add((float)(cy + 0.35 * Normal()));
                y.Add(cx * cy > 0 ? 1f : 0f);
            }
        }
        return (NDArray.FromArray(x.ToArray(), [y.Count, 2]), NDArray.FromArray(y.ToArray(), [y.Count, 1]));
    }

    private static Tensor Init(int rows, int cols, double scale, Random random)
    {
        var values = new float[rows * cols];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(scale * (2 * random.NextDouble() - 1));
        return Tensor.FromArray(values, [rows, cols], requiresGrad: true);
    }

    [TestCaseSource(nameof(Optimizers))]
    public void MlpFitsXor(Func<IEnumerable<Tensor>, Optimizer> make, int steps)
    {
        var (xData, yData) = MakeXor(seed: 7);
        var x = new Tensor(xData);
        var y = new Tensor(yData);
        var random = new Random(11);
        var w1 = Init(2, Hidden, 1.0, random);
        var b1 = Tensor.Zeros([Hidden], requiresGrad: true);
        var w2 = Init(Hidden, 1, 0.5, random);
        var b2 = Tensor.Zeros([1], requiresGrad: true);
        var optimizer = make([w1, b1, w2, b2]);

        Tensor Logits() => (x.MatMul(w1) + b1).Tanh().MatMul(w2) + b2;

        double firstLoss = double.NaN, lastLoss = double.NaN;
        for (int step = 0; step < steps; step++)
        {
            var z = Logits();
            // Binary cross-entropy on logits: softplus(z) − y·z.
            var loss = (z.Softplus() - y * z).Mean();
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
            lastLoss = loss.Item();
            if (step == 0) firstLoss = lastLoss;
        }

        NDArray predictions;
        using (Tensor.NoGrad()) predictions = Logits().Data.Gt(0.0);
        var predicted = predictions.ToArray<float>();
        var labels = yData.ToArray<float>();
        double accuracy = predicted.Zip(labels).Count(p => p.First == p.Second) / (double)labels.Length;
        TestContext.Out.WriteLine($"accuracy {accuracy:P1}, loss {firstLoss:F4} -> {lastLoss:F4} in {steps} steps");
        Assert.That(accuracy, Is.GreaterThan(0.95), $"loss {firstLoss:F4} -> {lastLoss:F4}");
        Assert.That(lastLoss, Is.LessThan(firstLoss));
    }
}
