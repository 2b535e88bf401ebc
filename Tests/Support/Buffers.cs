using Scratch.Kernels;
using Scratch.Kernels.Cpu;

namespace Scratch.Tests.Support;

/// <summary>Makes and reads raw backend buffers, for tests of kernels below the Engine.</summary>
public static class Buffers
{
    /// <summary>A contiguous view over a fresh buffer of <paramref name="backend"/> (CPU by default) holding <paramref name="data"/>.</summary>
    public static BufferView Make<T>(T[] data, int[] shape, IBackend? backend = null) where T : unmanaged
    {
        backend ??= CpuBackend.Instance;
        long count = BufferView.ElementCount(shape);
        if (count != data.Length) throw new ArgumentException($"{data.Length} values for shape [{string.Join(", ", shape)}]");
        var buffer = backend.Allocate(DTypeExtensions.Of<T>(), data.Length);
        backend.Upload<T>(data, buffer, 0);
        return BufferView.Contiguous(buffer, shape);
    }

    /// <summary>An uninitialised contiguous view of <paramref name="shape"/>.</summary>
    public static BufferView Empty(DType dtype, int[] shape, IBackend? backend = null)
    {
        backend ??= CpuBackend.Instance;
        return BufferView.Contiguous(backend.Allocate(dtype, BufferView.ElementCount(shape)), shape);
    }

    /// <summary>The view's elements in row-major order, following its strides.</summary>
    public static T[] Read<T>(BufferView view) where T : unmanaged
    {
        var all = new T[view.Buffer.Length];
        view.Buffer.Backend.Download<T>(view.Buffer, 0, all);
        var result = new T[view.Count];
        var index = new int[view.Rank];
        for (long i = 0; i < result.Length; i++)
        {
            long at = view.Offset;
            for (int d = 0; d < view.Rank; d++) at += index[d] * view.Strides[d];
            result[i] = all[at];
            for (int d = view.Rank - 1; d >= 0; d--)
            {
                if (++index[d] < view.Shape[d]) break;
                index[d] = 0;
            }
        }
        return result;
    }

    /// <summary>
    /// A contiguous float32 or float64 view holding <paramref name="values"/> (rounded to float32 for
    /// Float32), of <paramref name="shape"/> or else one dim.
    /// </summary>
    public static BufferView MakeFloating(DType dtype, double[] values, int[]? shape = null)
    {
        shape ??= [values.Length];
        return dtype == DType.Float32 ? Make(values.Select(v => (float)v).ToArray(), shape) : Make(values, shape);
    }

    /// <summary>The elements of a float32, float64 or int32 view as doubles, in row-major order.</summary>
    public static double[] ReadAsDouble(BufferView view) => view.DType switch
    {
        DType.Float32 => Read<float>(view).Select(x => (double)x).ToArray(),
        DType.Float64 => Read<double>(view),
        _ => Read<int>(view).Select(x => (double)x).ToArray(),
    };

    /// <summary><paramref name="values"/> as a view of <paramref name="dtype"/> holds them: rounded to float32 for Float32.</summary>
    public static double[] RoundedTo(DType dtype, double[] values) =>
        dtype == DType.Float32 ? values.Select(v => (double)(float)v).ToArray() : values;

    /// <summary><paramref name="count"/> deterministic pseudo-random indices in [0, <paramref name="bound"/>).</summary>
    public static int[] RandomIndices(int count, int bound, int seed)
    {
        var rng = new System.Random(seed);
        return Enumerable.Range(0, count).Select(_ => rng.Next(bound)).ToArray();
    }

    /// <summary>Deterministic pseudo-random values in [-1, 1) for test inputs (not the Philox generator under test).</summary>
    public static double[] Noise(int count, int seed)
    {
        var rng = new System.Random(seed);
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = rng.NextDouble() * 2 - 1;
        return values;
    }
}
