using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>y = f(a, b) for every <see cref="BinaryOp"/>, all dtypes (Pow floating only).</summary>
internal static class BinaryKernel
{
    public static void Run(BinaryOp op, BufferView a, BufferView b, BufferView y)
    {
        string name = $"binary {op}";
        ViewChecks.SameShape(name, y, "y", a, "a");
        ViewChecks.SameShape(name, y, "y", b, "b");
        ViewChecks.HasDType(name, b, "b", a.DType);
        ViewChecks.HasDType(name, y, "y", a.DType);
        ViewChecks.InBounds(name, a, "a");
        ViewChecks.InBounds(name, b, "b");
        ViewChecks.InBounds(name, y, "y");
        switch (a.DType)
        {
            case DType.Float32:
                if (op == BinaryOp.Pow) ElementwiseRuns.Binary<float, PowOp<float>>(default, a, b, y);
                else RunNumber<float>(op, a, b, y);
                break;
            case DType.Float64:
                if (op == BinaryOp.Pow) ElementwiseRuns.Binary<double, PowOp<double>>(default, a, b, y);
                else RunNumber<double>(op, a, b, y);
                break;
            case DType.Int32:
                if (op == BinaryOp.Pow) throw new ArgumentException($"{name}: not defined for int32; convert to a floating dtype first");
                RunNumber<int>(op, a, b, y);
                break;
            default: throw new ArgumentException($"{name}: unsupported dtype {a.DType}");
        }
    }

    private static void RunNumber<T>(BinaryOp op, BufferView a, BufferView b, BufferView y) where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case BinaryOp.Add: ElementwiseRuns.Binary<T, AddOp<T>>(default, a, b, y); break;
            case BinaryOp.Sub: ElementwiseRuns.Binary<T, SubOp<T>>(default, a, b, y); break;
            case BinaryOp.Mul: ElementwiseRuns.Binary<T, MulOp<T>>(default, a, b, y); break;
            case BinaryOp.Div: ElementwiseRuns.Binary<T, DivOp<T>>(default, a, b, y); break;
            case BinaryOp.Maximum: ElementwiseRuns.Binary<T, MaximumOp<T>>(default, a, b, y); break;
            case BinaryOp.Minimum: ElementwiseRuns.Binary<T, MinimumOp<T>>(default, a, b, y); break;
            case BinaryOp.Equal: ElementwiseRuns.Binary<T, EqualOp<T>>(default, a, b, y); break;
            case BinaryOp.NotEqual: ElementwiseRuns.Binary<T, NotEqualOp<T>>(default, a, b, y); break;
            case BinaryOp.Less: ElementwiseRuns.Binary<T, LessOp<T>>(default, a, b, y); break;
            case BinaryOp.LessEqual: ElementwiseRuns.Binary<T, LessEqualOp<T>>(default, a, b, y); break;
            case BinaryOp.Greater: ElementwiseRuns.Binary<T, GreaterOp<T>>(default, a, b, y); break;
            case BinaryOp.GreaterEqual: ElementwiseRuns.Binary<T, GreaterEqualOp<T>>(default, a, b, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "unknown binary op");
        }
    }
}
