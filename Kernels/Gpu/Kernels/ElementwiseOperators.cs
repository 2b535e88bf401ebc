using System.Numerics;
using System.Runtime.Intrinsics;
using Scratch.Kernels.Cpu;

namespace Scratch.Kernels.Gpu.Kernels;

// Operator structs for GPU kernels where the CPU's struct cannot be passed as it is: the scalar operand of
// BinaryScalar bound to a binary operator, and the few functions whose CPU scalar form is the SIMD form's lane
// (Elu, Softplus) or depends on a type test (Gelu). These call the formulas that live in the CPU's structs
// (EluOp<T>.Scalar, SoftplusOp<T>.Scalar, GeluOp<T>.Scalar, GeluBackward<T>.Derivative): no formula is kept here.
// Their vector members exist only to satisfy the interface; kernels never call them.

/// <summary>op(x, s): a binary operator with its second operand a scalar.</summary>
internal readonly struct ScalarSecond<T, TOp>(TOp op, T s) : IUnaryOperator<T> where T : unmanaged where TOp : struct, IBinaryOperator<T>
{
    public static bool IsVectorizable => false;
    public T Invoke(T x) => op.Invoke(x, s);
    public Vector256<T> Invoke(Vector256<T> x) => LaneByLane.Map<T, ScalarSecond<T, TOp>>(this, x);
    public Vector512<T> Invoke(Vector512<T> x) => LaneByLane.Map<T, ScalarSecond<T, TOp>>(this, x);
}

/// <summary>op(s, x): a binary operator with its first operand a scalar.</summary>
internal readonly struct ScalarFirst<T, TOp>(TOp op, T s) : IUnaryOperator<T> where T : unmanaged where TOp : struct, IBinaryOperator<T>
{
    public static bool IsVectorizable => false;
    public T Invoke(T x) => op.Invoke(s, x);
    public Vector256<T> Invoke(Vector256<T> x) => LaneByLane.Map<T, ScalarFirst<T, TOp>>(this, x);
    public Vector512<T> Invoke(Vector512<T> x) => LaneByLane.Map<T, ScalarFirst<T, TOp>>(this, x);
}

/// <summary><see cref="EluOp{T}"/> (Elu and Selu) in scalar arithmetic.</summary>
internal readonly struct EluScalar<T>(T alpha, T scale) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => false;
    public T Invoke(T x) => EluOp<T>.Scalar(x, alpha, scale);
    public Vector256<T> Invoke(Vector256<T> x) => LaneByLane.Map<T, EluScalar<T>>(this, x);
    public Vector512<T> Invoke(Vector512<T> x) => LaneByLane.Map<T, EluScalar<T>>(this, x);
}

/// <summary><see cref="SoftplusOp{T}"/> in scalar arithmetic.</summary>
internal readonly struct SoftplusScalar<T>(T beta, T threshold) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => false;
    public T Invoke(T x) => SoftplusOp<T>.Scalar(x, beta, threshold);
    public Vector256<T> Invoke(Vector256<T> x) => LaneByLane.Map<T, SoftplusScalar<T>>(this, x);
    public Vector512<T> Invoke(Vector512<T> x) => LaneByLane.Map<T, SoftplusScalar<T>>(this, x);
}

/// <summary><see cref="GeluOp{T}"/> through its float64 form, for float32 (rounded once) and float64.</summary>
internal readonly struct GeluScalar : IUnaryOperator<float>, IUnaryOperator<double>
{
    public static bool IsVectorizable => false;
    public float Invoke(float x) => (float)GeluOp<double>.Scalar(x);
    public double Invoke(double x) => GeluOp<double>.Scalar(x);
    public Vector256<float> Invoke(Vector256<float> x) => LaneByLane.Map<float, GeluScalar>(this, x);
    public Vector512<float> Invoke(Vector512<float> x) => LaneByLane.Map<float, GeluScalar>(this, x);
    public Vector256<double> Invoke(Vector256<double> x) => LaneByLane.Map<double, GeluScalar>(this, x);
    public Vector512<double> Invoke(Vector512<double> x) => LaneByLane.Map<double, GeluScalar>(this, x);
}

/// <summary><see cref="GeluBackward{T}"/> through its float64 derivative, for float32 and float64.</summary>
internal readonly struct GeluBackwardScalar : IBinaryOperator<float>, IBinaryOperator<double>
{
    public static bool IsVectorizable => false;
    public float Invoke(float x, float gy) => gy * (float)GeluBackward<double>.Derivative(x);
    public double Invoke(double x, double gy) => gy * GeluBackward<double>.Derivative(x);
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> gy) => LaneByLane.Map<float, GeluBackwardScalar>(this, x, gy);
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> gy) => LaneByLane.Map<float, GeluBackwardScalar>(this, x, gy);
    public Vector256<double> Invoke(Vector256<double> x, Vector256<double> gy) => LaneByLane.Map<double, GeluBackwardScalar>(this, x, gy);
    public Vector512<double> Invoke(Vector512<double> x, Vector512<double> gy) => LaneByLane.Map<double, GeluBackwardScalar>(this, x, gy);
}
