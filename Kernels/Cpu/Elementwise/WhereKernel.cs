using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>y = condition ≠ 0 ? a : b; the condition may have any dtype (NaN counts as true).</summary>
internal static class WhereKernel
{
    public static void Run(BufferView condition, BufferView a, BufferView b, BufferView y)
    {
        const string name = "where";
        BackendContract.Where(condition, a, b, y);
        if (y.Count == 0) return;
        switch (condition.DType)
        {
            case DType.Float32: WithCondition<float>(condition, a, b, y); break;
            case DType.Float64: WithCondition<double>(condition, a, b, y); break;
            case DType.Int32: WithCondition<int>(condition, a, b, y); break;
            default: throw new ArgumentException($"{name}: unsupported condition dtype {condition.DType}");
        }
    }

    private static void WithCondition<TC>(BufferView condition, BufferView a, BufferView b, BufferView y) where TC : unmanaged, INumber<TC>
    {
        switch (a.DType)
        {
            case DType.Float32: Select<TC, float>(condition, a, b, y); break;
            case DType.Float64: Select<TC, double>(condition, a, b, y); break;
            case DType.Int32: Select<TC, int>(condition, a, b, y); break;
            default: throw new ArgumentException($"where: unsupported dtype {a.DType}");
        }
    }

    private static void Select<TC, T>(BufferView condition, BufferView a, BufferView b, BufferView y)
        where TC : unmanaged, INumber<TC> where T : unmanaged
    {
        var loop = StridedLoop.Create(y, condition, a, b);
        loop.Run(new SelectRun<TC, T>(CpuViews.Array<TC>(condition), CpuViews.Array<T>(a), CpuViews.Array<T>(b), CpuViews.Array<T>(y),
            loop.InnerStride(1), loop.InnerStride(2), loop.InnerStride(3), loop.InnerStride(0)));
    }

    private static ref T At<T>(T[] array, long offset) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), (nint)offset);

    private readonly struct SelectRun<TC, T>(TC[] c, T[] a, T[] b, T[] y, long cStride, long aStride, long bStride, long yStride) : IRunBody
        where TC : unmanaged, INumber<TC> where T : unmanaged
    {
        public void Run(ReadOnlySpan<long> offsets, long n)
        {
            ref T py = ref At(y, offsets[0]);
            ref TC pc = ref At(c, offsets[1]);
            ref T pa = ref At(a, offsets[2]);
            ref T pb = ref At(b, offsets[3]);
            nint i = 0;
            // Same-width condition and values: the comparison mask selects lanes directly.
            if (Unsafe.SizeOf<TC>() == Unsafe.SizeOf<T>() && cStride == 1 && aStride == 1 && bStride == 1 && yStride == 1)
            {
                if (SimdLoops.Use512<T>())
                {
                    for (; i <= (nint)n - Vector512<T>.Count; i += Vector512<T>.Count)
                    {
                        var isFalse = Vector512.Equals(Vector512.LoadUnsafe(ref pc, (nuint)i), Vector512<TC>.Zero).As<TC, T>();
                        Vector512.ConditionalSelect(isFalse, Vector512.LoadUnsafe(ref pb, (nuint)i), Vector512.LoadUnsafe(ref pa, (nuint)i))
                            .StoreUnsafe(ref py, (nuint)i);
                    }
                }
                else if (SimdLoops.Use256<T>())
                {
                    for (; i <= (nint)n - Vector256<T>.Count; i += Vector256<T>.Count)
                    {
                        var isFalse = Vector256.Equals(Vector256.LoadUnsafe(ref pc, (nuint)i), Vector256<TC>.Zero).As<TC, T>();
                        Vector256.ConditionalSelect(isFalse, Vector256.LoadUnsafe(ref pb, (nuint)i), Vector256.LoadUnsafe(ref pa, (nuint)i))
                            .StoreUnsafe(ref py, (nuint)i);
                    }
                }
            }
            for (; i < (nint)n; i++)
            {
                bool condition = Unsafe.Add(ref pc, (nint)(i * cStride)) != TC.Zero;
                Unsafe.Add(ref py, (nint)(i * yStride)) = condition ? Unsafe.Add(ref pa, (nint)(i * aStride)) : Unsafe.Add(ref pb, (nint)(i * bStride));
            }
        }
    }
}
