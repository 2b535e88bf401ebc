using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scratch.Kernels.Cpu;

/// <summary>Sets every element of a view (any strides) to one value converted to its dtype.</summary>
internal static class FillKernel
{
    public static void Run(BufferView y, double value)
    {
        BackendContract.Fill(y);
        switch (y.DType)
        {
            case DType.Float32: Fill(y, Convert<float>(value)); break;
            case DType.Float64: Fill(y, Convert<double>(value)); break;
            case DType.Int32: Fill(y, Convert<int>(value)); break;
            default: throw new ArgumentException($"fill: unsupported dtype {y.DType}");
        }
    }

    /// <summary>
    /// A host value in an element type, as fills and scalar operands store it: float32 rounds to
    /// nearest, int32 truncates toward zero and saturates (NaN → 0).
    /// </summary>
    public static T Convert<T>(double value) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            float single = (float)value;
            return Unsafe.As<float, T>(ref single);
        }
        if (typeof(T) == typeof(double)) return Unsafe.As<double, T>(ref value);
        if (typeof(T) == typeof(int))
        {
            int integer = CopyKernel.ToInt32(value);
            return Unsafe.As<int, T>(ref integer);
        }
        throw new ArgumentException($"fill: unsupported element type {typeof(T).Name}");
    }

    private static void Fill<T>(BufferView y, T value) where T : unmanaged
    {
        if (y.Count == 0) return;
        var loop = StridedLoop.Create(y);
        loop.Run(new FillRun<T>(CpuViews.Array<T>(y), loop.InnerStride(0), value));
    }

    private readonly struct FillRun<T>(T[] y, long stride, T value) : IRunBody where T : unmanaged
    {
        public void Run(ReadOnlySpan<long> offsets, long n)
            => SimdLoops.Fill(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(y), (nint)offsets[0]), stride, value, n);
    }
}
