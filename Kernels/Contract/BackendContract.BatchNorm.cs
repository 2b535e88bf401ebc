namespace Scratch.Kernels;

internal static partial class BackendContract
{
    /// <summary><see cref="IBackend.BatchNormForwardTraining"/>: x, y contiguous floating [N, C, S]; the [C] views of x's dtype; eps ≥ 0; N·S ≥ 2.</summary>
    public static void BatchNormForwardTraining(BufferView x, BufferView? weight, BufferView? bias, BufferView y,
        BufferView saveMean, BufferView saveInvStd, BufferView? runningMean, BufferView? runningVar, double eps)
    {
        const string op = "batch_norm";
        BatchNormInput(op, x);
        BatchNormSame(op, x, "y", y);
        int channels = x.Shape[1];
        BatchNormChannel(op, x, "weight", weight);
        BatchNormChannel(op, x, "bias", bias);
        BatchNormChannel(op, x, "save_mean", saveMean);
        BatchNormChannel(op, x, "save_invstd", saveInvStd);
        BatchNormChannel(op, x, "running_mean", runningMean);
        BatchNormChannel(op, x, "running_var", runningVar);
        BatchNormEps(op, eps);
        long count = (long)x.Shape[0] * x.Shape[2];
        if (count < 2 && channels > 0)
            throw new ArgumentException($"{op}: training needs more than one value per channel, x {ViewArgs.Shape(x)} gives {count}");
    }

    /// <summary><see cref="IBackend.BatchNormForwardInference"/>.</summary>
    public static void BatchNormForwardInference(BufferView x, BufferView? weight, BufferView? bias, BufferView mean, BufferView variance, BufferView y, double eps)
    {
        const string op = "batch_norm_inference";
        BatchNormInput(op, x);
        BatchNormSame(op, x, "y", y);
        BatchNormChannel(op, x, "weight", weight);
        BatchNormChannel(op, x, "bias", bias);
        BatchNormChannel(op, x, "mean", mean);
        BatchNormChannel(op, x, "variance", variance);
        BatchNormEps(op, eps);
    }

    /// <summary><see cref="IBackend.BatchNormBackward"/>.</summary>
    public static void BatchNormBackward(BufferView x, BufferView gy, BufferView? weight, BufferView saveMean, BufferView saveInvStd,
        BufferView gx, BufferView? gWeight, BufferView? gBias)
    {
        const string op = "batch_norm_backward";
        BatchNormInput(op, x);
        BatchNormSame(op, x, "gy", gy);
        BatchNormSame(op, x, "gx", gx);
        BatchNormChannel(op, x, "weight", weight);
        BatchNormChannel(op, x, "save_mean", saveMean);
        BatchNormChannel(op, x, "save_invstd", saveInvStd);
        BatchNormChannel(op, x, "grad_weight", gWeight);
        BatchNormChannel(op, x, "grad_bias", gBias);
    }

    private static void BatchNormInput(string op, BufferView x)
    {
        ViewArgs.RequireRank(op, "x", x, 3);
        ViewArgs.RequireFloating(op, "x", x);
        ViewArgs.RequireContiguous(op, "x", x);
    }

    private static void BatchNormSame(string op, BufferView x, string name, BufferView v)
    {
        ViewArgs.RequireSameShapeAndType(op, "x", x, name, v);
        ViewArgs.RequireContiguous(op, name, v);
    }

    /// <summary>A per-channel view must hold C contiguous elements of x's dtype.</summary>
    private static void BatchNormChannel(string op, BufferView x, string name, BufferView? view)
    {
        if (view is not { } v) return;
        if (v.Count != x.Shape[1] || v.DType != x.DType)
            throw new ArgumentException($"{op}: {ViewArgs.Describe(name, v)} must hold one {x.DType.Name()} per channel of x {ViewArgs.Shape(x)}");
        ViewArgs.RequireContiguous(op, name, v);
    }

    private static void BatchNormEps(string op, double eps)
    {
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, $"{op}: eps must be >= 0");
    }
}
