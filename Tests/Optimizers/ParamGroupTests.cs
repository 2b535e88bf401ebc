using NUnit.Framework;

namespace Scratch.Tests.Optimizers;

/// <summary>Parameter groups, skipping parameters without gradients, ZeroGrad and argument checks of the optimizer base.</summary>
public class ParamGroupTests
{
    private static List<double[]> MomentumReference(double lr, double mu)
    {
        var buf = new double[Quadratic.Theta0.Length];
        return Quadratic.Reference((t, th, g) =>
        {
            for (int i = 0; i < th.Length; i++)
            {
                buf[i] = t == 1 ? g[i] : mu * buf[i] + g[i];
                th[i] -= lr * buf[i];
            }
        });
    }

    [Test]
    public void GroupsUseTheirOwnLearningRateAndMomentum()
    {
        var p1 = Quadratic.NewParameter();
        var p2 = Quadratic.NewParameter();
        var optimizer = new SGD([p1], lr: 0.1, momentum: 0.9);
        var group = optimizer.AddParamGroup([p2], lr: 0.01, options: new Dictionary<string, double> { ["momentum"] = 0.5 });
        Assert.That(group.Lr, Is.EqualTo(0.01));
        Assert.That(group["momentum"], Is.EqualTo(0.5));
        Assert.That(group["dampening"], Is.EqualTo(0), "unset options come from the defaults");

        var actual1 = new List<double[]>();
        var actual2 = new List<double[]>();
        for (int t = 0; t < 3; t++)
        {
            Quadratic.SetGradient(p1);
            Quadratic.SetGradient(p2);
            optimizer.Step();
            actual1.Add(p1.Data.ToArray<double>());
            actual2.Add(p2.Data.ToArray<double>());
        }
        Quadratic.AssertClose(actual1, MomentumReference(0.1, 0.9));
        Quadratic.AssertClose(actual2, MomentumReference(0.01, 0.5));
    }

    [Test]
    public void AdamGroupsWithDifferentLearningRates()
    {
        var p1 = Quadratic.NewParameter();
        var p2 = Quadratic.NewParameter();
        var optimizer = new Adam([p1], lr: 0.1);
        optimizer.AddParamGroup([p2], lr: 0.01);
        for (int t = 0; t < 3; t++)
        {
            Quadratic.SetGradient(p1);
            Quadratic.SetGradient(p2);
            optimizer.Step();
        }
        // Reference: the same optimizer on one parameter each.
        var solo1 = Quadratic.Run(p => new Adam([p], lr: 0.1))[^1];
        var solo2 = Quadratic.Run(p => new Adam([p], lr: 0.01))[^1];
        Assert.That(p1.Data.ToArray<double>(), Is.EqualTo(solo1));
        Assert.That(p2.Data.ToArray<double>(), Is.EqualTo(solo2));
        Assert.That(solo1, Is.Not.EqualTo(solo2).Within(1e-3));
    }

    [Test]
    public void ParametersWithoutGradientAreSkipped()
    {
        var p1 = Quadratic.NewParameter();
        var frozen = Quadratic.NewParameter();
        var optimizer = new Adam([p1, frozen], lr: 0.1);
        Quadratic.SetGradient(p1);
        optimizer.Step();
        Assert.That(frozen.Data.ToArray<double>(), Is.EqualTo(Quadratic.Theta0));
        Assert.That(optimizer.GetState(frozen), Is.Null);
        Assert.That(optimizer.GetState(p1)!.Step, Is.EqualTo(1));
        Assert.That(p1.Data.ToArray<double>(), Is.Not.EqualTo(Quadratic.Theta0));
    }

    [Test]
    public void ZeroGradSetsGradientsToNullOrZero()
    {
        var p1 = Quadratic.NewParameter();
        var p2 = Quadratic.NewParameter();
        var optimizer = new SGD([p1], lr: 0.1);
        optimizer.AddParamGroup([p2]);
        Quadratic.SetGradient(p1);
        Quadratic.SetGradient(p2);
        optimizer.ZeroGrad(setToNone: false);
        Assert.That(p1.Grad!.Data.ToArray<double>(), Is.All.EqualTo(0.0));
        Assert.That(p2.Grad!.Data.ToArray<double>(), Is.All.EqualTo(0.0));
        optimizer.ZeroGrad();
        Assert.That(p1.Grad, Is.Null);
        Assert.That(p2.Grad, Is.Null);
    }

    [Test]
    public void StepRunsWithoutRecordingAndClosureReturnsLoss()
    {
        var p = Quadratic.NewParameter();
        var probe = new ProbeOptimizer([p]);
        Assert.That(GradMode.IsEnabled, Is.True);
        double loss = probe.Step(() =>
        {
            Assert.That(GradMode.IsEnabled, Is.True, "the closure may record a graph");
            Quadratic.SetGradient(p);
            return 42.5;
        });
        Assert.That(loss, Is.EqualTo(42.5));
        Assert.That(probe.Calls, Is.EqualTo(1));
        Assert.That(probe.RecordingDuringUpdate, Is.False);
        Assert.That(GradMode.IsEnabled, Is.True);
    }

    [Test]
    public void BadParameterListsAreRejected()
    {
        var p = Quadratic.NewParameter();
        Assert.That(() => new SGD([], lr: 0.1), Throws.ArgumentException.With.Message.Contains("empty"));
        Assert.That(() => new SGD([p, p], lr: 0.1), Throws.ArgumentException.With.Message.Contains("more than once"));
        var optimizer = new SGD([p], lr: 0.1);
        Assert.That(() => optimizer.AddParamGroup([p]), Throws.ArgumentException.With.Message.Contains("more than once"));
        var q = Quadratic.NewParameter();
        Assert.That(() => optimizer.AddParamGroup([q], options: new Dictionary<string, double> { ["betas"] = 0.9 }),
            Throws.ArgumentException.With.Message.Contains("betas"));
        var nonLeaf = p * 2.0;
        Assert.That(() => new SGD([nonLeaf], lr: 0.1), Throws.ArgumentException.With.Message.Contains("non-leaf"));
        Assert.That(optimizer.ParamGroups, Has.Count.EqualTo(1), "failed additions leave the groups alone");
    }

    [Test]
    public void GradientOfWrongShapeIsReported()
    {
        var p = Quadratic.NewParameter();
        p.Grad = new Tensor(NDArray.FromArray(new double[] { 1, 2, 3 }));
        var optimizer = new SGD([p], lr: 0.1);
        var error = Assert.Throws<InvalidOperationException>(() => optimizer.Step());
        Assert.That(error!.Message, Does.Contain("[3]").And.Contain("[5]"));
    }

    [Test]
    public void DefaultsFollowPyTorch()
    {
        var p = Quadratic.NewParameter();
        Assert.That(new AdamW([p]).Defaults["weight_decay"], Is.EqualTo(1e-2));
        Assert.That(new Adam([p]).Defaults["weight_decay"], Is.EqualTo(0));
        Assert.That(new NAdam([p]).Defaults["momentum_decay"], Is.EqualTo(4e-3));
        Assert.That(new RMSprop([p]).Defaults["alpha"], Is.EqualTo(0.99));
        Assert.That(new Adagrad([p]).Defaults["eps"], Is.EqualTo(1e-10));
        Assert.That(new Adadelta([p]).Defaults["lr"], Is.EqualTo(1.0));
        Assert.That(new Adamax([p]).Defaults["lr"], Is.EqualTo(2e-3));
    }

    [Test]
    public void UnknownHyperParameterNamesTheKnownOnes()
    {
        var optimizer = new RMSprop([Quadratic.NewParameter()]);
        var error = Assert.Throws<KeyNotFoundException>(() => _ = optimizer.ParamGroups[0]["beta1"]);
        Assert.That(error!.Message, Does.Contain("alpha"));
    }

    /// <summary>A custom optimizer that records whether gradients were being recorded during its update.</summary>
    private sealed class ProbeOptimizer(IEnumerable<Tensor> parameters)
        : Optimizer(parameters, new Dictionary<string, double> { ["lr"] = 0.1, ["weight_decay"] = 0 })
    {
        public int Calls { get; private set; }
        public bool RecordingDuringUpdate { get; private set; } = true;

        protected override void Update(ParamGroup group, NDArray param, NDArray grad, ParameterState state)
        {
            Calls++;
            RecordingDuringUpdate = GradMode.IsEnabled;
        }
    }
}
