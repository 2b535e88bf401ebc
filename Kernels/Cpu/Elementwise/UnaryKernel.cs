using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>y = f(x) for every <see cref="UnaryOp"/>: Float32 and Float64; Neg, Abs, Sign, Square, Clamp also Int32.</summary>
internal static class UnaryKernel
{
    public static void Run(UnaryOp op, BufferView x, BufferView y, double alpha, double beta)
    {
        string name = $"unary {op}";
        BackendContract.Unary(op, x, y, alpha);
        switch (x.DType)
        {
            case DType.Float32: RunFloating<float>(op, x, y, alpha, beta); break;
            case DType.Float64: RunFloating<double>(op, x, y, alpha, beta); break;
            case DType.Int32: RunInt32(op, x, y, alpha, beta); break;
            default: throw new ArgumentException($"{name}: unsupported dtype {x.DType}");
        }
    }

    private static void RunFloating<T>(UnaryOp op, BufferView x, BufferView y, double alpha, double beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T a = T.CreateTruncating(alpha), b = T.CreateTruncating(beta);
        switch (op)
        {
            case UnaryOp.Neg: ElementwiseRuns.Unary<T, NegOp<T>>(default, x, y); break;
            case UnaryOp.Abs: ElementwiseRuns.Unary<T, AbsOp<T>>(default, x, y); break;
            case UnaryOp.Sign: ElementwiseRuns.Unary<T, SignOp<T>>(default, x, y); break;
            case UnaryOp.Exp: ElementwiseRuns.Unary<T, ExpOp<T>>(default, x, y); break;
            case UnaryOp.Log: ElementwiseRuns.Unary<T, LogOp<T>>(default, x, y); break;
            case UnaryOp.Sqrt: ElementwiseRuns.Unary<T, SqrtOp<T>>(default, x, y); break;
            case UnaryOp.Sin: ElementwiseRuns.Unary<T, SinOp<T>>(default, x, y); break;
            case UnaryOp.Cos: ElementwiseRuns.Unary<T, CosOp<T>>(default, x, y); break;
            case UnaryOp.Tanh: ElementwiseRuns.Unary<T, TanhOp<T>>(default, x, y); break;
            case UnaryOp.Sigmoid: ElementwiseRuns.Unary<T, SigmoidOp<T>>(default, x, y); break;
            case UnaryOp.Relu: ElementwiseRuns.Unary<T, ReluOp<T>>(default, x, y); break;
            case UnaryOp.LeakyRelu: ElementwiseRuns.Unary<T, LeakyReluOp<T>>(new(a), x, y); break;
            case UnaryOp.Elu: ElementwiseRuns.Unary<T, EluOp<T>>(new(a, T.One), x, y); break;
            case UnaryOp.Selu:
                ElementwiseRuns.Unary<T, EluOp<T>>(new(T.CreateTruncating(EluOp<T>.SeluAlpha), T.CreateTruncating(EluOp<T>.SeluScale)), x, y);
                break;
            case UnaryOp.Silu: ElementwiseRuns.Unary<T, SiluOp<T>>(default, x, y); break;
            case UnaryOp.Gelu: ElementwiseRuns.Unary<T, GeluOp<T>>(default, x, y); break;
            case UnaryOp.Softplus:
                if (alpha == 0) throw new ArgumentException($"unary {op}: beta (alpha) must be nonzero");
                ElementwiseRuns.Unary<T, SoftplusOp<T>>(new(a, b), x, y);
                break;
            case UnaryOp.PowScalar: PowScalar<T>(alpha, x, y); break;
            case UnaryOp.Clamp: ElementwiseRuns.Unary<T, ClampOp<T>>(new(a, b), x, y); break;
            case UnaryOp.Reciprocal: ElementwiseRuns.Unary<T, ReciprocalOp<T>>(default, x, y); break;
            case UnaryOp.Square: ElementwiseRuns.Unary<T, SquareOp<T>>(default, x, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "unknown unary op");
        }
    }

    /// <summary>Common exponents get exact SIMD forms; the rest go through Pow.</summary>
    private static void PowScalar<T>(double exponent, BufferView x, BufferView y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (exponent)
        {
            case 0: FillKernel.Run(y, 1); break;
            case 1: ElementwiseRuns.Unary<T, IdentityOp<T>>(default, x, y); break;
            case 2: ElementwiseRuns.Unary<T, SquareOp<T>>(default, x, y); break;
            case 3: ElementwiseRuns.Unary<T, CubeOp<T>>(default, x, y); break;
            case 0.5: ElementwiseRuns.Unary<T, SqrtOp<T>>(default, x, y); break;
            case -1: ElementwiseRuns.Unary<T, ReciprocalOp<T>>(default, x, y); break;
            default: ElementwiseRuns.Unary<T, PowScalarOp<T>>(new(T.CreateTruncating(exponent)), x, y); break;
        }
    }

    private static void RunInt32(UnaryOp op, BufferView x, BufferView y, double alpha, double beta)
    {
        switch (op)
        {
            case UnaryOp.Neg: ElementwiseRuns.Unary<int, NegOp<int>>(default, x, y); break;
            case UnaryOp.Abs: ElementwiseRuns.Unary<int, AbsOp<int>>(default, x, y); break;
            case UnaryOp.Sign: ElementwiseRuns.Unary<int, SignOp<int>>(default, x, y); break;
            case UnaryOp.Square: ElementwiseRuns.Unary<int, SquareOp<int>>(default, x, y); break;
            case UnaryOp.Clamp:
                var (low, high) = BackendContract.Int32ClampBounds(alpha, beta);
                ElementwiseRuns.Unary<int, ClampOp<int>>(new(low, high), x, y);
                break;
            default:
                throw new ArgumentException($"unary {op}: not defined for int32 (only Neg, Abs, Sign, Square, Clamp are); convert to a floating dtype first");
        }
    }
}
