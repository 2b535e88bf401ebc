using Scratch.Kernels;

namespace Scratch.Tests.Support;

/// <summary>Float64 references of every <see cref="BinaryOp"/>, shared by the CPU kernel tests and the GPU kernel tests.</summary>
public static class BinaryReference
{
    /// <summary>op(a, b) as <paramref name="dtype"/> defines it (int32 division truncates toward zero).</summary>
    public static double Of(BinaryOp op, double a, double b, DType dtype) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Sub => a - b,
        BinaryOp.Mul => a * b,
        BinaryOp.Div => dtype == DType.Int32 ? Math.Truncate(a / b) : a / b,
        BinaryOp.Pow => Math.Pow(a, b),
        BinaryOp.Maximum => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b),
        BinaryOp.Minimum => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Min(a, b),
        BinaryOp.Equal => a == b ? 1 : 0,
        BinaryOp.NotEqual => a != b ? 1 : 0,
        BinaryOp.Less => a < b ? 1 : 0,
        BinaryOp.LessEqual => a <= b ? 1 : 0,
        BinaryOp.Greater => a > b ? 1 : 0,
        BinaryOp.GreaterEqual => a >= b ? 1 : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}
