namespace Scratch.Kernels;

internal static partial class BackendContract
{
    /// <summary><see cref="IBackend.Softmax"/>: x and y contiguous floating [outer, n, inner] of the same shape and dtype.</summary>
    public static void Softmax(BufferView x, BufferView y, bool log)
    {
        string op = log ? "log_softmax" : "softmax";
        SoftmaxOperand(op, "x", x);
        SoftmaxOperand(op, "y", y);
        ViewArgs.RequireSameShapeAndType(op, "x", x, "y", y);
    }

    /// <summary><see cref="IBackend.SoftmaxBackward"/>: y, gy, gx contiguous floating [outer, n, inner] of one shape and dtype.</summary>
    public static void SoftmaxBackward(BufferView y, BufferView gy, BufferView gx, bool log)
    {
        string op = log ? "log_softmax_backward" : "softmax_backward";
        SoftmaxOperand(op, "y", y);
        SoftmaxOperand(op, "gy", gy);
        SoftmaxOperand(op, "gx", gx);
        ViewArgs.RequireSameShapeAndType(op, "y", y, "gy", gy);
        ViewArgs.RequireSameShapeAndType(op, "y", y, "gx", gx);
    }

    private static void SoftmaxOperand(string op, string name, BufferView v)
    {
        ViewArgs.RequireRank(op, name, v, 3);
        ViewArgs.RequireFloating(op, name, v);
        ViewArgs.RequireContiguous(op, name, v);
    }
}
