using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// What a binary kernel does once the element type and the operator struct of its op are known
/// (loop over broadcast views, loop with a scalar operand, …).
/// </summary>
internal interface IBinaryOpTarget
{
    void Run<T, TOp>(TOp op) where T : unmanaged where TOp : struct, IBinaryOperator<T>;
}

/// <summary>
/// The one table from (<see cref="BinaryOp"/>, <see cref="DType"/>) to operator struct, shared by every
/// binary kernel so they cannot disagree on an op; it also rejects Pow on Int32.
/// </summary>
internal static class BinaryDispatch
{
    public static void Run<TTarget>(string name, BinaryOp op, DType dtype, TTarget target) where TTarget : struct, IBinaryOpTarget
    {
        switch (dtype)
        {
            case DType.Float32:
                if (op == BinaryOp.Pow) target.Run<float, PowOp<float>>(default);
                else RunNumber<float, TTarget>(op, target);
                break;
            case DType.Float64:
                if (op == BinaryOp.Pow) target.Run<double, PowOp<double>>(default);
                else RunNumber<double, TTarget>(op, target);
                break;
            case DType.Int32:
                if (op == BinaryOp.Pow) throw new ArgumentException($"{name}: not defined for int32; convert to a floating dtype first");
                RunNumber<int, TTarget>(op, target);
                break;
            default: throw new ArgumentException($"{name}: unsupported dtype {dtype}");
        }
    }

    private static void RunNumber<T, TTarget>(BinaryOp op, TTarget target) where T : unmanaged, INumber<T> where TTarget : struct, IBinaryOpTarget
    {
        switch (op)
        {
            case BinaryOp.Add: target.Run<T, AddOp<T>>(default); break;
            case BinaryOp.Sub: target.Run<T, SubOp<T>>(default); break;
            case BinaryOp.Mul: target.Run<T, MulOp<T>>(default); break;
            case BinaryOp.Div: target.Run<T, DivOp<T>>(default); break;
            case BinaryOp.Maximum: target.Run<T, MaximumOp<T>>(default); break;
            case BinaryOp.Minimum: target.Run<T, MinimumOp<T>>(default); break;
            case BinaryOp.Equal: target.Run<T, EqualOp<T>>(default); break;
            case BinaryOp.NotEqual: target.Run<T, NotEqualOp<T>>(default); break;
            case BinaryOp.Less: target.Run<T, LessOp<T>>(default); break;
            case BinaryOp.LessEqual: target.Run<T, LessEqualOp<T>>(default); break;
            case BinaryOp.Greater: target.Run<T, GreaterOp<T>>(default); break;
            case BinaryOp.GreaterEqual: target.Run<T, GreaterEqualOp<T>>(default); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "unknown binary op");
        }
    }
}
