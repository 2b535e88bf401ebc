using Scratch.Kernels.Cuda.Runtime;
using static Scratch.Kernels.Cuda.Ops.ViewChecks;

namespace Scratch.Kernels.Cuda.Ops;

/// <summary>
/// Launchers of the elementwise primitives (fill, copy, unary, binary, binary with a scalar, where). Views are first
/// coalesced (<see cref="CoalescedLayout"/>); when every operand is then contiguous (or a broadcast
/// scalar) a flat kernel runs, otherwise the strided kernel, with 32-bit index arithmetic when the
/// element count allows.
/// </summary>
internal static class ElementwiseOps
{
    private const int Block = 256;

    public static LaunchShape Linear(IKernelHost backend, long count)
        => LaunchShape.Linear(backend.GridFor(count, Block), Block);

    public static void Fill(IKernelHost backend, BufferView y, double value)
    {
        long n = y.Count;
        if (n == 0) return;
        var layout = CoalescedLayout.Create(y.Shape, y.Strides);
        if (layout.IsUnitStride(0) && TryMemset(backend, y, n, value)) return;
        string type = KernelName.CppType(y.DType);
        var args = new KernelArguments();
        args.Add(backend.Address(y));
        if (layout.IsUnitStride(0))
        {
            args.Add(n);
            AddScalar(ref args, y.DType, value);
            backend.Launch(KernelCatalog.FillCopy, KernelName.Of("fill_contig", type), Linear(backend, n), ref args);
            return;
        }
        args.Add(layout.KernelStrides(0));
        args.Add(layout.KernelShape);
        args.Add(n);
        AddScalar(ref args, y.DType, value);
        backend.Launch(KernelCatalog.FillCopy, KernelName.Of("fill_strided", type, KernelName.IndexType(layout.FitsUInt32)),
            Linear(backend, n), ref args);
    }

    public static void Copy(IKernelHost backend, BufferView x, BufferView y)
    {
        SameShape("copy", x, "x", y, "y");
        long n = y.Count;
        if (n == 0) return;
        bool sameView = ReferenceEquals(x.Buffer, y.Buffer) && x.Offset == y.Offset && x.Strides.AsSpan().SequenceEqual(y.Strides);
        if (sameView && x.DType == y.DType) return;
        var layout = CoalescedLayout.Create(y.Shape, x.Strides, y.Strides);
        if (layout.IsUnitStride(0) && layout.IsUnitStride(1))
        {
            if (x.DType == y.DType)
            {
                
                backend.CopyDeviceToDevice(backend.Address(y), backend.Address(x), n * x.DType.SizeInBytes());
                return;
            }
            var flat = new KernelArguments();
            flat.Add(backend.Address(x));
            flat.Add(backend.Address(y));
            flat.Add(n);
            backend.Launch(KernelCatalog.FillCopy, KernelName.Of("copy_contig", KernelName.CppType(x.DType), KernelName.CppType(y.DType)),
                Linear(backend, n), ref flat);
            return;
        }
        var args = new KernelArguments();
        args.Add(backend.Address(x));
        args.Add(layout.KernelStrides(0));
        args.Add(backend.Address(y));
        args.Add(layout.KernelStrides(1));
        args.Add(layout.KernelShape);
        args.Add(n);
        backend.Launch(KernelCatalog.FillCopy,
            KernelName.Of("copy_strided", KernelName.CppType(x.DType), KernelName.CppType(y.DType), KernelName.IndexType(layout.FitsUInt32)),
            Linear(backend, n), ref args);
    }

    public static void Unary(IKernelHost backend, UnaryOp op, BufferView x, BufferView y, double alpha, double beta)
    {
        string name = $"unary {op}";
        SameShape(name, x, "x", y, "y");
        SameDType(name, x, "x", y, "y");
        if (x.DType == DType.Int32 && op is not (UnaryOp.Neg or UnaryOp.Abs or UnaryOp.Sign or UnaryOp.Square or UnaryOp.Clamp))
            throw new NotSupportedException($"{name}: not defined for int32 (only Neg, Abs, Sign, Square and Clamp are)");
        long n = y.Count;
        if (n == 0) return;
        if (x.DType == DType.Int32 && op == UnaryOp.Clamp)
        {
            // For integers min(max(x, alpha), beta) clamps to [ceil(alpha), floor(beta)]; a NaN bound is no bound (as the CPU backend).
            alpha = double.IsNaN(alpha) ? int.MinValue : Math.Clamp(Math.Ceiling(alpha), int.MinValue, int.MaxValue);
            beta = double.IsNaN(beta) ? int.MaxValue : Math.Clamp(Math.Floor(beta), int.MinValue, int.MaxValue);
        }
        var layout = CoalescedLayout.Create(y.Shape, x.Strides, y.Strides);
        string type = KernelName.CppType(x.DType);
        var args = new KernelArguments();
        args.Add((int)op);
        if (layout.IsUnitStride(0) && layout.IsUnitStride(1))
        {
            args.Add(backend.Address(x));
            args.Add(backend.Address(y));
            args.Add(n);
            args.Add(alpha);
            args.Add(beta);
            backend.Launch(KernelCatalog.Unary, KernelName.Of("unary_contig", type), Linear(backend, n), ref args);
            return;
        }
        args.Add(backend.Address(x));
        args.Add(layout.KernelStrides(0));
        args.Add(backend.Address(y));
        args.Add(layout.KernelStrides(1));
        args.Add(layout.KernelShape);
        args.Add(n);
        args.Add(alpha);
        args.Add(beta);
        backend.Launch(KernelCatalog.Unary, KernelName.Of("unary_strided", type, KernelName.IndexType(layout.FitsUInt32)),
            Linear(backend, n), ref args);
    }

    public static void UnaryBackward(IKernelHost backend, UnaryOp op, BufferView x, BufferView gy, BufferView gx, double alpha, double beta)
    {
        string name = $"unary backward {op}";
        SameShape(name, x, "x", gy, "gy");
        SameShape(name, x, "x", gx, "gx");
        SameDType(name, x, "x", gy, "gy");
        SameDType(name, x, "x", gx, "gx");
        Floating(name, x, "x");
        long n = x.Count;
        if (n == 0) return;
        var layout = CoalescedLayout.Create(x.Shape, x.Strides, gy.Strides, gx.Strides);
        string type = KernelName.CppType(x.DType);
        var args = new KernelArguments();
        args.Add((int)op);
        if (layout.IsUnitStride(0) && layout.IsUnitStride(1) && layout.IsUnitStride(2))
        {
            args.Add(backend.Address(x));
            args.Add(backend.Address(gy));
            args.Add(backend.Address(gx));
            args.Add(n);
            args.Add(alpha);
            args.Add(beta);
            backend.Launch(KernelCatalog.Unary, KernelName.Of("unary_backward_contig", type), Linear(backend, n), ref args);
            return;
        }
        args.Add(backend.Address(x));
        args.Add(layout.KernelStrides(0));
        args.Add(backend.Address(gy));
        args.Add(layout.KernelStrides(1));
        args.Add(backend.Address(gx));
        args.Add(layout.KernelStrides(2));
        args.Add(layout.KernelShape);
        args.Add(n);
        args.Add(alpha);
        args.Add(beta);
        backend.Launch(KernelCatalog.Unary, KernelName.Of("unary_backward_strided", type, KernelName.IndexType(layout.FitsUInt32)),
            Linear(backend, n), ref args);
    }

    public static void Binary(IKernelHost backend, BinaryOp op, BufferView a, BufferView b, BufferView y)
    {
        string name = $"binary {op}";
        SameShape(name, a, "a", b, "b");
        SameShape(name, a, "a", y, "y");
        SameDType(name, a, "a", b, "b");
        SameDType(name, a, "a", y, "y");
        if (op == BinaryOp.Pow && a.DType == DType.Int32)
            throw new NotSupportedException($"{name}: not defined for int32");
        long n = y.Count;
        if (n == 0) return;
        var layout = CoalescedLayout.Create(y.Shape, a.Strides, b.Strides, y.Strides);
        string type = KernelName.CppType(y.DType);
        var args = new KernelArguments();
        args.Add((int)op);
        bool aFlat = layout.IsUnitStride(0) || layout.IsBroadcastScalar(0);
        bool bFlat = layout.IsUnitStride(1) || layout.IsBroadcastScalar(1);
        if (layout.IsUnitStride(2) && aFlat && bFlat)
        {
            args.Add(backend.Address(a));
            args.Add(layout.IsUnitStride(0) ? 1 : 0);
            args.Add(backend.Address(b));
            args.Add(layout.IsUnitStride(1) ? 1 : 0);
            args.Add(backend.Address(y));
            args.Add(n);
            args.Add(backend.ErrorWord);
            backend.Launch(KernelCatalog.Binary, KernelName.Of("binary_contig", type), Linear(backend, n), ref args);
            return;
        }
        args.Add(backend.Address(a));
        args.Add(layout.KernelStrides(0));
        args.Add(backend.Address(b));
        args.Add(layout.KernelStrides(1));
        args.Add(backend.Address(y));
        args.Add(layout.KernelStrides(2));
        args.Add(layout.KernelShape);
        args.Add(n);
        args.Add(backend.ErrorWord);
        backend.Launch(KernelCatalog.Binary, KernelName.Of("binary_strided", type, KernelName.IndexType(layout.FitsUInt32)),
            Linear(backend, n), ref args);
    }

    public static void BinaryScalar(IKernelHost backend, BinaryOp op, BufferView a, double scalar, bool scalarFirst, BufferView y)
    {
        string name = $"binary scalar {op}";
        SameShape(name, a, "a", y, "y");
        SameDType(name, a, "a", y, "y");
        if (op == BinaryOp.Pow && a.DType == DType.Int32)
            throw new NotSupportedException($"{name}: not defined for int32");
        long n = y.Count;
        if (n == 0) return;
        // As the CPU backend: a zero int32 divisor fails at the call, not at the next synchronisation.
        if (op == BinaryOp.Div && a.DType == DType.Int32 && !scalarFirst && (int)scalar == 0)
            throw new DivideByZeroException($"{name}: int32 [{string.Join(", ", a.Shape)}] divided by the scalar {scalar} (0 as int32)");
        var layout = CoalescedLayout.Create(y.Shape, a.Strides, y.Strides);
        string type = KernelName.CppType(y.DType);
        var args = new KernelArguments();
        args.Add((int)op);
        args.Add(backend.Address(a));
        if (layout.IsUnitStride(0) && layout.IsUnitStride(1))
        {
            AddScalar(ref args, a.DType, scalar);
            args.Add(scalarFirst ? 1 : 0);
            args.Add(backend.Address(y));
            args.Add(n);
            args.Add(backend.ErrorWord);
            backend.Launch(KernelCatalog.Binary, KernelName.Of("binary_scalar_contig", type), Linear(backend, n), ref args);
            return;
        }
        args.Add(layout.KernelStrides(0));
        AddScalar(ref args, a.DType, scalar);
        args.Add(scalarFirst ? 1 : 0);
        args.Add(backend.Address(y));
        args.Add(layout.KernelStrides(1));
        args.Add(layout.KernelShape);
        args.Add(n);
        args.Add(backend.ErrorWord);
        backend.Launch(KernelCatalog.Binary, KernelName.Of("binary_scalar_strided", type, KernelName.IndexType(layout.FitsUInt32)),
            Linear(backend, n), ref args);
    }

    public static void Where(IKernelHost backend, BufferView condition, BufferView a, BufferView b, BufferView y)
    {
        SameShape("where", y, "y", condition, "condition");
        SameShape("where", y, "y", a, "a");
        SameShape("where", y, "y", b, "b");
        SameDType("where", y, "y", a, "a");
        SameDType("where", y, "y", b, "b");
        long n = y.Count;
        if (n == 0) return;
        var layout = CoalescedLayout.Create(y.Shape, condition.Strides, a.Strides, b.Strides, y.Strides);
        var args = new KernelArguments();
        args.Add(backend.Address(condition));
        args.Add(layout.KernelStrides(0));
        args.Add(backend.Address(a));
        args.Add(layout.KernelStrides(1));
        args.Add(backend.Address(b));
        args.Add(layout.KernelStrides(2));
        args.Add(backend.Address(y));
        args.Add(layout.KernelStrides(3));
        args.Add(layout.KernelShape);
        args.Add(n);
        backend.Launch(KernelCatalog.Binary,
            KernelName.Of("where_strided", KernelName.CppType(condition.DType), KernelName.CppType(y.DType), KernelName.IndexType(layout.FitsUInt32)),
            Linear(backend, n), ref args);
    }

    /// <summary>Adds <paramref name="value"/> converted to <paramref name="dtype"/> (float → int truncates, saturating, as C#).</summary>
    public static void AddScalar(ref KernelArguments args, DType dtype, double value)
    {
        switch (dtype)
        {
            case DType.Float32: args.Add((float)value); break;
            case DType.Float64: args.Add(value); break;
            case DType.Int32: args.Add((int)value); break;
            default: throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype");
        }
    }

    // A contiguous fill whose bytes repeat every 32 bits is a memset (zeroing, mostly).
    private static bool TryMemset(IKernelHost backend, BufferView y, long n, double value)
    {
        uint pattern;
        long words;
        switch (y.DType)
        {
            case DType.Float32: pattern = BitConverter.SingleToUInt32Bits((float)value); words = n; break;
            case DType.Int32: pattern = unchecked((uint)(int)value); words = n; break;
            case DType.Float64:
                ulong bits = BitConverter.DoubleToUInt64Bits(value);
                if ((uint)bits != (uint)(bits >> 32)) return false;
                pattern = (uint)bits;
                words = 2 * n;
                break;
            default: return false;
        }
        
        backend.Memset32(backend.Address(y), pattern, words);
        return true;
    }
}
