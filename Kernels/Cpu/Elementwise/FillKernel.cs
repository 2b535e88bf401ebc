namespace Scratch.Kernels.Cpu;

/// <summary>Sets every element of a view (any strides) to one value converted to its dtype.</summary>
internal static class FillKernel
{
    public static void Run(BufferView y, double value)
    {
        ViewChecks.InBounds("fill", y, "y");
        switch (y.DType)
        {
            case DType.Float32: Fill(y, (float)value); break;
            case DType.Float64: Fill(y, value); break;
            case DType.Int32: Fill(y, CopyKernel.ToInt32(value)); break;
            default: throw new ArgumentException($"fill: unsupported dtype {y.DType}");
        }
    }

    private static void Fill<T>(BufferView y, T value) where T : unmanaged
    {
        if (y.Count == 0) return;
        var loop = StridedLoop.Create(y);
        loop.Run(new FillRun<T>(ViewChecks.Array<T>(y), loop.InnerStride(0), value));
    }

    private readonly struct FillRun<T>(T[] y, long stride, T value) : IRunBody where T : unmanaged
    {
        public void Run(ReadOnlySpan<long> offsets, long n)
            => SimdLoops.Fill(ref System.Runtime.CompilerServices.Unsafe.Add(
                ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(y), (nint)offsets[0]), stride, value, n);
    }
}
