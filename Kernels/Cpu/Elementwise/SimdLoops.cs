using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// SIMD inner loops over contiguous runs: Vector512 where the hardware has it, else Vector256.
/// The last partial vector is computed as a zero-padded whole vector, so every element of a run goes
/// through the same (vector) code and results do not depend on where parallel chunks split a run.
/// </summary>
internal static class SimdLoops
{
    /// <summary>True when runs of <typeparamref name="T"/> use Vector512.</summary>
    public static bool Use512<T>() => Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported;

    /// <summary>True when runs of <typeparamref name="T"/> use Vector256 (no Vector512).</summary>
    public static bool Use256<T>() => !Use512<T>() && Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported;

    /// <summary>y[i] = op(x[i]) for i in [0, n); y may be x.</summary>
    public static void Map<T, TOp>(in TOp op, ref T x, ref T y, nint n) where T : unmanaged where TOp : struct, IUnaryOperator<T>
    {
        nint i = 0;
        if (TOp.IsVectorizable && Use512<T>())
        {
            nint w = Vector512<T>.Count;
            for (; i <= n - w; i += w)
                op.Invoke(Vector512.LoadUnsafe(ref x, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
            if (i < n)
                Store(op.Invoke(Load512(ref Unsafe.Add(ref x, i), n - i)), ref Unsafe.Add(ref y, i), n - i);
            return;
        }
        if (TOp.IsVectorizable && Use256<T>())
        {
            nint w = Vector256<T>.Count;
            for (; i <= n - w; i += w)
                op.Invoke(Vector256.LoadUnsafe(ref x, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
            if (i < n)
                Store(op.Invoke(Load256(ref Unsafe.Add(ref x, i), n - i)), ref Unsafe.Add(ref y, i), n - i);
            return;
        }
        for (; i < n; i++) Unsafe.Add(ref y, i) = op.Invoke(Unsafe.Add(ref x, i));
    }

    /// <summary>y[i] = op(a[i], b[i]) for i in [0, n); y may be a or b.</summary>
    public static void Map<T, TOp>(in TOp op, ref T a, ref T b, ref T y, nint n) where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        nint i = 0;
        if (TOp.IsVectorizable && Use512<T>())
        {
            nint w = Vector512<T>.Count;
            for (; i <= n - w; i += w)
                op.Invoke(Vector512.LoadUnsafe(ref a, (nuint)i), Vector512.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
            if (i < n)
                Store(op.Invoke(Load512(ref Unsafe.Add(ref a, i), n - i), Load512(ref Unsafe.Add(ref b, i), n - i)), ref Unsafe.Add(ref y, i), n - i);
            return;
        }
        if (TOp.IsVectorizable && Use256<T>())
        {
            nint w = Vector256<T>.Count;
            for (; i <= n - w; i += w)
                op.Invoke(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
            if (i < n)
                Store(op.Invoke(Load256(ref Unsafe.Add(ref a, i), n - i), Load256(ref Unsafe.Add(ref b, i), n - i)), ref Unsafe.Add(ref y, i), n - i);
            return;
        }
        for (; i < n; i++) Unsafe.Add(ref y, i) = op.Invoke(Unsafe.Add(ref a, i), Unsafe.Add(ref b, i));
    }

    /// <summary>y[i] = op(a[i], b) for i in [0, n): the second operand is one broadcast value.</summary>
    public static void MapScalarRight<T, TOp>(in TOp op, ref T a, T b, ref T y, nint n) where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        nint i = 0;
        if (TOp.IsVectorizable && Use512<T>())
        {
            nint w = Vector512<T>.Count;
            var vb = Vector512.Create(b);
            for (; i <= n - w; i += w)
                op.Invoke(Vector512.LoadUnsafe(ref a, (nuint)i), vb).StoreUnsafe(ref y, (nuint)i);
            if (i < n)
                Store(op.Invoke(Load512(ref Unsafe.Add(ref a, i), n - i), vb), ref Unsafe.Add(ref y, i), n - i);
            return;
        }
        if (TOp.IsVectorizable && Use256<T>())
        {
            nint w = Vector256<T>.Count;
            var vb = Vector256.Create(b);
            for (; i <= n - w; i += w)
                op.Invoke(Vector256.LoadUnsafe(ref a, (nuint)i), vb).StoreUnsafe(ref y, (nuint)i);
            if (i < n)
                Store(op.Invoke(Load256(ref Unsafe.Add(ref a, i), n - i), vb), ref Unsafe.Add(ref y, i), n - i);
            return;
        }
        for (; i < n; i++) Unsafe.Add(ref y, i) = op.Invoke(Unsafe.Add(ref a, i), b);
    }

    /// <summary>y[i] = op(a, b[i]) for i in [0, n): the first operand is one broadcast value.</summary>
    public static void MapScalarLeft<T, TOp>(in TOp op, T a, ref T b, ref T y, nint n) where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        nint i = 0;
        if (TOp.IsVectorizable && Use512<T>())
        {
            nint w = Vector512<T>.Count;
            var va = Vector512.Create(a);
            for (; i <= n - w; i += w)
                op.Invoke(va, Vector512.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
            if (i < n)
                Store(op.Invoke(va, Load512(ref Unsafe.Add(ref b, i), n - i)), ref Unsafe.Add(ref y, i), n - i);
            return;
        }
        if (TOp.IsVectorizable && Use256<T>())
        {
            nint w = Vector256<T>.Count;
            var va = Vector256.Create(a);
            for (; i <= n - w; i += w)
                op.Invoke(va, Vector256.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
            if (i < n)
                Store(op.Invoke(va, Load256(ref Unsafe.Add(ref b, i), n - i)), ref Unsafe.Add(ref y, i), n - i);
            return;
        }
        for (; i < n; i++) Unsafe.Add(ref y, i) = op.Invoke(a, Unsafe.Add(ref b, i));
    }

    /// <summary>y[i·stride] = value for i in [0, n).</summary>
    public static void Fill<T>(ref T y, long stride, T value, long n) where T : unmanaged
    {
        if (stride == 1)
        {
            // Span.Fill is vectorised; runs longer than int.MaxValue are filled in pieces.
            for (long done = 0; done < n;)
            {
                int part = (int)Math.Min(n - done, int.MaxValue);
                System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref Unsafe.Add(ref y, (nint)done), part).Fill(value);
                done += part;
            }
            return;
        }
        for (long i = 0; i < n; i++) Unsafe.Add(ref y, (nint)(i * stride)) = value;
    }

    /// <summary>The first <paramref name="count"/> (&lt; a vector) elements at <paramref name="source"/>, zero-padded.</summary>
    public static Vector512<T> Load512<T>(ref T source, nint count) where T : unmanaged
    {
        Vector512<T> v = default;
        ref T lanes = ref Unsafe.As<Vector512<T>, T>(ref v);
        for (nint j = 0; j < count; j++) Unsafe.Add(ref lanes, j) = Unsafe.Add(ref source, j);
        return v;
    }

    /// <summary>The first <paramref name="count"/> (&lt; a vector) elements at <paramref name="source"/>, zero-padded.</summary>
    public static Vector256<T> Load256<T>(ref T source, nint count) where T : unmanaged
    {
        Vector256<T> v = default;
        ref T lanes = ref Unsafe.As<Vector256<T>, T>(ref v);
        for (nint j = 0; j < count; j++) Unsafe.Add(ref lanes, j) = Unsafe.Add(ref source, j);
        return v;
    }

    /// <summary>Stores the first <paramref name="count"/> lanes of <paramref name="v"/>.</summary>
    public static void Store<T>(Vector512<T> v, ref T destination, nint count) where T : unmanaged
    {
        ref T lanes = ref Unsafe.As<Vector512<T>, T>(ref v);
        for (nint j = 0; j < count; j++) Unsafe.Add(ref destination, j) = Unsafe.Add(ref lanes, j);
    }

    /// <summary>Stores the first <paramref name="count"/> lanes of <paramref name="v"/>.</summary>
    public static void Store<T>(Vector256<T> v, ref T destination, nint count) where T : unmanaged
    {
        ref T lanes = ref Unsafe.As<Vector256<T>, T>(ref v);
        for (nint j = 0; j < count; j++) Unsafe.Add(ref destination, j) = Unsafe.Add(ref lanes, j);
    }
}
