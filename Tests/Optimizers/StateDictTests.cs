using NUnit.Framework;

namespace Scratch.Tests.Optimizers;

/// <summary>Saving and loading optimizer state: a resumed run must equal an uninterrupted one bit for bit.</summary>
public class StateDictTests
{
    public static IEnumerable<TestCaseData> Optimizers()
    {
        yield return Case("SGD momentum", ps => new SGD(ps, lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01));
        yield return Case("SGD Nesterov", ps => new SGD(ps, lr: 0.05, momentum: 0.9, nesterov: true));
        yield return Case("Adam AMSGrad", ps => new Adam(ps, lr: 0.05, amsgrad: true, weightDecay: 0.01));
        yield return Case("AdamW", ps => new AdamW(ps, lr: 0.05));
        yield return Case("RMSprop centered momentum", ps => new RMSprop(ps, lr: 0.01, momentum: 0.5, centered: true));
        yield return Case("Adagrad", ps => new Adagrad(ps, lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1));
        yield return Case("Adadelta", ps => new Adadelta(ps, weightDecay: 0.01));
        yield return Case("Adamax", ps => new Adamax(ps, lr: 0.05));
        yield return Case("NAdam", ps => new NAdam(ps, lr: 0.05, weightDecay: 0.01));
    }

    private static TestCaseData Case(string name, Func<Tensor[], Optimizer> make) => new TestCaseData(make).SetName("ResumedRunIsBitIdentical(" + name + ")");

    /// <summary>Two parameters in two groups (the second with a smaller lr), with non-linear gradients.</summary>
    private static (Tensor[] Parameters, Optimizer Optimizer) Setup(Func<Tensor[], Optimizer> make)
    {
        var p1 = Quadratic.NewParameter();
        var p2 = Tensor.FromArray(new[] { 0.3, -0.7, 1.1, 0.0, 2.0, -1.5 }, [2, 3], requiresGrad: true);
        var optimizer = make([p1]);
        optimizer.AddParamGroup([p2], lr: optimizer.ParamGroups[0].Lr / 2);
        return ([p1, p2], optimizer);
    }

    private static void TrainSteps(Tensor[] ps, Optimizer optimizer, int steps)
    {
        for (int t = 0; t < steps; t++)
        {
            Quadratic.SetGradient(ps[0]);
            var x = ps[1].Data;
            ps[1].Grad = new Tensor(x * x - 0.5);
            optimizer.Step();
        }
    }

    [TestCaseSource(nameof(Optimizers))]
    public void ResumedRunIsBitIdentical(Func<Tensor[], Optimizer> make)
    {
        var (straight, straightOptimizer) = Setup(make);
        TrainSteps(straight, straightOptimizer, 6);

        var (first, firstOptimizer) = Setup(make);
        TrainSteps(first, firstOptimizer, 3);
        var saved = firstOptimizer.StateDict();
        var savedValues = first.Select(p => p.Data.Clone()).ToArray();
        TrainSteps(first, firstOptimizer, 2); // moves on after saving: the snapshot must not change

        var (resumed, resumedOptimizer) = Setup(make);
        for (int i = 0; i < resumed.Length; i++) resumed[i].Data.CopyFrom(savedValues[i]);
        resumedOptimizer.LoadStateDict(saved);
        TrainSteps(resumed, resumedOptimizer, 3);

        for (int i = 0; i < straight.Length; i++)
            Assert.That(resumed[i].Data.ToArray<double>(), Is.EqualTo(straight[i].Data.ToArray<double>()), $"parameter {i}");
        Assert.That(resumedOptimizer.GetState(resumed[0])!.Step, Is.EqualTo(6));
    }

    [Test]
    public void StateDictNamesBuffersStepsAndHyperParameters()
    {
        var (ps, optimizer) = Setup(p => new Adam(p, lr: 0.02, amsgrad: true));
        TrainSteps(ps, optimizer, 3);
        var state = optimizer.StateDict();
        Assert.That(state.Tensors.Keys, Is.EquivalentTo(new[]
        {
            "state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq",
            "state.1.exp_avg", "state.1.exp_avg_sq", "state.1.max_exp_avg_sq",
        }));
        Assert.That(state.Scalars["state.0.step"], Is.EqualTo(3));
        Assert.That(state.Scalars["state.1.step"], Is.EqualTo(3));
        Assert.That(state.Scalars["param_groups.0.lr"], Is.EqualTo(0.02));
        Assert.That(state.Scalars["param_groups.1.lr"], Is.EqualTo(0.01));
        Assert.That(state.Scalars["param_groups.1.beta2"], Is.EqualTo(0.999));
        Assert.That(state.Scalars["param_groups.0.amsgrad"], Is.EqualTo(1));
        Assert.That(state.Scalars["param_groups.0.param_count"], Is.EqualTo(1));
        Assert.That(state.Tensors["state.1.exp_avg"].Shape, Is.EqualTo(new[] { 2, 3 }));
        // The saved arrays are copies.
        Assert.That(state.Tensors["state.0.exp_avg"], Is.Not.SameAs(optimizer.GetState(ps[0])!["exp_avg"]));
    }

    [Test]
    public void NAdamSavesItsMomentumProduct()
    {
        var (ps, optimizer) = Setup(p => new NAdam(p));
        TrainSteps(ps, optimizer, 2);
        var state = optimizer.StateDict();
        double mu1 = 0.9 * (1 - 0.5 * Math.Pow(0.96, 1 * 4e-3)), mu2 = 0.9 * (1 - 0.5 * Math.Pow(0.96, 2 * 4e-3));
        Assert.That(state.Scalars["state.0.mu_product"], Is.EqualTo(mu1 * mu2).Within(1e-15));
    }

    [Test]
    public void LoadingRestoresHyperParametersAndClearsNewerState()
    {
        var (ps, optimizer) = Setup(p => new SGD(p, lr: 0.1, momentum: 0.9));
        var fresh = optimizer.StateDict();
        TrainSteps(ps, optimizer, 2);
        optimizer.ParamGroups[0].Lr = 123;
        optimizer.LoadStateDict(fresh);
        Assert.That(optimizer.ParamGroups[0].Lr, Is.EqualTo(0.1));
        Assert.That(optimizer.GetState(ps[0]), Is.Null);
        Assert.That(optimizer.GetState(ps[1]), Is.Null);
    }

    [Test]
    public void StateOfAnotherOptimizerKindIsRejected()
    {
        var (adamParams, adam) = Setup(p => new Adam(p));
        TrainSteps(adamParams, adam, 1);
        var (_, sgd) = Setup(p => new SGD(p, lr: 0.1, momentum: 0.9));
        var error = Assert.Throws<ArgumentException>(() => sgd.LoadStateDict(adam.StateDict()));
        Assert.That(error!.Message, Does.Contain("momentum"));
    }

    [Test]
    public void StateForOtherShapesOrGroupsIsRejected()
    {
        var (ps, optimizer) = Setup(p => new Adam(p));
        TrainSteps(ps, optimizer, 1);
        var saved = optimizer.StateDict();

        var other = new Adam([Tensor.FromArray(new double[] { 1, 2, 3, 4, 5 }, requiresGrad: true)]);
        other.AddParamGroup([Tensor.FromArray(new double[] { 1, 2, 3 }, requiresGrad: true)]);
        var shapeError = Assert.Throws<ArgumentException>(() => other.LoadStateDict(saved));
        Assert.That(shapeError!.Message, Does.Contain("[2, 3]").And.Contain("[3]"));

        var oneGroup = new Adam([Quadratic.NewParameter()]);
        Assert.That(() => oneGroup.LoadStateDict(saved), Throws.ArgumentException.With.Message.Contains("group"));
        Assert.That(oneGroup.GetState(oneGroup.Parameters.First()), Is.Null, "a rejected load changes nothing");
    }
}
