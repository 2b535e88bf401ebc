namespace Scratch;

public sealed partial class NDArray
{
    /// <summary>
    /// Batch norm in training mode over x [N, C] or [N, C, …]: normalises with the batch statistics of
    /// each channel and, when given, updates the running statistics in place. Returns the output and
    /// the saved mean and inverse standard deviation [C] that <see cref="BatchNormBackward"/> needs.
    /// </summary>
    public static (NDArray Output, NDArray SaveMean, NDArray SaveInvStd) BatchNormTraining(
        NDArray x, NDArray? weight, NDArray? bias, NDArray? runningMean, NDArray? runningVar, double momentum, double eps)
    {
        var (n, c, s) = CheckBatchNorm("batch_norm", x, weight, bias, runningMean, runningVar);
        if ((long)n * s <= 1)
            throw new ArgumentException($"batch_norm: training needs more than one value per channel, got input {x.ShapeString}");
        var xc = x.Contiguous();
        var y = x.EmptyLike();
        var mean = Empty([c], x.DType, x.Device);
        var invStd = Empty([c], x.DType, x.Device);
        x.Backend.BatchNormForwardTraining(xc.Reshape(n, c, s).KernelView, weight?.Contiguous().KernelView, bias?.Contiguous().KernelView,
            y.Reshape(n, c, s).KernelView, mean.KernelView, invStd.KernelView, runningMean?.KernelView, runningVar?.KernelView, momentum, eps);
        return (y, mean, invStd);
    }

    /// <summary>Batch norm with fixed statistics (evaluation mode).</summary>
    public static NDArray BatchNormInference(NDArray x, NDArray? weight, NDArray? bias, NDArray mean, NDArray variance, double eps)
    {
        var (n, c, s) = CheckBatchNorm("batch_norm", x, weight, bias, mean, variance);
        var y = x.EmptyLike();
        if (y.Count > 0)
            x.Backend.BatchNormForwardInference(x.Contiguous().Reshape(n, c, s).KernelView, weight?.Contiguous().KernelView,
                bias?.Contiguous().KernelView, mean.Contiguous().KernelView, variance.Contiguous().KernelView, y.Reshape(n, c, s).KernelView, eps);
        return y;
    }

    /// <summary>Gradients of <see cref="BatchNormTraining"/>: ∂L/∂x, and ∂L/∂weight, ∂L/∂bias when weight is given.</summary>
    public static (NDArray GradInput, NDArray? GradWeight, NDArray? GradBias) BatchNormBackward(
        NDArray x, NDArray gradOutput, NDArray? weight, NDArray saveMean, NDArray saveInvStd, bool needWeightGrads)
    {
        var (n, c, s) = CheckBatchNorm("batch_norm_backward", x, weight, null, saveMean, saveInvStd);
        var gx = x.EmptyLike();
        var gw = needWeightGrads ? Empty([c], x.DType, x.Device) : null;
        var gb = needWeightGrads ? Empty([c], x.DType, x.Device) : null;
        x.Backend.BatchNormBackward(x.Contiguous().Reshape(n, c, s).KernelView, gradOutput.Contiguous().Reshape(n, c, s).KernelView,
            weight?.Contiguous().KernelView, saveMean.KernelView, saveInvStd.KernelView, gx.Reshape(n, c, s).KernelView, gw?.KernelView, gb?.KernelView);
        return (gx, gw, gb);
    }

    private static (int N, int C, int S) CheckBatchNorm(string op, NDArray x, params NDArray?[] perChannel)
    {
        x.CheckFloating(op);
        CheckSameDevice(op, x, perChannel);
        CheckSameDType(op, x, perChannel);
        if (x.Rank < 2) throw new ArgumentException($"{op}: input must be [N, C] or [N, C, ...], got {x.ShapeString}");
        int c = x._shape[1];
        foreach (var p in perChannel)
        {
            if (p is not null && (p.Rank != 1 || p._shape[0] != c))
                throw new ArgumentException($"{op}: per-channel array {p.ShapeString} does not match {c} channels of input {x.ShapeString}");
        }
        int s = 1;
        for (int i = 2; i < x.Rank; i++) s *= x._shape[i];
        return (x._shape[0], c, s);
    }
}
