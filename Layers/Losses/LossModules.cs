namespace Scratch;

/// <summary>
/// A loss as an object (PyTorch's <c>nn.*Loss</c> classes): its settings fixed at construction,
/// <see cref="Forward"/>(input, target) applies the matching <see cref="Losses"/> function.
/// </summary>
public abstract class Loss(Reduction reduction)
{
    /// <summary>How per-element losses are combined.</summary>
    public Reduction Reduction { get; } = reduction;

    /// <summary>The loss of <paramref name="input"/> against <paramref name="target"/>.</summary>
    public abstract Tensor Forward(Tensor input, Tensor target);

    /// <summary>The loss name and reduction.</summary>
    public override string ToString() => $"{GetType().Name}(reduction={Reduction})";
}

/// <summary><see cref="Losses.MSE"/> as an object.</summary>
public sealed class MSELoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target) => Losses.MSE(input, target, Reduction);
}

/// <summary><see cref="Losses.L1"/> as an object.</summary>
public sealed class L1Loss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target) => Losses.L1(input, target, Reduction);
}

/// <summary><see cref="Losses.Huber"/> as an object.</summary>
public sealed class HuberLoss(double delta = 1.0, Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <summary>Where the loss turns from quadratic to linear.</summary>
    public double Delta { get; } = delta;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target) => Losses.Huber(input, target, Delta, Reduction);
}

/// <summary><see cref="Losses.MSLE"/> as an object.</summary>
public sealed class MSLELoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target) => Losses.MSLE(input, target, Reduction);
}

/// <summary><see cref="Losses.BCE"/> as an object.</summary>
public sealed class BCELoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <summary>Elementwise rescaling, or null.</summary>
    public Tensor? Weight { get; } = weight;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target) => Losses.BCE(input, target, Weight, Reduction);
}

/// <summary><see cref="Losses.BCEWithLogits"/> as an object.</summary>
public sealed class BCEWithLogitsLoss(Tensor? posWeight = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <summary>Weight of the positive term, or null.</summary>
    public Tensor? PosWeight { get; } = posWeight;

    /// <summary>Elementwise rescaling, or null.</summary>
    public Tensor? Weight { get; } = weight;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target) => Losses.BCEWithLogits(input, target, PosWeight, Weight, Reduction);
}

/// <summary><see cref="Losses.CrossEntropy"/> as an object.</summary>
public sealed class CrossEntropyLoss(Tensor? weight = null, int ignoreIndex = -100, double labelSmoothing = 0, Reduction reduction = Reduction.Mean)
    : Loss(reduction)
{
    /// <summary>Class weights [C], or null.</summary>
    public Tensor? Weight { get; } = weight;

    /// <summary>Target value that contributes nothing.</summary>
    public int IgnoreIndex { get; } = ignoreIndex;

    /// <summary>Label smoothing ε.</summary>
    public double LabelSmoothing { get; } = labelSmoothing;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target) => Losses.CrossEntropy(input, target, Weight, IgnoreIndex, LabelSmoothing, Reduction);
}

/// <summary><see cref="Losses.NLL"/> as an object.</summary>
public sealed class NLLLoss(Tensor? weight = null, int ignoreIndex = -100, Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <summary>Class weights [C], or null.</summary>
    public Tensor? Weight { get; } = weight;

    /// <summary>Target value that contributes nothing.</summary>
    public int IgnoreIndex { get; } = ignoreIndex;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target) => Losses.NLL(input, target, Weight, IgnoreIndex, Reduction);
}

/// <summary><see cref="Losses.MultiMargin"/> as an object.</summary>
public sealed class MultiMarginLoss(int p = 1, double margin = 1, Tensor? weight = null, Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <summary>Exponent of the hinge (1 or 2).</summary>
    public int P { get; } = p;

    /// <summary>Required score gap.</summary>
    public double Margin { get; } = margin;

    /// <summary>Class weights [C], or null.</summary>
    public Tensor? Weight { get; } = weight;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target) => Losses.MultiMargin(input, target, P, Margin, Weight, Reduction);
}

/// <summary><see cref="Losses.Hinge"/> (binary, targets ±1) as an object.</summary>
public sealed class HingeLoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target) => Losses.Hinge(input, target, Reduction);
}

/// <summary><see cref="Losses.KLDiv"/> as an object.</summary>
public sealed class KLDivLoss(Reduction reduction = Reduction.Mean, bool logTarget = false) : Loss(reduction)
{
    /// <summary>True when the target holds log-probabilities.</summary>
    public bool LogTarget { get; } = logTarget;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target) => Losses.KLDiv(input, target, Reduction, LogTarget);
}
