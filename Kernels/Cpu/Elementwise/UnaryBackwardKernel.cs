using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>gx = gy·f′(x) for every <see cref="UnaryOp"/>, Float32 and Float64.</summary>
internal static class UnaryBackwardKernel
{
    public static void Run(UnaryOp op, BufferView x, BufferView gy, BufferView gx, double alpha, double beta)
    {
        string name = $"unary backward {op}";
        BackendContract.UnaryBackward(op, x, gy, gx, alpha);
        switch (x.DType)
        {
            case DType.Float32: RunFloating<float>(op, x, gy, gx, alpha, beta); break;
            case DType.Float64: RunFloating<double>(op, x, gy, gx, alpha, beta); break;
            default: throw new ArgumentException($"{name}: gradients need a floating dtype, got {x.DType.Name()}");
        }
    }

    private static void RunFloating<T>(UnaryOp op, BufferView x, BufferView gy, BufferView gx, double alpha, double beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T a = T.CreateTruncating(alpha), b = T.CreateTruncating(beta);
        switch (op)
        {
            case UnaryOp.Neg: Run<T, NegBackward<T>>(default, x, gy, gx); break;
            case UnaryOp.Abs: Run<T, AbsBackward<T>>(default, x, gy, gx); break;
            case UnaryOp.Sign: FillKernel.Run(gx, 0); break;
            case UnaryOp.Exp: Run<T, ExpBackward<T>>(default, x, gy, gx); break;
            case UnaryOp.Log: Run<T, LogBackward<T>>(default, x, gy, gx); break;
            case UnaryOp.Sqrt: Run<T, SqrtBackward<T>>(default, x, gy, gx); break;
            case UnaryOp.Sin: Run<T, SinBackward<T>>(default, x, gy, gx); break;
            case UnaryOp.Cos: Run<T, CosBackward<T>>(default, x, gy, gx); break;
            case UnaryOp.Tanh: Run<T, TanhBackward<T>>(default, x, gy, gx); break;
            case UnaryOp.Sigmoid: Run<T, SigmoidBackward<T>>(default, x, gy, gx); break;
            case UnaryOp.Relu: Run<T, ReluBackward<T>>(default, x, gy, gx); break;
            case UnaryOp.LeakyRelu: Run<T, LeakyReluBackward<T>>(new(a), x, gy, gx); break;
            case UnaryOp.Elu: Run<T, EluBackward<T>>(new(a, T.One), x, gy, gx); break;
            case UnaryOp.Selu:
                Run<T, EluBackward<T>>(new(T.CreateTruncating(EluOp<T>.SeluAlpha), T.CreateTruncating(EluOp<T>.SeluScale)), x, gy, gx);
                break;
            case UnaryOp.Silu: Run<T, SiluBackward<T>>(default, x, gy, gx); break;
            case UnaryOp.Gelu: Run<T, GeluBackward<T>>(default, x, gy, gx); break;
            case UnaryOp.Softplus:
                if (alpha == 0) throw new ArgumentException($"unary backward {op}: beta (alpha) must be nonzero");
                Run<T, SoftplusBackward<T>>(new(a, b), x, gy, gx);
                break;
            case UnaryOp.PowScalar:
                // d/dx x^0 = 0 everywhere (also at x = 0, where 0·x^−1 would be NaN), as PyTorch.
                if (alpha == 0) FillKernel.Run(gx, 0);
                else if (alpha == 1) Run<T, PassBackward<T>>(default, x, gy, gx);
                else if (alpha == 2) Run<T, SquareBackward<T>>(default, x, gy, gx);
                else Run<T, PowScalarBackward<T>>(new(a), x, gy, gx);
                break;
            case UnaryOp.Clamp: Run<T, ClampBackward<T>>(new(a, b), x, gy, gx); break;
            case UnaryOp.Reciprocal: Run<T, ReciprocalBackward<T>>(default, x, gy, gx); break;
            case UnaryOp.Square: Run<T, SquareBackward<T>>(default, x, gy, gx); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "unknown unary op");
        }
    }

    private static void Run<T, TOp>(TOp op, BufferView x, BufferView gy, BufferView gx)
        where T : unmanaged where TOp : struct, IBinaryOperator<T>
        => ElementwiseRuns.Binary<T, TOp>(op, x, gy, gx);
}
