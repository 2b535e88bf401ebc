using NUnit.Framework;

namespace Scratch.Tests.Layers;

public class ModuleTests
{
    private static Sequential MnistCnn(ulong seed = 1)
    {
        var g = new Generator(seed);
        return new Sequential(new Conv2d(1, 32, 3, padding: 1, generator: g), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(6272, 10, generator: g));
    }

    [Test]
    public void SequentialCnnHasPyTorchStateDictNamesAndShapes()
    {
        // net = nn.Sequential(nn.Conv2d(1,32,3,padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(6272,10))
        // [(k, list(v.shape)) for k, v in net.state_dict().items()]  (torch 1.13)
        var expected = new (string, int[])[]
        {
            ("0.weight", [32, 1, 3, 3]), ("0.bias", [32]), ("4.weight", [10, 6272]), ("4.bias", [10]),
        };
        var state = MnistCnn().StateDict();
        Assert.That(state.Keys, Is.EqualTo(expected.Select(e => e.Item1)));
        foreach (var (name, shape) in expected) Assert.That(state[name].Shape, Is.EqualTo(shape), name);
    }

    [Test]
    public void ReprMatchesPyTorch()
    {
        // repr(net) for the network above (torch 1.13)
        const string expected = """
            Sequential(
              (0): Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
              (1): ReLU()
              (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
              (3): Flatten(start_dim=1, end_dim=-1)
              (4): Linear(in_features=6272, out_features=10, bias=True)
            )
            """;
        Assert.That(MnistCnn().ToString(), Is.EqualTo(expected.ReplaceLineEndings("\n")));
        // repr(nn.BatchNorm2d(3))
        Assert.That(new BatchNorm2d(3).ToString(), Is.EqualTo("BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"));
    }

    [Test]
    public void BatchNormStateNamesMatchPyTorch()
    {
        // list(nn.BatchNorm2d(3).state_dict().keys())
        Assert.That(new BatchNorm2d(3).StateDict().Keys,
            Is.EqualTo(new[] { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" }));
        Assert.That(new BatchNorm2d(3).NamedParameters().Select(p => p.Name), Is.EqualTo(new[] { "weight", "bias" }));
        Assert.That(new BatchNorm2d(3).NamedBuffers().Select(p => p.Name), Is.EqualTo(new[] { "running_mean", "running_var", "num_batches_tracked" }));
    }

    private sealed class Net : Module
    {
        private readonly Conv2d _conv1 = new(1, 2, 3);
        public BatchNorm2d Bn { get; } = new(2);
        public Sequential Features { get; } = new(new Linear(2, 3), new ReLU(), new Linear(3, 4));
        private readonly List<Linear> _heads = [new Linear(4, 1), new Linear(4, 2)];
        [StateName("downsample")] private readonly Linear _down = new(1, 1);
        [NotState] private readonly Linear _external = new(5, 5);
        private readonly Buffer _runningThing = new(NDArray.Zeros([2]));
        private readonly Buffer _scratch = new(NDArray.Zeros([1]), persistent: false);
        public Parameter Scale { get; } = new(NDArray.Ones([1]));

        public Linear External => _external;

        protected override Tensor ForwardCore(Tensor input) => input;
    }

    [Test]
    public void DiscoversMembersByReflectionWithHierarchicalNames()
    {
        var names = new Net().StateDict().Keys.ToList();
        Assert.That(names, Is.EqualTo(new[]
        {
            "scale", "running_thing",
            "conv1.weight", "conv1.bias",
            "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked",
            "features.0.weight", "features.0.bias", "features.2.weight", "features.2.bias",
            "heads.0.weight", "heads.0.bias", "heads.1.weight", "heads.1.bias",
            "downsample.weight", "downsample.bias",
        }));
        var net = new Net();
        Assert.That(net.NamedChildren().Select(c => c.Name), Is.EqualTo(new[] { "conv1", "bn", "features", "heads.0", "heads.1", "downsample" }));
        Assert.That(net.NamedModules().Select(c => c.Name), Is.EqualTo(new[]
            { "", "conv1", "bn", "features", "features.0", "features.1", "features.2", "heads.0", "heads.1", "downsample" }));
        Assert.That(net.NamedBuffers().Select(b => b.Name), Does.Contain("scratch"), "non-persistent buffers are still buffers");
        Assert.That(net.Parameters().Any(p => ReferenceEquals(p, net.External.Weight.Value)), Is.False);
        Assert.That(net.NamedParameters().First().Tensor.Name, Is.EqualTo("scale"), "parameters get their state name");
    }

    [TestCase("_conv1", "conv1")]
    [TestCase("Conv1", "conv1")]
    [TestCase("conv1", "conv1")]
    [TestCase("m_weight", "weight")]
    [TestCase("RunningMean", "running_mean")]
    [TestCase("NumBatchesTracked", "num_batches_tracked")]
    [TestCase("BN1", "bn1")]
    [TestCase("HTTPServer", "http_server")]
    [TestCase("running_var", "running_var")]
    [TestCase("Layer2Block", "layer2_block")]
    public void StateNamesRule(string member, string expected) => Assert.That(StateNames.FromMember(member), Is.EqualTo(expected));

    private sealed class Clash : Module
    {
        private readonly Linear _fc = new(1, 1);
        public Linear Fc { get; } = new(1, 1);

        public int Count => _fc.InFeatures + Fc.InFeatures;

        protected override Tensor ForwardCore(Tensor input) => input;
    }

    [Test]
    public void TwoMembersWithTheSameStateNameAreRejected()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new Clash().StateDict());
        Assert.That(ex!.Message, Does.Contain("'fc'"));
    }

    [Test]
    public void StateDictRoundTripGivesIdenticalOutputsAndKeepsParameterTensors()
    {
        var a = MnistCnn(seed: 1);
        var b = MnistCnn(seed: 2);
        var x = LayerTesting.Tensor32([2, 1, 28, 28]);
        Assert.That(a.Forward(x).ToArray<float>(), Is.Not.EqualTo(b.Forward(x).ToArray<float>()));
        var before = b.Parameters().ToList();
        var result = b.LoadStateDict(a.StateDict());
        Assert.That(result.MissingKeys, Is.Empty);
        Assert.That(result.UnexpectedKeys, Is.Empty);
        Assert.That(b.Forward(x).ToArray<float>(), Is.EqualTo(a.Forward(x).ToArray<float>()));
        Assert.That(b.Parameters(), Is.EqualTo(before).Using<Tensor>(ReferenceEquals), "loading copies in place");
        Assert.That(b.StateDict()["4.bias"].ToArray<float>(), Is.EqualTo(a.StateDict()["4.bias"].ToArray<float>()));
    }

    [Test]
    public void StrictLoadListsMissingUnexpectedAndMisshapedEntriesAndCopiesNothing()
    {
        var model = MnistCnn();
        var original = model.StateDict()["0.bias"].ToArray<float>();
        var state = new Dictionary<string, NDArray>
        {
            ["0.weight"] = NDArray.Zeros([32, 1, 5, 5]),
            ["0.bias"] = NDArray.Zeros([32]),
            ["4.weight"] = NDArray.Zeros([10, 6272]),
            ["extra.weight"] = NDArray.Zeros([1]),
        };
        var ex = Assert.Throws<ArgumentException>(() => model.LoadStateDict(state));
        Assert.That(ex!.Message, Does.Contain("missing keys (1): 4.bias"));
        Assert.That(ex.Message, Does.Contain("unexpected keys (1): extra.weight"));
        Assert.That(ex.Message, Does.Contain("size mismatch for 0.weight: checkpoint [32, 1, 5, 5], model [32, 1, 3, 3]"));
        Assert.That(model.StateDict()["0.bias"].ToArray<float>(), Is.EqualTo(original), "nothing copied on error");

        // Non-strict: key differences are reported, shape mismatches still throw.
        state["0.weight"] = NDArray.Zeros([32, 1, 3, 3]);
        var result = model.LoadStateDict(state, strict: false);
        Assert.That(result.MissingKeys, Is.EqualTo(new[] { "4.bias" }));
        Assert.That(result.UnexpectedKeys, Is.EqualTo(new[] { "extra.weight" }));
        Assert.That(model.StateDict()["0.bias"].ToArray<float>(), Is.All.EqualTo(0f));
        state["0.weight"] = NDArray.Zeros([3]);
        Assert.Throws<ArgumentException>(() => model.LoadStateDict(state, strict: false));
    }

    [Test]
    public void FreezingASubmoduleStopsItsGradients()
    {
        var g = new Generator(3);
        var backbone = new Sequential(new Linear(4, 8, generator: g), new ReLU());
        var head = new Linear(8, 2, generator: g);
        var model = new Sequential(backbone, head);
        backbone.Freeze();
        Assert.That(backbone.Parameters().All(p => !p.RequiresGrad), Is.True);
        Assert.That(model.ParameterCount(), Is.EqualTo(4 * 8 + 8 + 8 * 2 + 2));
        Assert.That(model.ParameterCount(trainableOnly: true), Is.EqualTo(8 * 2 + 2));
        Assert.That(model.TrainableParameters().Count(), Is.EqualTo(2));

        model.Forward(LayerTesting.Tensor32([3, 4])).Sum().Backward();
        Assert.That(backbone.Parameters().All(p => p.Grad is null), Is.True);
        Assert.That(head.Parameters().All(p => p.Grad is not null), Is.True);

        model.ZeroGrad();
        Assert.That(model.Parameters().All(p => p.Grad is null), Is.True);
        backbone.Unfreeze();
        Assert.That(model.ParameterCount(trainableOnly: true), Is.EqualTo(model.ParameterCount()));
    }

    [Test]
    public void TrainAndEvalAreRecursive()
    {
        var inner = new Sequential(new Dropout(), new BatchNorm1d(3));
        var model = new Sequential(new Linear(2, 3), inner);
        Assert.That(model.Modules().All(m => m.IsTraining), Is.True);
        model.Eval();
        Assert.That(model.Modules().All(m => !m.IsTraining), Is.True);
        model.Train();
        Assert.That(inner[1].IsTraining, Is.True);
    }

    [Test]
    public void ToFloat64ConvertsFloatingStateOnly()
    {
        var model = new Sequential(new Linear(2, 3), new BatchNorm1d(3));
        model.To(DType.Float64);
        Assert.That(model.Parameters().All(p => p.DType == DType.Float64 && p.RequiresGrad && p.IsLeaf), Is.True);
        var buffers = model.NamedBuffers().ToDictionary(b => b.Name, b => b.Buffer);
        Assert.That(buffers["1.running_mean"].DType, Is.EqualTo(DType.Float64));
        Assert.That(buffers["1.num_batches_tracked"].DType, Is.EqualTo(DType.Int32));
        Assert.That(model.Forward(LayerTesting.Tensor64([4, 2])).DType, Is.EqualTo(DType.Float64));
        Assert.Throws<ArgumentException>(() => model.To(DType.Int32));
    }

    [Test]
    public void SharedParametersAreCountedOnce()
    {
        var shared = new Linear(3, 3);
        var model = new Sequential(shared, new ReLU(), shared);
        Assert.That(model.Parameters().Count(), Is.EqualTo(2));
        Assert.That(model.ParameterCount(), Is.EqualTo(12));
        Assert.That(model.StateDict().Keys, Is.EqualTo(new[] { "0.weight", "0.bias" }));
    }

    [Test]
    public void ParametersAreTheTensorsTheModuleComputesWith()
    {
        var linear = new Linear(2, 1);
        var x = LayerTesting.Tensor32([1, 2]);
        double before = linear.Forward(x).Item();
        linear.Parameters().Last().Data.AddInPlace(1.0); // what an optimizer step does
        Assert.That(linear.Forward(x).Item(), Is.EqualTo(before + 1).Within(1e-6));
    }

    [Test]
    public void HooksSeeEveryCallAndCanBeRemoved()
    {
        var relu = new ReLU();
        var model = new Sequential(new Linear(2, 2), relu);
        var seen = new List<string>();
        var handle = relu.RegisterForwardHook((m, input, output) => seen.Add($"{m.TypeName} {output.ShapeString}"));
        model.Forward(LayerTesting.Tensor32([5, 2]));
        handle.Dispose();
        model.Forward(LayerTesting.Tensor32([5, 2]));
        Assert.That(seen, Is.EqualTo(new[] { "ReLU [5, 2]" }));
    }

    [Test]
    public void SummaryListsOutputShapesAndParameterCounts()
    {
        var model = MnistCnn();
        model.Train();
        var text = model.Summary(1, 1, 28, 28);
        var lines = text.Split('\n');
        Assert.That(lines.Single(l => l.StartsWith("0 (Conv2d)", StringComparison.Ordinal)), Does.Contain("[1, 32, 28, 28]").And.EndsWith("320"));
        Assert.That(lines.Single(l => l.StartsWith("2 (MaxPool2d)", StringComparison.Ordinal)), Does.Contain("[1, 32, 14, 14]"));
        Assert.That(lines.Single(l => l.StartsWith("4 (Linear)", StringComparison.Ordinal)), Does.Contain("[1, 10]").And.EndsWith("62,730"));
        Assert.That(text, Does.Contain("Total params: 63,050"));
        Assert.That(text, Does.Contain("Non-trainable params: 0"));
        Assert.That(model.IsTraining, Is.True, "summary restores the mode");
    }

    [Test]
    public void ApplyVisitsEveryModule()
    {
        var model = new Sequential(new Linear(2, 2), new Sequential(new Linear(2, 2)));
        model.Apply(m =>
        {
            if (m is Linear l) Init.Constant(l.Weight, 0.5);
        });
        Assert.That(model.Parameters().Where(p => p.Rank == 2).SelectMany(p => p.ToArray<float>()), Is.All.EqualTo(0.5f));
    }

    [Test]
    public void SequentialSupportsNamesIndexingAndAdd()
    {
        var model = new Sequential([("conv", (Module)new Conv2d(1, 2, 3)), ("act", new ReLU())]);
        model.Add(new Flatten());
        Assert.That(model.StateDict().Keys, Is.EqualTo(new[] { "conv.weight", "conv.bias" }));
        Assert.That(model.NamedChildren().Select(c => c.Name), Is.EqualTo(new[] { "conv", "act", "2" }));
        Assert.That(model["act"], Is.InstanceOf<ReLU>());
        Assert.That(model[-1], Is.InstanceOf<Flatten>());
        Assert.Throws<ArgumentException>(() => model.Add("act", new ReLU()));
        Assert.Throws<ArgumentException>(() => model.Add("a.b", new ReLU()));
    }
}
