namespace Scratch;

/// <summary>
/// Loss functions (PyTorch's <c>torch.nn.functional</c> losses), composed from differentiable tensor ops.
/// Every loss takes a <see cref="Reduction"/> (default <see cref="Reduction.Mean"/>) and optional
/// <c>sampleWeight</c> [N]: one weight per sample (dim 0) multiplying that sample's losses before the
/// reduction, whose denominator does not change (Keras' <c>sample_weight</c>). Floating targets are
/// converted to the input's dtype; elementwise losses require the target to have the input's shape
/// (no silent broadcasting of [N, 1] against [N]).
/// </summary>
public static partial class Losses
{
    /// <summary>Mean squared error: (x − y)².</summary>
    public static Tensor MSE(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, Tensor? sampleWeight = null)
    {
        target = Target("mse", input, target);
        return Reduce("mse", (input - target).Square(), reduction, sampleWeight);
    }

    /// <summary>Mean absolute error: |x − y|.</summary>
    public static Tensor L1(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, Tensor? sampleWeight = null)
    {
        target = Target("l1", input, target);
        return Reduce("l1", (input - target).Abs(), reduction, sampleWeight);
    }

    /// <summary>Same as <see cref="L1"/>.</summary>
    public static Tensor MAE(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, Tensor? sampleWeight = null)
        => L1(input, target, reduction, sampleWeight);

    /// <summary>Huber loss: ½d² where |d| &lt; delta, else delta·(|d| − ½delta), with d = x − y.</summary>
    public static Tensor Huber(Tensor input, Tensor target, double delta = 1.0, Reduction reduction = Reduction.Mean, Tensor? sampleWeight = null)
    {
        if (!(delta > 0)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "huber: delta must be positive");
        target = Target("huber", input, target);
        var d = input - target;
        var absolute = d.Abs();
        var loss = Tensor.Where(absolute.Lt(delta), 0.5 * d.Square(), delta * (absolute - 0.5 * delta));
        return Reduce("huber", loss, reduction, sampleWeight);
    }

    /// <summary>
    /// Mean squared logarithmic error: (ln(1 + x) − ln(1 + y))². Negative values of either are treated as 0
    /// (Keras clips them likewise), so the logs stay finite.
    /// </summary>
    public static Tensor MSLE(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, Tensor? sampleWeight = null)
    {
        target = Target("msle", input, target);
        var d = (input.Clamp(min: 0) + 1).Log() - (target.Clamp(min: 0) + 1).Log();
        return Reduce("msle", d.Square(), reduction, sampleWeight);
    }

    /// <summary>
    /// Binary cross entropy on probabilities p: −w·[y·ln p + (1 − y)·ln(1 − p)], each log clamped at −100 as
    /// PyTorch does (so p = 0 or 1 gives a finite loss; there the gradient through the clamped log is 0).
    /// <paramref name="weight"/> rescales elements (broadcast to the input).
    /// </summary>
    public static Tensor BCE(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? sampleWeight = null)
    {
        target = Target("binary_cross_entropy", input, target);
        var loss = -(target * ClampedLog(input) + (1 - target) * ClampedLog(1 - input));
        if (weight is not null) loss *= Like(input, weight);
        return Reduce("binary_cross_entropy", loss, reduction, sampleWeight);
    }

    /// <summary>
    /// Binary cross entropy on logits x, numerically stable: (1 − y)·x + (1 + (pos_weight − 1)·y)·softplus(−x),
    /// which without <paramref name="posWeight"/> is max(x, 0) − x·y + ln(1 + e^−|x|). <paramref name="posWeight"/>
    /// (e.g. [C], broadcast over the last dim) weighs the positive term; <paramref name="weight"/> rescales elements.
    /// </summary>
    public static Tensor BCEWithLogits(Tensor input, Tensor target, Tensor? posWeight = null, Tensor? weight = null,
        Reduction reduction = Reduction.Mean, Tensor? sampleWeight = null)
    {
        target = Target("binary_cross_entropy_with_logits", input, target);
        var softplusNeg = (-input).Softplus();
        var positive = posWeight is null ? softplusNeg : (1 + (Like(input, posWeight) - 1) * target) * softplusNeg;
        var loss = (1 - target) * input + positive;
        if (weight is not null) loss *= Like(input, weight);
        return Reduce("binary_cross_entropy_with_logits", loss, reduction, sampleWeight);
    }

    /// <summary>
    /// Binary hinge loss max(0, 1 − y·x) for targets y in {−1, +1} (Keras' <c>hinge</c> without its 0/1 conversion).
    /// For the multi-class margin loss see <see cref="MultiMargin"/>.
    /// </summary>
    public static Tensor Hinge(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, Tensor? sampleWeight = null)
    {
        target = Target("hinge", input, target);
        return Reduce("hinge", (1 - target * input).Relu(), reduction, sampleWeight);
    }

    /// <summary>
    /// KL divergence D(target ‖ ·) with <paramref name="input"/> log-probabilities: target·(ln target − input),
    /// 0 where target = 0; with <paramref name="logTarget"/>, target holds log-probabilities: e^target·(target − input).
    /// Use <see cref="Reduction.BatchMean"/> for the mathematical KL divergence per sample (PyTorch's <c>Mean</c> averages over every element).
    /// </summary>
    public static Tensor KLDiv(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, bool logTarget = false, Tensor? sampleWeight = null)
    {
        target = Target("kl_div", input, target);
        Tensor loss;
        if (logTarget) loss = target.Exp() * (target - input);
        else
        {
            // xlogy(t, t): t·ln t with 0·ln 0 = 0.
            var positive = target.Gt(0);
            var safe = Tensor.Where(positive, target, new Tensor(NDArray.Scalar(1, target.DType, target.Device)));
            loss = target * safe.Log() - target * input;
        }
        return Reduce("kl_div", loss, reduction, sampleWeight);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /// <summary>ln p clamped at −100 with a finite gradient at p = 0: ln(max(p, e^−100)), clamped.</summary>
    private static Tensor ClampedLog(Tensor p)
    {
        var floor = new Tensor(NDArray.Scalar(Math.Exp(-100), p.DType, p.Device));
        return Tensor.Maximum(p, floor).Log().Clamp(min: -100);
    }

    /// <summary>The target in the input's dtype, after checking the shapes agree.</summary>
    private static Tensor Target(string op, Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.Shape.SequenceEqual(target.Shape))
            throw new ArgumentException($"{op}: input {input.ShapeString} and target {target.ShapeString} must have the same shape (reshape one, e.g. target.Reshape(-1, 1))");
        if (!input.DType.IsFloatingPoint())
            throw new ArgumentException($"{op}: input must be floating point, got {input.DType.Name()} {input.ShapeString}");
        return target.DType == input.DType ? target : target.To(input.DType);
    }

    /// <summary><paramref name="values"/> in <paramref name="input"/>'s dtype.</summary>
    internal static Tensor Like(Tensor input, Tensor values) => values.DType == input.DType ? values : values.To(input.DType);

    /// <summary>Applies per-sample weights, then the reduction.</summary>
    internal static Tensor Reduce(string op, Tensor loss, Reduction reduction, Tensor? sampleWeight, Tensor? meanDenominator = null,
        Tensor? validCount = null)
    {
        if (sampleWeight is not null) loss *= SampleWeights(op, loss, sampleWeight);
        return reduction switch
        {
            Reduction.None => loss,
            Reduction.Sum => loss.Sum(),
            Reduction.Mean => meanDenominator is null ? loss.Mean() : WeightedMean(loss.Sum(), meanDenominator, validCount ?? meanDenominator),
            Reduction.BatchMean => loss.Rank == 0 ? loss : loss.Sum() / loss.Shape[0],
            _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, $"{op}: unknown reduction"),
        };
    }

    /// <summary>
    /// sum / denominator for the weighted mean over targets that are not ignored. When every target is ignored
    /// (<paramref name="validCount"/> 0) the value is PyTorch's NaN (0/0) and the gradient 0, as PyTorch's: an
    /// all-padding batch must not poison the parameters. (Targets that count but weigh 0 in total still give
    /// 0/0 and a NaN gradient, as PyTorch's.)
    /// </summary>
    private static Tensor WeightedMean(Tensor sum, Tensor denominator, Tensor validCount)
    {
        var none = validCount.Eq(Tensor.Scalar(0, validCount.DType, validCount.Device));
        var safe = denominator + none;
        return Tensor.Where(none, Tensor.Scalar(double.NaN, sum.DType, sum.Device), sum / safe);
    }

    /// <summary>Per-sample weights [N] shaped to broadcast over a loss [N, …].</summary>
    private static Tensor SampleWeights(string op, Tensor loss, Tensor sampleWeight)
    {
        if (loss.Rank == 0 || sampleWeight.Rank != 1 || sampleWeight.Shape[0] != loss.Shape[0])
            throw new ArgumentException($"{op}: sample weights must be [N] = [{(loss.Rank == 0 ? "?" : loss.Shape[0])}] for a loss of shape {loss.ShapeString}, got {sampleWeight.ShapeString}");
        var w = Like(loss, sampleWeight);
        var shape = Enumerable.Repeat(1, loss.Rank).ToArray();
        shape[0] = loss.Shape[0];
        return w.Reshape(shape);
    }
}
