using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Gpu.Kernels;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu.Ops;

/// <summary>
/// Launchers of the elementwise primitives. Views are first coalesced (<see cref="CoalescedLayout"/>); when
/// every operand is then contiguous a flat kernel runs, otherwise the strided kernel.
/// </summary>
internal static class ElementwiseOps
{
    public static void Fill(GpuBackend backend, BufferView y, double value)
    {
        BackendContract.Fill(y);
        switch (y.DType)
        {
            case DType.Float32: FillWith(backend, y, FillKernel.Convert<float>(value)); break;
            case DType.Float64: FillWith(backend, y, FillKernel.Convert<double>(value)); break;
            default: FillWith(backend, y, FillKernel.Convert<int>(value)); break;
        }
    }

    // Not an overload of Fill: Fill(backend, y, a double) would call itself.
    private static void FillWith<T>(GpuBackend backend, BufferView y, T value) where T : unmanaged
    {
        long n = y.Count;
        if (n == 0) return;
        var layout = CoalescedLayout.Create(y.Shape, y.Strides);
        var config = Launch.Linear(backend, n);
        if (layout.AllUnitStride)
            backend.Kernels.Launch(CopyKernels.FillContiguous, config, backend.From<T>(y), n, value);
        else
            backend.Kernels.Launch(CopyKernels.FillStrided, config, backend.From<T>(y), layout.KernelStrides(0), layout.KernelShape, n, value);
    }

    public static void Copy(GpuBackend backend, BufferView x, BufferView y)
    {
        BackendContract.Copy(x, y);
        long n = y.Count;
        if (n == 0) return;
        bool sameView = ReferenceEquals(x.Buffer, y.Buffer) && x.Offset == y.Offset && x.Strides.AsSpan().SequenceEqual(y.Strides);
        if (sameView && x.DType == y.DType) return;
        switch (x.DType, y.DType)
        {
            case (DType.Float32, DType.Float32): Same<float>(backend, x, y); break;
            case (DType.Float64, DType.Float64): Same<double>(backend, x, y); break;
            case (DType.Int32, DType.Int32): Same<int>(backend, x, y); break;
            case (DType.Float32, DType.Float64): Convert<float, double, FloatToDouble>(backend, x, y); break;
            case (DType.Float32, DType.Int32): Convert<float, int, FloatToInt>(backend, x, y); break;
            case (DType.Float64, DType.Float32): Convert<double, float, DoubleToFloat>(backend, x, y); break;
            case (DType.Float64, DType.Int32): Convert<double, int, DoubleToInt>(backend, x, y); break;
            case (DType.Int32, DType.Float32): Convert<int, float, IntToFloat>(backend, x, y); break;
            default: Convert<int, double, IntToDouble>(backend, x, y); break;
        }
    }

    private static void Same<T>(GpuBackend backend, BufferView x, BufferView y) where T : unmanaged
    {
        long n = y.Count;
        var layout = CoalescedLayout.Create(y.Shape, x.Strides, y.Strides);
        if (layout.AllUnitStride)
        {
            backend.From<T>(x).SubView(0, n).CopyTo(backend.Stream, backend.From<T>(y).SubView(0, n));
            return;
        }
        backend.Kernels.Launch(CopyKernels.CopyStrided, Launch.Linear(backend, n),
            backend.From<T>(x), layout.KernelStrides(0), backend.From<T>(y), layout.KernelStrides(1), layout.KernelShape, n);
    }

    private static void Convert<TFrom, TTo, TConvert>(GpuBackend backend, BufferView x, BufferView y)
        where TFrom : unmanaged where TTo : unmanaged where TConvert : struct, IConversion<TFrom, TTo>
    {
        long n = y.Count;
        var layout = CoalescedLayout.Create(y.Shape, x.Strides, y.Strides);
        var config = Launch.Linear(backend, n);
        if (layout.AllUnitStride)
            backend.Kernels.Launch(CopyKernels.ConvertContiguous<TFrom, TTo, TConvert>, config, backend.From<TFrom>(x), backend.From<TTo>(y), n, default(TConvert));
        else
            backend.Kernels.Launch(CopyKernels.ConvertStrided<TFrom, TTo, TConvert>, config, backend.From<TFrom>(x), layout.KernelStrides(0),
                backend.From<TTo>(y), layout.KernelStrides(1), layout.KernelShape, n, default(TConvert));
    }

    // ---- unary -------------------------------------------------------------------------------

    public static void Unary(GpuBackend backend, UnaryOp op, BufferView x, BufferView y, double alpha, double beta)
    {
        BackendContract.Unary(op, x, y, alpha);
        if (y.Count == 0) return;
        switch (x.DType)
        {
            case DType.Float32: UnaryFloating<float>(backend, op, x, y, alpha, beta); break;
            case DType.Float64: UnaryFloating<double>(backend, op, x, y, alpha, beta); break;
            default: UnaryInt32(backend, op, x, y, alpha, beta); break;
        }
    }

    /// <summary>The operator struct of each op, as the CPU's <see cref="UnaryKernel"/> picks it.</summary>
    private static void UnaryFloating<T>(GpuBackend backend, UnaryOp op, BufferView x, BufferView y, double alpha, double beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T a = T.CreateTruncating(alpha), b = T.CreateTruncating(beta);
        switch (op)
        {
            case UnaryOp.Neg: Map<T, NegOp<T>>(backend, default, x, y); break;
            case UnaryOp.Abs: Map<T, AbsOp<T>>(backend, default, x, y); break;
            case UnaryOp.Sign: Map<T, SignOp<T>>(backend, default, x, y); break;
            case UnaryOp.Exp: Map<T, ExpOp<T>>(backend, default, x, y); break;
            case UnaryOp.Log: Map<T, LogOp<T>>(backend, default, x, y); break;
            case UnaryOp.Sqrt: Map<T, SqrtOp<T>>(backend, default, x, y); break;
            case UnaryOp.Sin: Map<T, SinOp<T>>(backend, default, x, y); break;
            case UnaryOp.Cos: Map<T, CosOp<T>>(backend, default, x, y); break;
            case UnaryOp.Tanh: Map<T, TanhOp<T>>(backend, default, x, y); break;
            case UnaryOp.Sigmoid: Map<T, SigmoidOp<T>>(backend, default, x, y); break;
            case UnaryOp.Relu: Map<T, ReluOp<T>>(backend, default, x, y); break;
            case UnaryOp.LeakyRelu: Map<T, LeakyReluOp<T>>(backend, new(a), x, y); break;
            case UnaryOp.Elu: Map<T, EluScalar<T>>(backend, new(a, T.One), x, y); break;
            case UnaryOp.Selu:
                Map<T, EluScalar<T>>(backend, new(T.CreateTruncating(EluOp<T>.SeluAlpha), T.CreateTruncating(EluOp<T>.SeluScale)), x, y);
                break;
            case UnaryOp.Silu: Map<T, SiluOp<T>>(backend, default, x, y); break;
            case UnaryOp.Gelu:
                if (typeof(T) == typeof(float)) Map<float, GeluScalar>(backend, default, x, y);
                else Map<double, GeluScalar>(backend, default, x, y);
                break;
            case UnaryOp.Softplus: Map<T, SoftplusScalar<T>>(backend, new(a, b), x, y); break;
            case UnaryOp.PowScalar:
                // The CPU's exact forms for the common exponents, so both backends agree on them bit for bit.
                switch (alpha)
                {
                    case 0: Fill(backend, y, 1.0); break;
                    case 1: Map<T, IdentityOp<T>>(backend, default, x, y); break;
                    case 2: Map<T, SquareOp<T>>(backend, default, x, y); break;
                    case 3: Map<T, CubeOp<T>>(backend, default, x, y); break;
                    case 0.5: Map<T, SqrtOp<T>>(backend, default, x, y); break;
                    case -1: Map<T, ReciprocalOp<T>>(backend, default, x, y); break;
                    default: Map<T, PowScalarOp<T>>(backend, new(a), x, y); break;
                }
                break;
            case UnaryOp.Clamp: Map<T, ClampOp<T>>(backend, new(a, b), x, y); break;
            case UnaryOp.Reciprocal: Map<T, ReciprocalOp<T>>(backend, default, x, y); break;
            case UnaryOp.Square: Map<T, SquareOp<T>>(backend, default, x, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "unknown unary op");
        }
    }

    private static void UnaryInt32(GpuBackend backend, UnaryOp op, BufferView x, BufferView y, double alpha, double beta)
    {
        switch (op)
        {
            case UnaryOp.Neg: Map<int, NegOp<int>>(backend, default, x, y); break;
            case UnaryOp.Abs: Map<int, AbsOp<int>>(backend, default, x, y); break;
            case UnaryOp.Sign: Map<int, SignOp<int>>(backend, default, x, y); break;
            case UnaryOp.Square: Map<int, SquareOp<int>>(backend, default, x, y); break;
            default:
                var (low, high) = BackendContract.Int32ClampBounds(alpha, beta);
                Map<int, ClampOp<int>>(backend, new(low, high), x, y);
                break;
        }
    }

    /// <summary>y = op(x) over views of one shape (y may be x).</summary>
    private static void Map<T, TOp>(GpuBackend backend, TOp op, BufferView x, BufferView y) where T : unmanaged where TOp : struct, IUnaryOperator<T>
    {
        long n = y.Count;
        if (n == 0) return;
        var layout = CoalescedLayout.Create(y.Shape, x.Strides, y.Strides);
        var config = Launch.Linear(backend, n);
        if (layout.AllUnitStride)
            backend.Kernels.Launch(ElementwiseKernels.MapContiguous<T, TOp>, config, backend.From<T>(x), backend.From<T>(y), n, op);
        else
            backend.Kernels.Launch(ElementwiseKernels.MapStrided<T, TOp>, config, backend.From<T>(x), layout.KernelStrides(0),
                backend.From<T>(y), layout.KernelStrides(1), layout.KernelShape, n, op);
    }

    // ---- unary backward ----------------------------------------------------------------------

    public static void UnaryBackward(GpuBackend backend, UnaryOp op, BufferView x, BufferView gy, BufferView gx, double alpha, double beta)
    {
        BackendContract.UnaryBackward(op, x, gy, gx, alpha);
        if (gx.Count == 0) return;
        if (x.DType == DType.Float32) UnaryBackward<float>(backend, op, x, gy, gx, alpha, beta);
        else UnaryBackward<double>(backend, op, x, gy, gx, alpha, beta);
    }

    /// <summary>The derivative struct of each op, as the CPU's <see cref="UnaryBackwardKernel"/> picks it.</summary>
    private static void UnaryBackward<T>(GpuBackend backend, UnaryOp op, BufferView x, BufferView gy, BufferView gx, double alpha, double beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T a = T.CreateTruncating(alpha), b = T.CreateTruncating(beta);
        switch (op)
        {
            case UnaryOp.Neg: Zip<T, NegBackward<T>>(backend, default, x, gy, gx); break;
            case UnaryOp.Abs: Zip<T, AbsBackward<T>>(backend, default, x, gy, gx); break;
            case UnaryOp.Sign: Fill(backend, gx, 0.0); break;
            case UnaryOp.Exp: Zip<T, ExpBackward<T>>(backend, default, x, gy, gx); break;
            case UnaryOp.Log: Zip<T, LogBackward<T>>(backend, default, x, gy, gx); break;
            case UnaryOp.Sqrt: Zip<T, SqrtBackward<T>>(backend, default, x, gy, gx); break;
            case UnaryOp.Sin: Zip<T, SinBackward<T>>(backend, default, x, gy, gx); break;
            case UnaryOp.Cos: Zip<T, CosBackward<T>>(backend, default, x, gy, gx); break;
            case UnaryOp.Tanh: Zip<T, TanhBackward<T>>(backend, default, x, gy, gx); break;
            case UnaryOp.Sigmoid: Zip<T, SigmoidBackward<T>>(backend, default, x, gy, gx); break;
            case UnaryOp.Relu: Zip<T, ReluBackward<T>>(backend, default, x, gy, gx); break;
            case UnaryOp.LeakyRelu: Zip<T, LeakyReluBackward<T>>(backend, new(a), x, gy, gx); break;
            case UnaryOp.Elu: Zip<T, EluBackward<T>>(backend, new(a, T.One), x, gy, gx); break;
            case UnaryOp.Selu:
                Zip<T, EluBackward<T>>(backend, new(T.CreateTruncating(EluOp<T>.SeluAlpha), T.CreateTruncating(EluOp<T>.SeluScale)), x, gy, gx);
                break;
            case UnaryOp.Silu: Zip<T, SiluBackward<T>>(backend, default, x, gy, gx); break;
            case UnaryOp.Gelu:
                if (typeof(T) == typeof(float)) Zip<float, GeluBackwardScalar>(backend, default, x, gy, gx);
                else Zip<double, GeluBackwardScalar>(backend, default, x, gy, gx);
                break;
            case UnaryOp.Softplus: Zip<T, SoftplusBackward<T>>(backend, new(a, b), x, gy, gx); break;
            case UnaryOp.PowScalar:
                // d/dx x^0 = 0 everywhere (also at x = 0), as the CPU and PyTorch.
                if (alpha == 0) Fill(backend, gx, 0.0);
                else if (alpha == 1) Zip<T, PassBackward<T>>(backend, default, x, gy, gx);
                else if (alpha == 2) Zip<T, SquareBackward<T>>(backend, default, x, gy, gx);
                else Zip<T, PowScalarBackward<T>>(backend, new(a), x, gy, gx);
                break;
            case UnaryOp.Clamp: Zip<T, ClampBackward<T>>(backend, new(a, b), x, gy, gx); break;
            case UnaryOp.Reciprocal: Zip<T, ReciprocalBackward<T>>(backend, default, x, gy, gx); break;
            case UnaryOp.Square: Zip<T, SquareBackward<T>>(backend, default, x, gy, gx); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "unknown unary op");
        }
    }

    // ---- binary ------------------------------------------------------------------------------

    public static void Binary(GpuBackend backend, BinaryOp op, BufferView a, BufferView b, BufferView y)
    {
        BackendContract.Binary(op, a, b, y);
        if (y.Count == 0) return;
        if (op == BinaryOp.Div && a.DType == DType.Int32)
        {
            var layout = CoalescedLayout.Create(y.Shape, a.Strides, b.Strides, y.Strides);
            backend.Kernels.Launch(ElementwiseKernels.DivideInt32, Launch.Linear(backend, y.Count), backend.From<int>(a), layout.KernelStrides(0),
                backend.From<int>(b), layout.KernelStrides(1), backend.From<int>(y), layout.KernelStrides(2), layout.KernelShape, y.Count, backend.Errors.View);
            return;
        }
        BinaryDispatch.Run($"binary {op}", op, a.DType, new BinaryTarget(backend, a, b, y));
    }

    private readonly struct BinaryTarget(GpuBackend backend, BufferView a, BufferView b, BufferView y) : IBinaryOpTarget
    {
        public void Run<T, TOp>(TOp op) where T : unmanaged where TOp : struct, IBinaryOperator<T> => Zip<T, TOp>(backend, op, a, b, y);
    }

    /// <summary>y = op(a, b) over views of one shape (stride 0 broadcasts; y may be a or b).</summary>
    private static void Zip<T, TOp>(GpuBackend backend, TOp op, BufferView a, BufferView b, BufferView y) where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        long n = y.Count;
        if (n == 0) return;
        var layout = CoalescedLayout.Create(y.Shape, a.Strides, b.Strides, y.Strides);
        var config = Launch.Linear(backend, n);
        if (layout.AllUnitStride)
            backend.Kernels.Launch(ElementwiseKernels.ZipContiguous<T, TOp>, config, backend.From<T>(a), backend.From<T>(b), backend.From<T>(y), n, op);
        else
            backend.Kernels.Launch(ElementwiseKernels.ZipStrided<T, TOp>, config, backend.From<T>(a), layout.KernelStrides(0),
                backend.From<T>(b), layout.KernelStrides(1), backend.From<T>(y), layout.KernelStrides(2), layout.KernelShape, n, op);
    }

    // ---- binary with a scalar operand --------------------------------------------------------

    public static void BinaryScalar(GpuBackend backend, BinaryOp op, BufferView a, double scalar, bool scalarFirst, BufferView y)
    {
        BackendContract.BinaryScalar(op, a, scalar, scalarFirst, y);
        if (y.Count == 0) return;
        if (op == BinaryOp.Div && a.DType == DType.Int32 && scalarFirst)
        {
            // s / a: a zero element of a is found by the kernel (the contract has ruled out a zero scalar divisor).
            var layout = CoalescedLayout.Create(y.Shape, a.Strides, y.Strides);
            backend.Kernels.Launch(ElementwiseKernels.DivideScalarByInt32, Launch.Linear(backend, y.Count), backend.From<int>(a), layout.KernelStrides(0),
                backend.From<int>(y), layout.KernelStrides(1), layout.KernelShape, y.Count, FillKernel.Convert<int>(scalar), backend.Errors.View);
            return;
        }
        BinaryDispatch.Run($"binary scalar {op}", op, a.DType, new ScalarTarget(backend, a, scalar, scalarFirst, y));
    }

    private readonly struct ScalarTarget(GpuBackend backend, BufferView a, double scalar, bool scalarFirst, BufferView y) : IBinaryOpTarget
    {
        // The scalar is converted to a's dtype as Fill converts, then bound to the CPU's operator struct.
        public void Run<T, TOp>(TOp op) where T : unmanaged where TOp : struct, IBinaryOperator<T>
        {
            T s = FillKernel.Convert<T>(scalar);
            if (scalarFirst) Map<T, ScalarFirst<T, TOp>>(backend, new(op, s), a, y);
            else Map<T, ScalarSecond<T, TOp>>(backend, new(op, s), a, y);
        }
    }

    // ---- where -------------------------------------------------------------------------------

    public static void Where(GpuBackend backend, BufferView condition, BufferView a, BufferView b, BufferView y)
    {
        BackendContract.Where(condition, a, b, y);
        if (y.Count == 0) return;
        switch (condition.DType)
        {
            case DType.Float32: Where<float>(backend, condition, a, b, y); break;
            case DType.Float64: Where<double>(backend, condition, a, b, y); break;
            default: Where<int>(backend, condition, a, b, y); break;
        }
    }

    private static void Where<TC>(GpuBackend backend, BufferView condition, BufferView a, BufferView b, BufferView y) where TC : unmanaged, INumber<TC>
    {
        switch (a.DType)
        {
            case DType.Float32: Select<TC, float>(backend, condition, a, b, y); break;
            case DType.Float64: Select<TC, double>(backend, condition, a, b, y); break;
            default: Select<TC, int>(backend, condition, a, b, y); break;
        }
    }

    private static void Select<TC, T>(GpuBackend backend, BufferView condition, BufferView a, BufferView b, BufferView y)
        where TC : unmanaged, INumber<TC> where T : unmanaged
    {
        var layout = CoalescedLayout.Create(y.Shape, condition.Strides, a.Strides, b.Strides, y.Strides);
        backend.Kernels.Launch(ElementwiseKernels.Select<TC, T>, Launch.Linear(backend, y.Count), backend.From<TC>(condition), layout.KernelStrides(0),
            backend.From<T>(a), layout.KernelStrides(1), backend.From<T>(b), layout.KernelStrides(2), backend.From<T>(y), layout.KernelStrides(3),
            layout.KernelShape, y.Count);
    }

    internal static NotSupportedException NotYet(string op) => new($"gpu: {op} has no ILGPU kernel yet");
}
