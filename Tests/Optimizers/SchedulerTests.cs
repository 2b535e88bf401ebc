using NUnit.Framework;

namespace Scratch.Tests.Optimizers;

/// <summary>
/// Learning-rate sequences of the schedulers against hand-computed values, or values printed by
/// PyTorch 1.13 (Debian's python3-torch) where its step logic matters; the snippet is in the comment.
/// </summary>
public class SchedulerTests
{
    private const double Tolerance = 1e-12;

    private static SGD MakeSgd(double lr = 0.1, double momentum = 0.9)
        => new([Tensor.FromArray(new double[] { 0, 0 }, requiresGrad: true)], lr: lr, momentum: momentum);

    /// <summary>The rate at construction, then after each of <paramref name="steps"/> steps.</summary>
    private static double[] Sequence(LRScheduler scheduler, int steps)
    {
        var result = new List<double> { scheduler.Optimizer.ParamGroups[0].Lr };
        for (int i = 0; i < steps; i++)
        {
            scheduler.Step();
            Assert.That(scheduler.LastLr[0], Is.EqualTo(scheduler.Optimizer.ParamGroups[0].Lr));
            result.Add(scheduler.LastLr[0]);
        }
        return result.ToArray();
    }

    [Test]
    public void StepLRDecaysEveryStepSize()
    {
        var lrs = Sequence(new StepLR(MakeSgd(), stepSize: 3, gamma: 0.5), 7);
        Assert.That(lrs, Is.EqualTo(new[] { 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025 }).Within(Tolerance));
    }

    [Test]
    public void MultiStepLRDecaysAtMilestonesCountingRepeats()
    {
        var lrs = Sequence(new MultiStepLR(MakeSgd(), [4, 2, 4], gamma: 0.1), 5);
        Assert.That(lrs, Is.EqualTo(new[] { 0.1, 0.1, 0.01, 0.01, 0.0001, 0.0001 }).Within(Tolerance));
    }

    [Test]
    public void ExponentialLRMultipliesEveryStep()
    {
        var lrs = Sequence(new ExponentialLR(MakeSgd(), gamma: 0.9), 3);
        Assert.That(lrs, Is.EqualTo(new[] { 0.1, 0.09, 0.081, 0.0729 }).Within(Tolerance));
    }

    [Test]
    public void CosineAnnealingFollowsHalfCosine()
    {
        var lrs = Sequence(new CosineAnnealingLR(MakeSgd(), tMax: 4, etaMin: 0.02), 6);
        // η_min + (0.1 − η_min)·(1 + cos(π t / 4)) / 2 with cos(π/4) = √½.
        double h = Math.Sqrt(0.5);
        var expected = new[] { 0.1, 0.02 + 0.08 * (1 + h) / 2, 0.06, 0.02 + 0.08 * (1 - h) / 2, 0.02, 0.02 + 0.08 * (1 - h) / 2, 0.06 };
        Assert.That(lrs, Is.EqualTo(expected).Within(Tolerance));
    }

    [Test]
    public void EachGroupScalesItsOwnBaseRate()
    {
        var optimizer = MakeSgd(lr: 0.1);
        optimizer.AddParamGroup([Tensor.FromArray(new double[] { 0 }, requiresGrad: true)], lr: 1.0);
        var scheduler = new StepLR(optimizer, stepSize: 1, gamma: 0.5);
        scheduler.Step();
        scheduler.Step();
        Assert.That(scheduler.LastLr, Is.EqualTo(new[] { 0.025, 0.25 }).Within(Tolerance));
        Assert.That(scheduler.BaseLrs, Is.EqualTo(new[] { 0.1, 1.0 }));
        Assert.That(optimizer.ParamGroups[1]["initial_lr"], Is.EqualTo(1.0));
    }

    // o = SGD([p], lr=0.1, momentum=0.9); s = CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.01)
    // lrs = [s.get_last_lr()[0]] + [(o.step(), s.step(), s.get_last_lr()[0])[2] for _ in range(12)]
    [Test]
    public void WarmRestartsMatchPyTorch()
    {
        var lrs = Sequence(new CosineAnnealingWarmRestarts(MakeSgd(), t0: 3, tMult: 2, etaMin: 0.01), 12);
        var torch = new[]
        {
            0.1, 0.0775, 0.032500000000000015, 0.1, 0.09397114317029975, 0.0775, 0.05500000000000001,
            0.032500000000000015, 0.01602885682970026, 0.1, 0.09846666218300808, 0.09397114317029975, 0.08681980515339464,
        };
        Assert.That(lrs, Is.EqualTo(torch).Within(Tolerance));
    }

    // o = SGD(..., lr=0.1); s = CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.01)
    // for e in [0.5, 3.25, 8.0, 10.5]: s.step(e); print(s.get_last_lr()[0])
    [Test]
    public void WarmRestartsAcceptFractionalEpochsLikePyTorch()
    {
        var scheduler = new CosineAnnealingWarmRestarts(MakeSgd(), t0: 3, tMult: 2, etaMin: 0.01);
        var lrs = new[] { 0.5, 3.25, 8.0, 10.5 }.Select(e => { scheduler.Step(e); return scheduler.LastLr[0]; }).ToArray();
        Assert.That(lrs, Is.EqualTo(new[] { 0.09397114317029975, 0.09961501876182148, 0.01602885682970026, 0.0965745789630079 }).Within(Tolerance));
        Assert.That(scheduler.LastEpoch, Is.EqualTo(10));
    }

    // o = SGD([p], lr=0.1, momentum=0.9); s = OneCycleLR(o, max_lr=1.0, total_steps=10)
    // record (o.param_groups[0]['lr'], o.param_groups[0]['momentum']) before and after each of 9 steps
    [Test]
    public void OneCycleMatchesPyTorchIncludingMomentum()
    {
        var optimizer = MakeSgd();
        var scheduler = new OneCycleLR(optimizer, maxLr: 1.0, totalSteps: 10);
        var lrs = new List<double> { optimizer.ParamGroups[0].Lr };
        var momenta = new List<double> { optimizer.ParamGroups[0]["momentum"] };
        for (int i = 0; i < 9; i++)
        {
            scheduler.Step();
            lrs.Add(optimizer.ParamGroups[0].Lr);
            momenta.Add(optimizer.ParamGroups[0]["momentum"]);
        }
        Assert.That(lrs, Is.EqualTo(new[]
        {
            0.040000000000000036, 0.52, 1.0, 0.9504846320134737, 0.8117456539497631, 0.6112620219362893,
            0.38874197806371075, 0.18825834605023697, 0.049519367986526286, 4e-06,
        }).Within(Tolerance));
        Assert.That(momenta, Is.EqualTo(new[]
        {
            0.95, 0.8999999999999999, 0.85, 0.854951556604879, 0.8688255099070633, 0.8888739533021842,
            0.9111260466978157, 0.9311744900929366, 0.945048443395121, 0.95,
        }).Within(Tolerance));
    }

    // OneCycleLR(o, max_lr=0.5, total_steps=12, pct_start=0.25, anneal_strategy='linear', three_phase=True,
    //            div_factor=10, final_div_factor=100), 11 steps
    [Test]
    public void OneCycleThreePhaseLinearMatchesPyTorch()
    {
        var optimizer = MakeSgd();
        var scheduler = new OneCycleLR(optimizer, maxLr: 0.5, totalSteps: 12, pctStart: 0.25, anneal: AnnealStrategy.Linear,
            threePhase: true, divFactor: 10, finalDivFactor: 100);
        var lrs = new List<double> { optimizer.ParamGroups[0].Lr };
        var momenta = new List<double> { optimizer.ParamGroups[0]["momentum"] };
        for (int i = 0; i < 11; i++)
        {
            scheduler.Step();
            lrs.Add(optimizer.ParamGroups[0].Lr);
            momenta.Add(optimizer.ParamGroups[0]["momentum"]);
        }
        Assert.That(lrs, Is.EqualTo(new[]
        {
            0.05, 0.275, 0.5, 0.275, 0.04999999999999999, 0.042928571428571434, 0.03585714285714286, 0.02878571428571429,
            0.021714285714285717, 0.014642857142857145, 0.007571428571428576, 0.0005000000000000004,
        }).Within(Tolerance));
        Assert.That(momenta, Is.EqualTo(new[] { 0.95, 0.9, 0.85, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95 }).Within(Tolerance));
    }

    // p = Parameter(zeros(1)); o = Adam([p], lr=0.1, betas=(0.9, 0.99)); s = OneCycleLR(o, max_lr=0.01, total_steps=5)
    // record (lr, betas[0]) before and after each of 4 steps
    [Test]
    public void OneCycleCyclesAdamBeta1()
    {
        var optimizer = new Adam([Tensor.FromArray(new double[] { 0 }, requiresGrad: true)], lr: 0.1, beta2: 0.99);
        var scheduler = new OneCycleLR(optimizer, maxLr: 0.01, totalSteps: 5);
        var lrs = new List<double> { optimizer.ParamGroups[0].Lr };
        var betas = new List<double> { optimizer.ParamGroups[0]["beta1"] };
        for (int i = 0; i < 4; i++)
        {
            scheduler.Step();
            lrs.Add(optimizer.ParamGroups[0].Lr);
            betas.Add(optimizer.ParamGroups[0]["beta1"]);
        }
        Assert.That(lrs, Is.EqualTo(new[] { 0.0003999999999999993, 0.009504846320134737, 0.0061126202193628925, 0.00188258346050237, 4e-08 }).Within(Tolerance));
        Assert.That(betas, Is.EqualTo(new[] { 0.95, 0.854951556604879, 0.8888739533021842, 0.9311744900929366, 0.95 }).Within(Tolerance));
        Assert.That(optimizer.ParamGroups[0]["beta2"], Is.EqualTo(0.99), "only beta1 cycles");
    }

    [Test]
    public void OneCycleRefusesToStepPastTheCycle()
    {
        var scheduler = new OneCycleLR(MakeSgd(), maxLr: 1.0, totalSteps: 3);
        for (int i = 0; i < 3; i++) scheduler.Step(); // step 3 == totalSteps is still allowed, as in PyTorch
        Assert.That(() => scheduler.Step(), Throws.InvalidOperationException.With.Message.Contains("3 steps"));
    }

    // o = SGD([p], lr=1.0, momentum=0.9); s = ReduceLROnPlateau(o, mode='min', factor=0.5, patience=2, threshold=0.1,
    //     threshold_mode='rel', cooldown=1, min_lr=0.1); for m in metrics: s.step(m); print(o.param_groups[0]['lr'])
    [Test]
    public void PlateauInMinRelativeModeMatchesPyTorch()
    {
        var optimizer = MakeSgd(lr: 1.0);
        var scheduler = new ReduceLROnPlateau(optimizer, PlateauMode.Min, factor: 0.5, patience: 2, threshold: 0.1,
            thresholdMode: ThresholdMode.Rel, cooldown: 1, minLr: 0.1);
        double[] metrics = [10, 9, 8.5, 8.6, 8.0, 7.9, 7.9, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0];
        var lrs = metrics.Select(m => { scheduler.Step(m); return optimizer.ParamGroups[0].Lr; }).ToArray();
        Assert.That(lrs, Is.EqualTo(new[] { 1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.125, 0.125, 0.125 }));
        Assert.That(scheduler.LastLr[0], Is.EqualTo(0.125));
    }

    // ReduceLROnPlateau(o, mode='max', factor=0.1, patience=1, threshold=0.5, threshold_mode='abs'), lr=1.0
    [Test]
    public void PlateauInMaxAbsoluteModeMatchesPyTorch()
    {
        var optimizer = MakeSgd(lr: 1.0);
        var scheduler = new ReduceLROnPlateau(optimizer, PlateauMode.Max, factor: 0.1, patience: 1, threshold: 0.5, thresholdMode: ThresholdMode.Abs);
        double[] metrics = [0.5, 0.9, 1.2, 1.3, 2.0, 2.1, 2.2, 2.3, 3.0];
        var lrs = metrics.Select(m => { scheduler.Step(m); return optimizer.ParamGroups[0].Lr; }).ToArray();
        Assert.That(lrs, Is.EqualTo(new[] { 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.1, 0.1, 0.1 }).Within(Tolerance));
    }

    [Test]
    public void PlateauNeverGoesBelowMinLr()
    {
        var optimizer = MakeSgd(lr: 1.0);
        var scheduler = new ReduceLROnPlateau(optimizer, factor: 0.5, patience: 0, minLr: 0.3);
        for (int i = 0; i < 6; i++) scheduler.Step(1.0);
        Assert.That(optimizer.ParamGroups[0].Lr, Is.EqualTo(0.3));
    }

    [Test]
    public void StandaloneLinearWarmupRampsThenHolds()
    {
        var lrs = Sequence(new LinearWarmup(MakeSgd(), warmupSteps: 4, startFactor: 0.2), 6);
        // 0.1·(0.2 + 0.8·t/4) for t ≤ 4, then 0.1.
        Assert.That(lrs, Is.EqualTo(new[] { 0.02, 0.04, 0.06, 0.08, 0.1, 0.1, 0.1 }).Within(Tolerance));
    }

    // w = LinearLR(o, start_factor=0.25, total_iters=4); c = CosineAnnealingLR(o, T_max=5, eta_min=0.001)
    // s = SequentialLR(o, [w, c], milestones=[4]); 10 steps, lr=0.1
    [Test]
    public void WarmupThenCosineMatchesPyTorchSequentialLR()
    {
        var optimizer = MakeSgd();
        var cosine = new CosineAnnealingLR(optimizer, tMax: 5, etaMin: 0.001);
        var lrs = Sequence(new LinearWarmup(optimizer, warmupSteps: 4, startFactor: 0.25, after: cosine), 10);
        Assert.That(lrs, Is.EqualTo(new[]
        {
            0.025, 0.043750000000000004, 0.06250000000000001, 0.08125000000000002, 0.1, 0.0905463412215599,
            0.06579634122155989, 0.035203658778440096, 0.010453658778440105, 0.001, 0.010453658778440102,
        }).Within(Tolerance));
    }

    [Test]
    public void ResumedSchedulerContinuesTheSameSequence()
    {
        LRScheduler Make(SGD o) => new LinearWarmup(o, warmupSteps: 2, after: new CosineAnnealingWarmRestarts(o, t0: 3, tMult: 2));
        var straightOptimizer = MakeSgd();
        var straight = Sequence(Make(straightOptimizer), 9);

        var firstOptimizer = MakeSgd();
        var first = Make(firstOptimizer);
        for (int i = 0; i < 4; i++) first.Step();
        var schedulerState = first.StateDict();
        var optimizerState = firstOptimizer.StateDict();

        var resumedOptimizer = MakeSgd();
        var resumed = Make(resumedOptimizer);
        resumedOptimizer.LoadStateDict(optimizerState);
        resumed.LoadStateDict(schedulerState);
        Assert.That(resumed.LastEpoch, Is.EqualTo(4));
        Assert.That(resumedOptimizer.ParamGroups[0].Lr, Is.EqualTo(straight[4]));
        for (int i = 5; i <= 9; i++)
        {
            resumed.Step();
            Assert.That(resumed.LastLr[0], Is.EqualTo(straight[i]), $"step {i}");
        }
        Assert.That(schedulerState, Does.ContainKey("after.T_cur"));
    }

    [Test]
    public void ResumedPlateauKeepsItsCounters()
    {
        var optimizer = MakeSgd(lr: 1.0);
        var scheduler = new ReduceLROnPlateau(optimizer, patience: 2);
        foreach (double m in new[] { 5.0, 4.0, 4.0, 4.0 }) scheduler.Step(m);
        var resumed = new ReduceLROnPlateau(optimizer, patience: 2);
        resumed.LoadStateDict(scheduler.StateDict());
        Assert.That(resumed.Best, Is.EqualTo(4.0));
        Assert.That(resumed.NumBadEpochs, Is.EqualTo(2));
        resumed.Step(4.0);
        Assert.That(optimizer.ParamGroups[0].Lr, Is.EqualTo(0.1).Within(Tolerance), "the third bad epoch exceeds patience 2");
    }

    [Test]
    public void WarmupRejectsASchedulerOfAnotherOptimizer()
    {
        var inner = new StepLR(MakeSgd(), stepSize: 2);
        Assert.That(() => new LinearWarmup(MakeSgd(), warmupSteps: 3, after: inner),
            Throws.ArgumentException.With.Message.Contains("another optimizer"));
    }
}
