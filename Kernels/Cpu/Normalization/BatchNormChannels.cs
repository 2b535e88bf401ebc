using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// The per-channel [C] views of one batch-norm call (weight, bias, saved and running statistics),
/// resolved to arrays once, with the per-channel arithmetic done in float64. Absent views read as
/// weight 1 and bias 0, and absent outputs are skipped.
/// </summary>
internal readonly struct BatchNormChannels<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Slot _weight, _bias, _mean, _invStd, _runningMean, _runningVar, _gWeight, _gBias;

    /// <summary>Resolves the views; any of them may be null.</summary>
    public BatchNormChannels(BufferView? weight = null, BufferView? bias = null, BufferView? mean = null, BufferView? invStd = null,
        BufferView? runningMean = null, BufferView? runningVar = null, BufferView? gWeight = null, BufferView? gBias = null)
    {
        _weight = new Slot(weight);
        _bias = new Slot(bias);
        _mean = new Slot(mean);
        _invStd = new Slot(invStd);
        _runningMean = new Slot(runningMean);
        _runningVar = new Slot(runningVar);
        _gWeight = new Slot(gWeight);
        _gBias = new Slot(gBias);
    }

    /// <summary>weight[c], or 1 without a weight.</summary>
    public double Weight(int c) => _weight.Read(c, 1);

    /// <summary>bias[c], or 0 without a bias.</summary>
    public double Bias(int c) => _bias.Read(c, 0);

    /// <summary>The saved (or given) mean of channel c.</summary>
    public double Mean(int c) => _mean.Read(c, 0);

    /// <summary>The saved 1/√(σ² + eps) of channel c.</summary>
    public double InvStd(int c) => _invStd.Read(c, 1);

    /// <summary>
    /// Training-mode bookkeeping for channel c from its batch mean and biased variance over
    /// <paramref name="count"/> values: writes save_mean, save_invstd and the running statistics
    /// (unbiased variance), and returns y = x·scale + shift's constants in the element type.
    /// </summary>
    public (T Scale, T Shift) FinishTraining(int c, double mean, double variance, long count, double momentum, double eps)
    {
        double invStd = 1.0 / Math.Sqrt(variance + eps);
        _mean.Write(c, mean);
        _invStd.Write(c, invStd);
        if (_runningMean.Present) _runningMean.Write(c, (1 - momentum) * _runningMean.Read(c, 0) + momentum * mean);
        if (_runningVar.Present) _runningVar.Write(c, (1 - momentum) * _runningVar.Read(c, 0) + momentum * variance * count / (count - 1));
        return Affine(c, mean, invStd);
    }

    /// <summary>y = (x − mean)·invStd·weight + bias folded into y = x·scale + shift, rounded to T.</summary>
    public (T Scale, T Shift) Affine(int c, double mean, double invStd)
    {
        double scale = Weight(c) * invStd;
        return (T.CreateTruncating(scale), T.CreateTruncating(Bias(c) - mean * scale));
    }

    /// <summary>
    /// Backward bookkeeping for channel c from Σ gy and Σ gy·(x − mean) over <paramref name="count"/>
    /// values: writes grad_weight and grad_bias when present, and returns the constants of
    /// gx = (gy − meanGy − (x − mean)·c2)·k in the element type.
    /// </summary>
    public (T MeanGy, T Mean, T C2, T K) FinishBackward(int c, double sumGy, double sumGyXmu, long count)
    {
        double mean = Mean(c), invStd = InvStd(c);
        _gWeight.Write(c, sumGyXmu * invStd);
        _gBias.Write(c, sumGy);
        if (count == 0) return (T.Zero, T.Zero, T.Zero, T.Zero);
        // gx = w·invstd·(gy − mean(gy) − x̂·mean(gy·x̂)), with x̂ = (x − μ)·invstd.
        return (T.CreateTruncating(sumGy / count), T.CreateTruncating(mean),
            T.CreateTruncating(invStd * invStd * sumGyXmu / count), T.CreateTruncating(Weight(c) * invStd));
    }

    /// <summary>One optional [C] view as its array and offset.</summary>
    private readonly struct Slot
    {
        private readonly T[]? _data;
        private readonly int _offset;

        public Slot(BufferView? view)
        {
            if (view is { } v)
            {
                _data = CpuViews.Array<T>(v);
                _offset = (int)v.Offset;
            }
        }

        public bool Present => _data is not null;

        public double Read(int c, double absent) => _data is null ? absent : double.CreateTruncating(_data[_offset + c]);

        public void Write(int c, double value)
        {
            if (_data is not null) _data[_offset + c] = T.CreateTruncating(value);
        }
    }
}
