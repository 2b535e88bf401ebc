using System.Numerics;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

// The functions of BinaryOp, one struct each (see IBinaryOperator). Comparisons give One or Zero
// in the operands' type.

internal readonly struct AddOp<T> : IBinaryOperator<T> where T : unmanaged, INumber<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T a, T b) => a + b;
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => a + b;
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => a + b;
}

internal readonly struct SubOp<T> : IBinaryOperator<T> where T : unmanaged, INumber<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T a, T b) => a - b;
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => a - b;
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => a - b;
}

internal readonly struct MulOp<T> : IBinaryOperator<T> where T : unmanaged, INumber<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T a, T b) => a * b;
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => a * b;
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => a * b;
}

internal readonly struct DivOp<T> : IBinaryOperator<T> where T : unmanaged, INumber<T>
{
    // Int32 division stays scalar: it truncates and throws on a zero divisor, as C# does.
    public static bool IsVectorizable => typeof(T) != typeof(int);
    public T Invoke(T a, T b) => a / b;
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => IsVectorizable ? a / b : LaneByLane.Map<T, DivOp<T>>(this, a, b);
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => IsVectorizable ? a / b : LaneByLane.Map<T, DivOp<T>>(this, a, b);
}

internal readonly struct PowOp<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // Math.Pow semantics (negative bases with integral exponents) have no cheap SIMD form.
    public static bool IsVectorizable => false;
    public T Invoke(T a, T b) => T.Pow(a, b);
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => LaneByLane.Map<T, PowOp<T>>(this, a, b);
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => LaneByLane.Map<T, PowOp<T>>(this, a, b);
}

internal readonly struct MaximumOp<T> : IBinaryOperator<T> where T : unmanaged, INumber<T>
{
    public static bool IsVectorizable => true;
    // .NET's Max is IEEE 754-2019 maximum: NaN if either operand is NaN.
    public T Invoke(T a, T b) => ScalarMath.Maximum(a, b);
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => Vector256.Max(a, b);
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => Vector512.Max(a, b);
}

internal readonly struct MinimumOp<T> : IBinaryOperator<T> where T : unmanaged, INumber<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T a, T b) => ScalarMath.Minimum(a, b);
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => Vector256.Min(a, b);
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => Vector512.Min(a, b);
}

internal readonly struct EqualOp<T> : IBinaryOperator<T> where T : unmanaged, INumber<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T a, T b) => a == b ? T.One : T.Zero;
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => Vector256.Equals(a, b) & Vector256<T>.One;
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => Vector512.Equals(a, b) & Vector512<T>.One;
}

internal readonly struct NotEqualOp<T> : IBinaryOperator<T> where T : unmanaged, INumber<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T a, T b) => a != b ? T.One : T.Zero;
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => Vector256.AndNot(Vector256<T>.One, Vector256.Equals(a, b));
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => Vector512.AndNot(Vector512<T>.One, Vector512.Equals(a, b));
}

internal readonly struct LessOp<T> : IBinaryOperator<T> where T : unmanaged, INumber<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T a, T b) => a < b ? T.One : T.Zero;
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => Vector256.LessThan(a, b) & Vector256<T>.One;
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => Vector512.LessThan(a, b) & Vector512<T>.One;
}

internal readonly struct LessEqualOp<T> : IBinaryOperator<T> where T : unmanaged, INumber<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T a, T b) => a <= b ? T.One : T.Zero;
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => Vector256.LessThanOrEqual(a, b) & Vector256<T>.One;
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => Vector512.LessThanOrEqual(a, b) & Vector512<T>.One;
}

internal readonly struct GreaterOp<T> : IBinaryOperator<T> where T : unmanaged, INumber<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T a, T b) => a > b ? T.One : T.Zero;
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => Vector256.GreaterThan(a, b) & Vector256<T>.One;
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => Vector512.GreaterThan(a, b) & Vector512<T>.One;
}

internal readonly struct GreaterEqualOp<T> : IBinaryOperator<T> where T : unmanaged, INumber<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T a, T b) => a >= b ? T.One : T.Zero;
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => Vector256.GreaterThanOrEqual(a, b) & Vector256<T>.One;
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => Vector512.GreaterThanOrEqual(a, b) & Vector512<T>.One;
}
