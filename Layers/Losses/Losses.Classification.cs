namespace Scratch;

public static partial class Losses
{
    /// <summary>
    /// Cross entropy from logits [N, C] or [N, C, d…] via log-softmax over dim 1, as PyTorch's
    /// <c>cross_entropy</c>. The target is either class indices (Int32 [N] or [N, d…]; floating indices are
    /// truncated) or class probabilities of the input's shape (floating). <paramref name="weight"/> [C] weighs
    /// classes: with indices the mean divides by the summed weights of the (non-ignored) targets, with
    /// probabilities by the number of samples. Targets equal to <paramref name="ignoreIndex"/> contribute nothing
    /// (indices only). <paramref name="labelSmoothing"/> ε mixes the target with the uniform distribution:
    /// (1 − ε)·target + ε/C. With <see cref="Reduction.None"/> the result has the target's index shape.
    /// </summary>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, int ignoreIndex = -100, double labelSmoothing = 0,
        Reduction reduction = Reduction.Mean, Tensor? sampleWeight = null)
    {
        const string op = "cross_entropy";
        CheckClassInput(op, input, weight);
        if (labelSmoothing is < 0 or > 1 || double.IsNaN(labelSmoothing))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, $"{op}: label smoothing must be in [0, 1]");
        var logProbs = input.LogSoftmax(1);
        if (target.DType.IsFloatingPoint() && target.Shape.SequenceEqual(input.Shape))
            return ProbabilityCrossEntropy(logProbs, Like(input, target), weight is null ? null : Like(input, weight), labelSmoothing, reduction, sampleWeight);
        return IndexedNll(op, logProbs, target, weight, ignoreIndex, labelSmoothing, reduction, sampleWeight);
    }

    /// <summary>
    /// Negative log-likelihood of Int32 class indices under log-probabilities [N, C] or [N, C, d…] (e.g. the output
    /// of <see cref="LogSoftmax"/>): −weight[y]·input[y], with PyTorch's weighted mean and ignore index.
    /// </summary>
    public static Tensor NLL(Tensor input, Tensor target, Tensor? weight = null, int ignoreIndex = -100,
        Reduction reduction = Reduction.Mean, Tensor? sampleWeight = null)
    {
        CheckClassInput("nll", input, weight);
        return IndexedNll("nll", input, target, weight, ignoreIndex, 0, reduction, sampleWeight);
    }

    /// <summary>
    /// Multi-class margin loss (PyTorch's <c>MultiMarginLoss</c>) on scores [N, C] with Int32 targets [N]:
    /// Σ_{j≠y} max(0, margin − x[y] + x[j])^p / C, times weight[y] when class weights are given. p is 1 or 2.
    /// </summary>
    public static Tensor MultiMargin(Tensor input, Tensor target, int p = 1, double margin = 1, Tensor? weight = null,
        Reduction reduction = Reduction.Mean, Tensor? sampleWeight = null)
    {
        const string op = "multi_margin";
        CheckClassInput(op, input, weight);
        if (p is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(p), p, $"{op}: p must be 1 or 2");
        if (input.Rank != 2) throw new ArgumentException($"{op}: input must be [N, C], got {input.ShapeString}");
        int c = input.Shape[1];
        var t = ClassIndices(op, input, target, ignoreIndex: null);
        var targetScore = input.Gather(1, t.Reshape(-1, 1));
        var z = (margin - targetScore + input).Relu();
        if (p == 2) z = z.Square();
        var others = new Tensor(1 - NDArray.OneHot(t.Data, c, input.DType).To(input.Device));
        var loss = (z * others).Sum(1) / c;
        if (weight is not null) loss *= Like(input, weight).IndexSelect(0, t);
        return Reduce(op, loss, reduction, sampleWeight);
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static Tensor IndexedNll(string op, Tensor logProbs, Tensor target, Tensor? weight, int ignoreIndex, double labelSmoothing,
        Reduction reduction, Tensor? sampleWeight)
    {
        int c = logProbs.Shape[1];
        var t = ClassIndices(op, logProbs, target, ignoreIndex);
        var rows = ClassesLast(logProbs);
        var flat = t.Data.Reshape(-1);
        var valid = flat.Ne(ignoreIndex);
        var safe = new Tensor(flat * valid); // ignored targets point at class 0, then get weight 0
        var validWeight = new Tensor(valid.To(logProbs.DType));
        var classWeight = weight is null ? null : Like(logProbs, weight);
        var rowWeight = classWeight is null ? validWeight : classWeight.IndexSelect(0, safe) * validWeight;

        var loss = -(rows.Gather(1, safe.Reshape(-1, 1)).Reshape(-1) * rowWeight);
        if (labelSmoothing > 0)
        {
            var smooth = classWeight is null ? -rows.Sum(1) : -(rows * classWeight.Reshape(1, c)).Sum(1);
            loss = (1 - labelSmoothing) * loss + (labelSmoothing / c) * (smooth * validWeight);
        }
        return Reduce(op, loss.Reshape(t.Shape.ToArray()), reduction, sampleWeight, meanDenominator: rowWeight.Sum(), validCount: validWeight.Sum());
    }

    private static Tensor ProbabilityCrossEntropy(Tensor logProbs, Tensor target, Tensor? weight, double labelSmoothing, Reduction reduction, Tensor? sampleWeight)
    {
        int c = logProbs.Shape[1];
        if (labelSmoothing > 0) target = target * (1 - labelSmoothing) + labelSmoothing / c;
        var product = logProbs * target;
        if (weight is not null)
        {
            var shape = Enumerable.Repeat(1, logProbs.Rank).ToArray();
            shape[1] = c;
            product *= weight.Reshape(shape);
        }
        return Reduce("cross_entropy", -product.Sum(1), reduction, sampleWeight);
    }

    /// <summary>[N, C, d…] → [N·d…, C].</summary>
    private static Tensor ClassesLast(Tensor x)
    {
        if (x.Rank == 2) return x;
        var order = new[] { 0 }.Concat(Enumerable.Range(2, x.Rank - 2)).Append(1).ToArray();
        return x.Permute(order).Reshape(-1, x.Shape[1]);
    }

    private static void CheckClassInput(string op, Tensor input, Tensor? weight)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2) throw new ArgumentException($"{op}: input must be [N, C] or [N, C, d...], got {input.ShapeString}");
        if (!input.DType.IsFloatingPoint()) throw new ArgumentException($"{op}: input must be floating point, got {input.DType.Name()}");
        if (weight is not null && (weight.Rank != 1 || weight.Shape[0] != input.Shape[1]))
            throw new ArgumentException($"{op}: class weights must be [{input.Shape[1]}] for input {input.ShapeString}, got {weight.ShapeString}");
    }

    /// <summary>The target as Int32 class indices of the input's shape without dim 1, checked against the class count on the CPU.</summary>
    private static Tensor ClassIndices(string op, Tensor input, Tensor target, int? ignoreIndex)
    {
        ArgumentNullException.ThrowIfNull(target);
        var expected = input.Shape.Where((_, i) => i != 1).ToArray();
        if (!target.Shape.SequenceEqual(expected))
            throw new ArgumentException($"{op}: target {target.ShapeString} must hold class indices of shape {Shapes.Format(expected)} for input {input.ShapeString}"
                + (op == "cross_entropy" ? $" (or probabilities of shape {input.ShapeString})" : ""));
        var indices = target.DType == DType.Int32 ? target : new Tensor(target.Data.To(DType.Int32));
        if (indices.Device != input.Device)
            throw new ArgumentException($"{op}: target is on {indices.Device}, input on {input.Device}");
        if (indices.Device.Kind == DeviceKind.Cpu)
        {
            int c = input.Shape[1];
            var values = indices.ToArray<int>();
            for (int i = 0; i < values.Length; i++)
            {
                int v = values[i];
                if ((v < 0 || v >= c) && v != ignoreIndex)
                    throw new ArgumentException($"{op}: target {v} at flat position {i} is out of range for {c} classes"
                        + (ignoreIndex is int ignore ? $" (ignore_index {ignore})" : ""));
            }
        }
        return indices;
    }
}
