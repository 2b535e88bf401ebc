using System.Globalization;

namespace Scratch;

/// <summary>
/// Batch normalisation over the channel dim 1 (PyTorch's <c>_BatchNorm</c>): in training mode, normalises
/// with the batch's mean and biased variance per channel and updates the running statistics
/// r = (1 − momentum)·r + momentum·batch (unbiased variance); in evaluation mode uses the running
/// statistics. With <c>momentum: null</c> the running statistics are the cumulative average.
/// State: weight, bias (when affine), running_mean, running_var, num_batches_tracked (when tracking).
/// </summary>
/// <remarks>
/// The forward pass is folded per channel into x·scale + shift, as PyTorch's CPU kernel: on a constant float32
/// channel it is off the exact 0 by about invstd·|x|·2⁻²⁴ (docs/ops.md, "Gradients where the formula breaks down").
/// </remarks>
public abstract class BatchNorm : Module
{
    /// <summary>Sets up a batch norm over <paramref name="numFeatures"/> channels.</summary>
    protected BatchNorm(int numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats)
    {
        if (numFeatures < 1) throw new ArgumentOutOfRangeException(nameof(numFeatures), numFeatures, "batch_norm: needs at least one feature");
        if (!(eps > 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "batch_norm: eps must be positive");
        if (momentum is double m && !(m is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), m, "batch_norm: momentum must be in [0, 1]");
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        if (affine)
        {
            Weight = new Parameter(NDArray.Ones([numFeatures]));
            Bias = new Parameter(NDArray.Zeros([numFeatures]));
        }
        if (trackRunningStats)
        {
            RunningMean = new Buffer(NDArray.Zeros([numFeatures]));
            RunningVar = new Buffer(NDArray.Ones([numFeatures]));
            NumBatchesTracked = new Buffer(NDArray.Zeros([], DType.Int32));
        }
    }

    /// <summary>Per-channel scale γ [C] (null unless affine).</summary>
    public Parameter? Weight { get; }

    /// <summary>Per-channel shift β [C] (null unless affine).</summary>
    public Parameter? Bias { get; }

    /// <summary>Running mean [C] (null unless tracking running statistics).</summary>
    public Buffer? RunningMean { get; }

    /// <summary>Running (unbiased) variance [C] (null unless tracking).</summary>
    public Buffer? RunningVar { get; }

    /// <summary>Number of training batches seen (Int32 scalar; null unless tracking).</summary>
    public Buffer? NumBatchesTracked { get; }

    /// <summary>Number of channels C.</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance for stability.</summary>
    public double Eps { get; }

    /// <summary>Weight of the new batch in the running statistics; null for the cumulative average.</summary>
    public double? Momentum { get; }

    /// <summary>True when the layer has γ and β.</summary>
    public bool Affine => Weight is not null;

    /// <summary>True when running statistics are kept (and used in evaluation mode).</summary>
    public bool TrackRunningStats => RunningMean is not null;

    /// <summary>Throws unless the input has a rank this layer accepts.</summary>
    protected abstract void CheckRank(Tensor input);

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input)
    {
        CheckRank(input);
        if (input.Shape[1] != NumFeatures)
            throw new ArgumentException($"{TypeName.ToLowerInvariant()}: expects {NumFeatures} channels in dim 1, input {input.ShapeString} has {input.Shape[1]}");
        if (!IsTraining && TrackRunningStats)
            return Tensor.BatchNorm(input, Weight?.Value, Bias?.Value, RunningMean!.Value, RunningVar!.Value, training: false, eps: Eps);

        double momentum = 0;
        bool update = IsTraining && TrackRunningStats;
        if (update)
        {
            NumBatchesTracked!.Value.AddInPlace(1);
            momentum = Momentum ?? 1.0 / NumBatchesTracked.Value.Item();
        }
        return Tensor.BatchNorm(input, Weight?.Value, Bias?.Value, update ? RunningMean!.Value : null, update ? RunningVar!.Value : null,
            training: true, momentum: momentum, eps: Eps);
    }

    /// <inheritdoc />
    protected override string ExtraRepr()
        => string.Create(CultureInfo.InvariantCulture,
            $"{NumFeatures}, eps={Repr.Float(Eps)}, momentum={(Momentum is double m ? Repr.Float(m) : "None")}, affine={Repr.Bool(Affine)}, track_running_stats={Repr.Bool(TrackRunningStats)}");
}

/// <summary>Batch norm over x [N, C] or [N, C, L].</summary>
public sealed class BatchNorm1d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
    : BatchNorm(numFeatures, eps, momentum, affine, trackRunningStats)
{
    /// <inheritdoc />
    protected override void CheckRank(Tensor input)
    {
        if (input.Rank is not (2 or 3))
            throw new ArgumentException($"batchnorm1d: expects input [N, C] or [N, C, L], got {input.ShapeString}");
    }
}

/// <summary>Batch norm over x [N, C, H, W].</summary>
public sealed class BatchNorm2d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
    : BatchNorm(numFeatures, eps, momentum, affine, trackRunningStats)
{
    /// <inheritdoc />
    protected override void CheckRank(Tensor input)
    {
        if (input.Rank != 4)
            throw new ArgumentException($"batchnorm2d: expects input [N, C, H, W], got {input.ShapeString}");
    }
}
