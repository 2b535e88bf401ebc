using Scratch.Kernels.Cpu;

namespace Scratch.Kernels;

internal static partial class BackendContract
{
    /// <summary>
    /// <see cref="IBackend.Unary"/>: same shapes and dtypes, both inside their buffers; int32 only for Neg,
    /// Abs, Sign, Square and Clamp; Softplus needs a nonzero beta (alpha).
    /// </summary>
    public static void Unary(UnaryOp op, BufferView x, BufferView y, double alpha)
    {
        string name = $"unary {op}";
        ViewChecks.SameShape(name, x, "x", y, "y");
        ViewChecks.HasDType(name, y, "y", x.DType);
        ViewChecks.InBounds(name, x, "x");
        ViewChecks.InBounds(name, y, "y");
        if (x.DType == DType.Int32 && op is not (UnaryOp.Neg or UnaryOp.Abs or UnaryOp.Sign or UnaryOp.Square or UnaryOp.Clamp))
            throw new ArgumentException($"unary {op}: not defined for int32 (only Neg, Abs, Sign, Square, Clamp are); convert to a floating dtype first");
        if (x.DType != DType.Int32 && op == UnaryOp.Softplus && alpha == 0)
            throw new ArgumentException($"unary {op}: beta (alpha) must be nonzero");
    }

    /// <summary>The int32 bounds of Clamp: for integers min(max(x, alpha), beta) clamps to [⌈alpha⌉, ⌊beta⌋] (NaN: unbounded).</summary>
    public static (int Low, int High) Int32ClampBounds(double alpha, double beta)
        => (double.IsNaN(alpha) ? int.MinValue : int.CreateSaturating(Math.Ceiling(alpha)),
            double.IsNaN(beta) ? int.MaxValue : int.CreateSaturating(Math.Floor(beta)));

    /// <summary><see cref="IBackend.UnaryBackward"/>: x, gy, gx of one shape and one floating dtype, inside their buffers.</summary>
    public static void UnaryBackward(UnaryOp op, BufferView x, BufferView gy, BufferView gx, double alpha)
    {
        string name = $"unary backward {op}";
        ViewChecks.SameShape(name, x, "x", gy, "gy");
        ViewChecks.SameShape(name, x, "x", gx, "gx");
        ViewChecks.HasDType(name, gy, "gy", x.DType);
        ViewChecks.HasDType(name, gx, "gx", x.DType);
        ViewChecks.InBounds(name, x, "x");
        ViewChecks.InBounds(name, gy, "gy");
        ViewChecks.InBounds(name, gx, "gx");
        if (!x.DType.IsFloatingPoint())
            throw new ArgumentException($"{name}: gradients need a floating dtype, got {x.DType.Name()}");
        if (op == UnaryOp.Softplus && alpha == 0)
            throw new ArgumentException($"unary backward {op}: beta (alpha) must be nonzero");
    }

    /// <summary><see cref="IBackend.Binary"/>: a, b, y of y's shape (broadcasting is the caller's stride 0) and one dtype; Pow floating only.</summary>
    public static void Binary(BinaryOp op, BufferView a, BufferView b, BufferView y)
    {
        string name = $"binary {op}";
        ViewChecks.SameShape(name, y, "y", a, "a");
        ViewChecks.SameShape(name, y, "y", b, "b");
        ViewChecks.HasDType(name, b, "b", a.DType);
        ViewChecks.HasDType(name, y, "y", a.DType);
        ViewChecks.InBounds(name, a, "a");
        ViewChecks.InBounds(name, b, "b");
        ViewChecks.InBounds(name, y, "y");
        PowNeedsFloating(name, op, a.DType);
    }

    /// <summary>
    /// <see cref="IBackend.BinaryScalar"/>: a and y of one shape and dtype; Pow floating only; an int32
    /// division by a scalar that is 0 as int32 throws here, at the call, on every backend.
    /// </summary>
    public static void BinaryScalar(BinaryOp op, BufferView a, double scalar, bool scalarFirst, BufferView y)
    {
        string name = $"binary scalar {op}";
        ViewChecks.SameShape(name, y, "y", a, "a");
        ViewChecks.HasDType(name, y, "y", a.DType);
        ViewChecks.InBounds(name, a, "a");
        ViewChecks.InBounds(name, y, "y");
        if (op == BinaryOp.Div && a.DType == DType.Int32 && !scalarFirst && FillKernel.Convert<int>(scalar) == 0 && y.Count > 0)
            throw new DivideByZeroException($"{name}: int32 {ViewChecks.Format(a.Shape)} divided by the scalar {scalar} (0 as int32)");
        PowNeedsFloating(name, op, a.DType);
    }

    private static void PowNeedsFloating(string name, BinaryOp op, DType dtype)
    {
        if (op == BinaryOp.Pow && dtype == DType.Int32)
            throw new ArgumentException($"{name}: not defined for int32; convert to a floating dtype first");
    }

    /// <summary><see cref="IBackend.Where"/>: condition (any dtype), a, b, y of y's shape; a, b, y of one dtype; all inside their buffers.</summary>
    public static void Where(BufferView condition, BufferView a, BufferView b, BufferView y)
    {
        const string name = "where";
        ViewChecks.SameShape(name, y, "y", condition, "condition");
        ViewChecks.SameShape(name, y, "y", a, "a");
        ViewChecks.SameShape(name, y, "y", b, "b");
        ViewChecks.HasDType(name, b, "b", a.DType);
        ViewChecks.HasDType(name, y, "y", a.DType);
        ViewChecks.InBounds(name, condition, "condition");
        ViewChecks.InBounds(name, a, "a");
        ViewChecks.InBounds(name, b, "b");
        ViewChecks.InBounds(name, y, "y");
    }
}
