using Scratch.Kernels;

namespace Scratch;

public sealed partial class NDArray
{
    /// <summary>this = f(this, other) in place, broadcasting <paramref name="other"/> to this shape.</summary>
    public NDArray ApplyInPlace(BinaryOp op, NDArray other)
    {
        string name = op.ToString().ToLowerInvariant() + "_";
        CheckWritable(name);
        CheckSameDevice(name, this, other);
        CheckSameDType(name, this, other);
        if (Count > 0) Backend.Binary(op, KernelView, other.BroadcastView(_shape), KernelView);
        return this;
    }

    /// <summary>this += other (broadcast).</summary>
    public NDArray AddInPlace(NDArray other) => ApplyInPlace(BinaryOp.Add, other);
    /// <summary>this −= other (broadcast).</summary>
    public NDArray SubInPlace(NDArray other) => ApplyInPlace(BinaryOp.Sub, other);
    /// <summary>this ·= other (broadcast).</summary>
    public NDArray MulInPlace(NDArray other) => ApplyInPlace(BinaryOp.Mul, other);
    /// <summary>this /= other (broadcast).</summary>
    public NDArray DivInPlace(NDArray other) => ApplyInPlace(BinaryOp.Div, other);
    /// <summary>this ·= s.</summary>
    public NDArray MulInPlace(double s) => ApplyInPlace(BinaryOp.Mul, s);
    /// <summary>this += s.</summary>
    public NDArray AddInPlace(double s) => ApplyInPlace(BinaryOp.Add, s);

    /// <summary>this = f(this, s) in place for a scalar s converted to this dtype (no array is made for it).</summary>
    public NDArray ApplyInPlace(BinaryOp op, double s)
    {
        string name = op.ToString().ToLowerInvariant() + "_";
        CheckWritable(name);
        if (op == BinaryOp.Pow) CheckFloating(name);
        if (Count > 0) Backend.BinaryScalar(op, KernelView, s, scalarFirst: false, KernelView);
        return this;
    }

    /// <summary>this = f(this) in place.</summary>
    public NDArray ApplyInPlace(UnaryOp op, double alpha = 0, double beta = 0)
    {
        CheckWritable(op.ToString().ToLowerInvariant() + "_");
        if (Count > 0) Backend.Unary(op, KernelView, KernelView, alpha, beta);
        return this;
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public NDArray FillInPlace(double value)
    {
        CheckWritable("fill_");
        if (Count > 0) Backend.Fill(KernelView, value);
        return this;
    }

    /// <summary>Copies <paramref name="source"/> (broadcast, converted to this dtype, from any device) into this array.</summary>
    public NDArray CopyFrom(NDArray source)
    {
        CheckWritable("copy_");
        if (source.Device != Device) source = source.To(Device);
        if (Count > 0) Backend.Copy(source.BroadcastView(_shape), KernelView);
        return this;
    }

    private void CheckWritable(string op)
    {
        for (int i = 0; i < Rank; i++)
        {
            if (_strides[i] == 0 && _shape[i] > 1)
                throw new InvalidOperationException($"{op}: cannot write in place to a broadcast (expanded) view {ShapeString}; make it contiguous first");
        }
    }
}
