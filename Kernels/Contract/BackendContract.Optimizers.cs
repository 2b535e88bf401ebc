namespace Scratch.Kernels;

internal static partial class BackendContract
{
    /// <summary><see cref="IBackend.SgdUpdate"/>: contiguous floating views of param's count and dtype; a buffer when momentum ≠ 0. Returns whether momentum is on.</summary>
    public static bool SgdUpdate(BufferView param, BufferView grad, BufferView? momentumBuffer, SgdUpdateParams p)
    {
        const string op = "sgd_update";
        OptimizerTensor(op, "param", param, param);
        OptimizerTensor(op, "grad", grad, param);
        bool momentum = p.Momentum != 0;
        if (momentum)
        {
            if (momentumBuffer is not { } buffer)
                throw new ArgumentException($"{op}: momentum {p.Momentum} needs a momentum buffer");
            OptimizerTensor(op, "momentum_buffer", buffer, param);
        }
        return momentum;
    }

    /// <summary><see cref="IBackend.AdamUpdate"/>: as <see cref="SgdUpdate"/> for m, v (and maxV with AMSGrad); step ≥ 1.</summary>
    public static void AdamUpdate(BufferView param, BufferView grad, BufferView m, BufferView v, BufferView? maxV, AdamUpdateParams p)
    {
        const string op = "adam_update";
        OptimizerTensor(op, "param", param, param);
        OptimizerTensor(op, "grad", grad, param);
        OptimizerTensor(op, "exp_avg", m, param);
        OptimizerTensor(op, "exp_avg_sq", v, param);
        if (p.Step < 1) throw new ArgumentOutOfRangeException(nameof(p), p.Step, $"{op}: step counts from 1, got {p.Step}");
        if (p.Amsgrad)
        {
            if (maxV is not { } max) throw new ArgumentException($"{op}: amsgrad needs the max_exp_avg_sq buffer");
            OptimizerTensor(op, "max_exp_avg_sq", max, param);
        }
    }

    private static void OptimizerTensor(string op, string name, BufferView view, BufferView param)
    {
        ViewArgs.RequireFloating(op, name, view);
        ViewArgs.RequireContiguous(op, name, view);
        ViewArgs.RequireSameCountAndType(op, "param", param, name, view);
    }
}
