using Scratch.Checks;
using NUnit.Framework;

namespace Scratch.Tests.Ops;

/// <summary>
/// Bad input gives a clear exception naming the op and the offending shapes, dtypes or axes.
/// Generated from the registry's op tables where they apply.
/// </summary>
[TestFixture]
public class BadInputTests
{
    private static Tensor Make(int[] shape, DType dtype = DType.Float64, bool grad = false)
        => new(NDArray.Full(shape, 0.5, dtype), grad);

    // ---- broadcasting binary ops ----------------------------------------------------------------

    public static IEnumerable<TestCaseData> BinaryOps() => OpRegistry.Binary.Select(op => new TestCaseData(op).SetArgDisplayNames(op.Op));

    [TestCaseSource(nameof(BinaryOps))]
    public void ShapeMismatchNamesTheOpAndBothShapes(BinaryOpInfo op)
    {
        var error = Assert.Throws<ArgumentException>(() => op.Apply(Make([2, 3], grad: true), Make([4, 3])));
        Assert.That(error!.Message, Does.Contain(op.MessageName).And.Contain("[2, 3]").And.Contain("[4, 3]"));
    }

    [TestCaseSource(nameof(BinaryOps))]
    public void DTypeMismatchNamesBothDTypes(BinaryOpInfo op)
    {
        var error = Assert.Throws<ArgumentException>(() => op.Apply(Make([2, 3], DType.Float32), Make([2, 3], DType.Float64)));
        Assert.That(error!.Message, Does.Contain(op.MessageName).And.Contain("float32").And.Contain("float64"));
    }

    [Test]
    public void WhereShapeMismatchNamesTheShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Where(Make([2, 3]), Make([2, 3]), Make([3, 2])));
        Assert.That(error!.Message, Does.Contain("where").And.Contain("[2, 3]").And.Contain("[3, 2]"));
    }

    [Test]
    public void WhereDTypeMismatchNamesBothDTypes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Where(Make([2]), Make([2], DType.Float32), Make([2])));
        Assert.That(error!.Message, Does.Contain("where").And.Contain("float32").And.Contain("float64"));
    }

    // ---- axes -----------------------------------------------------------------------------------

    /// <summary>Every op with an axis argument, applied to a [2, 3] tensor with a given axis.</summary>
    public static IEnumerable<TestCaseData> AxisOps()
    {
        var index = new Tensor(NDArray.Zeros([2, 3], DType.Int32));
        var vector = new Tensor(NDArray.Zeros([1], DType.Int32));
        var ops = new List<(string Name, Func<Tensor, int, object> Apply)>();
        foreach (var r in OpRegistry.Reductions)
        {
            ops.Add(($"{r.Op}[]", (x, a) => r.Apply(x, [a], false)));
            ops.Add(($"{r.Op}(axis)", (x, a) => r.ApplyAxis(x, a, true)));
        }
        ops.AddRange(new (string, Func<Tensor, int, object>)[]
        {
            ("Var", (x, a) => x.Var([a])),
            ("Std", (x, a) => x.Std([a])),
            ("Softmax", (x, a) => x.Softmax(a)),
            ("LogSoftmax", (x, a) => x.LogSoftmax(a)),
            ("Transpose", (x, a) => x.Transpose(a, 0)),
            ("Permute", (x, a) => x.Permute(0, a)),
            ("Squeeze", (x, a) => x.Squeeze(a)),
            ("Unsqueeze", (x, a) => x.Unsqueeze(a < 0 ? a - 1 : a + 1)),
            ("Flatten", (x, a) => x.Flatten(a)),
            ("Slice", (x, a) => x.Slice(a, 0, 1)),
            ("Narrow", (x, a) => x.Narrow(a, 0, 1)),
            ("Select", (x, a) => x.Select(a, 0)),
            ("Split", (x, a) => x.Split(1, a)),
            ("Concat", (x, a) => Tensor.Concat([x, x], a)),
            ("Gather", (x, a) => x.Gather(a, index)),
            ("ScatterAdd", (x, a) => x.ScatterAdd(a, index, x)),
            ("IndexSelect", (x, a) => x.IndexSelect(a, vector)),
            ("IndexAdd", (x, a) => x.IndexAdd(a, vector, x)),
            ("ArgMax", (x, a) => x.ArgMax(a)),
        });
        foreach (var (name, apply) in ops)
            foreach (int axis in new[] { 2, -3 })
                yield return new TestCaseData(name, apply, axis).SetArgDisplayNames(name, axis.ToString());
    }

    [TestCaseSource(nameof(AxisOps))]
    public void AxisOutOfRangeNamesTheAxis(string name, Func<Tensor, int, object> apply, int axis)
    {
        var x = Make([2, 3], grad: true);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => apply(x, axis), name);
        int shown = name == "Unsqueeze" ? (axis < 0 ? axis - 1 : axis + 1) : axis;
        Assert.That(error!.Message, Does.Contain($"axis {shown}"), name);
    }

    /// <summary>Ops that need a real dim refuse a 0-d array (reductions and softmax accept axis 0 of one).</summary>
    public static IEnumerable<TestCaseData> DimOpsOnScalars()
    {
        var ops = new (string Name, Func<Tensor, object> Apply)[]
        {
            ("size", x => x.Size(0)),
            ("select", x => x.Select(0, 0)),
            ("slice", x => x.Slice(0, 0)),
            ("narrow", x => x.Narrow(-1, 0, 1)),
            ("split", x => x.Split(1, 0)),
            ("concat", x => Tensor.Concat([x, x], 0)),
        };
        return ops.Select(op => new TestCaseData(op.Name, op.Apply).SetArgDisplayNames(op.Name));
    }

    [TestCaseSource(nameof(DimOpsOnScalars))]
    public void ZeroDimArraysHaveNoDimToIndex(string name, Func<Tensor, object> apply)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => apply(Make([], grad: true)));
        Assert.That(error!.Message, Does.Contain(name + ":").And.Contain("0-d"));
    }

    [Test]
    public void RepeatedAxisIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => Make([2, 3]).Sum([1, -1]));
        Assert.That(error!.Message, Does.Contain("sum").And.Contain("more than once"));
    }

    // ---- autograd -------------------------------------------------------------------------------

    [Test]
    public void BackwardOfANonScalarNeedsAGradient()
    {
        var y = Make([2, 3], grad: true).Exp();
        var error = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.That(error!.Message, Does.Contain("not a scalar").And.Contain("[2, 3]"));
    }

    [Test]
    public void BackwardWithAGradientOfTheWrongShape()
    {
        var y = Make([2, 3], grad: true).Exp();
        var error = Assert.Throws<ArgumentException>(() => y.Backward(Make([3, 2])));
        Assert.That(error!.Message, Does.Contain("[3, 2]").And.Contain("[2, 3]"));
    }

    [Test]
    public void BackwardOfATensorWithoutGradient()
    {
        var y = Make([1]).Exp();
        var error = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.That(error!.Message, Does.Contain("does not require gradients"));
    }

    [Test]
    public void SecondBackwardThroughAReleasedGraphMentionsRetainGraph()
    {
        var x = Make([3], grad: true);
        var loss = (x * x).Sum();
        loss.Backward();
        var error = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.That(error!.Message, Does.Contain("retainGraph"));
    }

    [Test]
    public void IntegerTensorsCannotRequireGradients()
    {
        var error = Assert.Throws<InvalidOperationException>(() => _ = new Tensor(NDArray.Zeros([2], DType.Int32), requiresGrad: true));
        Assert.That(error!.Message, Does.Contain("int32"));
    }

    [Test]
    public void FloatingOpOnIntegersNamesTheOpAndDType()
    {
        var error = Assert.Throws<ArgumentException>(() => new Tensor(NDArray.Zeros([2], DType.Int32)).Exp());
        Assert.That(error!.Message, Does.Contain("exp").And.Contain("int32").And.Contain("[2]"));
    }

    // ---- linear algebra, convolution, pooling -----------------------------------------------------

    [Test]
    public void MatMulInnerDimMismatchNamesBothShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.MatMul(Make([2, 3]), Make([4, 5])));
        Assert.That(error!.Message, Does.Contain("matmul").And.Contain("[2, 3]").And.Contain("[4, 5]"));
    }

    [Test]
    public void MatMulBatchMismatchNamesBothShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.MatMul(Make([2, 2, 3]), Make([3, 3, 4])));
        Assert.That(error!.Message, Does.Contain("matmul").And.Contain("[2, 2, 3]").And.Contain("[3, 3, 4]"));
    }

    [Test]
    public void MatMulOfAScalarIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.MatMul(Make([]), Make([3])));
        Assert.That(error!.Message, Does.Contain("matmul").And.Contain("[]"));
    }

    [Test]
    public void MatMulDTypeMismatchNamesBothDTypes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.MatMul(Make([2, 3], DType.Float32), Make([3, 2])));
        Assert.That(error!.Message, Does.Contain("matmul").And.Contain("float32").And.Contain("float64"));
    }

    [Test]
    public void Conv2dChannelMismatchNamesBothShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Make([8, 1, 28, 28]), Make([32, 3, 3, 3])));
        Assert.That(error!.Message, Does.Contain("conv2d").And.Contain("[8, 1, 28, 28]").And.Contain("[32, 3, 3, 3]"));
    }

    [Test]
    public void Conv2dGroupsThatDoNotDivideTheChannels()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Make([1, 3, 4, 4]), Make([4, 1, 2, 2]), groups: 2));
        Assert.That(error!.Message, Does.Contain("conv2d").And.Contain("groups"));
    }

    [Test]
    public void Conv2dRankAndBiasAndSizeErrors()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Make([1, 4, 4]), Make([1, 1, 2, 2])))!.Message,
            Does.Contain("conv2d").And.Contain("[1, 4, 4]"));
        Assert.That(Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Make([1, 1, 4, 4]), Make([2, 1, 2, 2]), Make([3])))!.Message,
            Does.Contain("conv2d").And.Contain("bias").And.Contain("[3]"));
        Assert.That(Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Make([1, 1, 2, 2]), Make([1, 1, 3, 3])))!.Message,
            Does.Contain("conv2d").And.Contain("[1, 1, 2, 2]"));
        // With stride 2 the size formula's negative numerator truncates to 0 and would report one output row.
        Assert.That(Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Make([1, 1, 2, 2]), Make([1, 1, 3, 3]), stride: 2))!.Message,
            Does.Contain("conv2d").And.Contain("[1, 1, 2, 2]"));
        Assert.That(Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Make([1, 1, 4, 4], DType.Float32), Make([1, 1, 2, 2])))!.Message,
            Does.Contain("conv2d").And.Contain("float32").And.Contain("float64"));
    }

    [Test]
    public void PoolingErrorsNameTheOpAndShape()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => Make([1, 4, 4]).MaxPool2d(2))!.Message, Does.Contain("max_pool2d").And.Contain("[1, 4, 4]"));
        Assert.That(Assert.Throws<ArgumentException>(() => Make([1, 1, 2, 2]).AvgPool2d(3))!.Message, Does.Contain("avg_pool2d").And.Contain("[1, 1, 2, 2]"));
        Assert.That(Assert.Throws<ArgumentException>(() => Make([1, 1, 4, 4]).MaxPool2d(2, 1, 2))!.Message, Does.Contain("max_pool2d").And.Contain("padding"));
    }

    // ---- shapes and indexing ----------------------------------------------------------------------

    [Test]
    public void ReshapeToTheWrongCountNamesBothShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Make([2, 3]).Reshape(4, 2));
        Assert.That(error!.Message, Does.Contain("reshape").And.Contain("[2, 3]").And.Contain("[4, 2]"));
    }

    [Test]
    public void ExpandOfANonSingletonDim()
    {
        var error = Assert.Throws<ArgumentException>(() => Make([2, 3]).Expand(4, 3));
        Assert.That(error!.Message, Does.Contain("expand").And.Contain("[2, 3]").And.Contain("[4, 3]"));
    }

    [Test]
    public void ConcatShapeMismatchNamesBothShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Concat([Make([2, 3]), Make([3, 2])], 0));
        Assert.That(error!.Message, Does.Contain("concat").And.Contain("[2, 3]").And.Contain("[3, 2]"));
    }

    [Test]
    public void StackShapeMismatchNamesBothShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Stack([Make([2, 3]), Make([3, 2])]));
        Assert.That(error!.Message, Does.Contain("stack").And.Contain("[2, 3]").And.Contain("[3, 2]"));
    }

    [Test]
    public void SplitSizesThatDoNotAddUp()
    {
        var error = Assert.Throws<ArgumentException>(() => Make([2, 5]).Split([2, 2], 1));
        Assert.That(error!.Message, Does.Contain("split").And.Contain("[2, 5]"));
    }

    [Test]
    public void SelectIndexOutOfRange()
    {
        var error = Assert.Throws<IndexOutOfRangeException>(() => Make([2, 3]).Select(1, 3));
        Assert.That(error!.Message, Does.Contain("select").And.Contain("index 3"));
    }

    [Test]
    public void NarrowOutOfRange()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Make([2, 3]).Narrow(1, 2, 2));
        Assert.That(error!.Message, Does.Contain("narrow").And.Contain("[2, 3]"));
    }

    [Test]
    public void GatherIndexOfTheWrongDTypeOrShape()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => Make([2, 3]).Gather(1, Make([2, 3])))!.Message, Does.Contain("gather").And.Contain("int32"));
        var badShape = new Tensor(NDArray.Zeros([3, 3], DType.Int32));
        Assert.That(Assert.Throws<ArgumentException>(() => Make([2, 3]).Gather(1, badShape))!.Message, Does.Contain("gather").And.Contain("[3, 3]").And.Contain("[2, 3]"));
    }

    [Test]
    public void IndexSelectNeedsAVectorIndex()
    {
        var matrix = new Tensor(NDArray.Zeros([1, 1], DType.Int32));
        Assert.That(Assert.Throws<ArgumentException>(() => Make([2, 3]).IndexSelect(0, matrix))!.Message, Does.Contain("index_select").And.Contain("[1, 1]"));
    }

    [Test]
    public void BatchNormChannelMismatch()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.BatchNorm(Make([4, 3]), Make([2]), Make([2]), null, null, training: true));
        Assert.That(error!.Message, Does.Contain("batch_norm").And.Contain("[2]").And.Contain("[4, 3]"));
    }

    [Test]
    public void BatchNormEvalNeedsRunningStatistics()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.BatchNorm(Make([4, 3]), null, null, null, null, training: false));
        Assert.That(error!.Message, Does.Contain("batch_norm").And.Contain("running"));
    }

    [Test]
    public void DropoutProbabilityOutOfRange()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Make([2]).Dropout(1.0, training: true));
        Assert.That(error!.Message, Does.Contain("dropout"));
    }
}
