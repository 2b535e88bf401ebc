using Scratch.Kernels;

namespace Scratch;

public sealed partial class NDArray
{
    /// <summary>
    /// One fused SGD step in place on <paramref name="param"/> (and <paramref name="momentumBuffer"/> when
    /// momentum is on), as <see cref="SgdUpdateParams"/> documents. A low-level primitive for optimizers:
    /// every array must be contiguous, of one floating dtype, one device and one shape.
    /// </summary>
    public static void SgdUpdate(NDArray param, NDArray grad, NDArray? momentumBuffer, SgdUpdateParams p)
    {
        const string op = "sgd_update";
        CheckUpdateOperands(op, param, ("grad", grad), ("momentum_buffer", momentumBuffer));
        if (p.Momentum != 0 && momentumBuffer is null)
            throw new ArgumentException($"{op}: momentum {p.Momentum} needs a momentum buffer of shape {param.ShapeString}");
        if (param.Count == 0) return;
        param.Backend.SgdUpdate(param.KernelView, grad.KernelView, p.Momentum != 0 ? momentumBuffer!.KernelView : null, p);
    }

    /// <summary>
    /// One fused Adam/AdamW step in place on <paramref name="param"/>, the moments <paramref name="m"/> and
    /// <paramref name="v"/> (and <paramref name="maxV"/> with AMSGrad), as <see cref="AdamUpdateParams"/>
    /// documents. A low-level primitive for optimizers: every array must be contiguous, of one floating
    /// dtype, one device and one shape.
    /// </summary>
    public static void AdamUpdate(NDArray param, NDArray grad, NDArray m, NDArray v, NDArray? maxV, AdamUpdateParams p)
    {
        const string op = "adam_update";
        CheckUpdateOperands(op, param, ("grad", grad), ("exp_avg", m), ("exp_avg_sq", v), ("max_exp_avg_sq", maxV));
        if (p.Amsgrad && maxV is null)
            throw new ArgumentException($"{op}: AMSGrad needs a max_exp_avg_sq buffer of shape {param.ShapeString}");
        if (p.Step < 1)
            throw new ArgumentOutOfRangeException(nameof(p), p.Step, $"{op}: the step number counts from 1, got {p.Step}");
        if (param.Count == 0) return;
        param.Backend.AdamUpdate(param.KernelView, grad.KernelView, m.KernelView, v.KernelView, p.Amsgrad ? maxV!.KernelView : null, p);
    }

    /// <summary>Throws unless every operand matches <paramref name="param"/>'s shape, dtype and device and all are contiguous.</summary>
    private static void CheckUpdateOperands(string op, NDArray param, params (string Name, NDArray? Array)[] operands)
    {
        param.CheckFloating(op);
        if (!param.IsContiguous)
            throw new ArgumentException($"{op}: param {param.ShapeString} must be contiguous (strides [{string.Join(", ", param._strides)}])");
        foreach (var (name, array) in operands)
        {
            if (array is null) continue;
            CheckSameDevice(op, param, array);
            CheckSameDType(op, param, array);
            if (!array._shape.AsSpan().SequenceEqual(param._shape))
                throw new ArgumentException($"{op}: {name} {array.ShapeString} does not match param {param.ShapeString}");
            if (!array.IsContiguous)
                throw new ArgumentException($"{op}: {name} {array.ShapeString} must be contiguous (strides [{string.Join(", ", array._strides)}])");
            if (ReferenceEquals(array.Buffer, param.Buffer) && array.Offset == param.Offset)
                throw new ArgumentException($"{op}: {name} shares memory with param {param.ShapeString}");
        }
    }
}
