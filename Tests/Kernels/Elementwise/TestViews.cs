using NUnit.Framework;
using Scratch.Tests.Support;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;

namespace Scratch.Tests.Kernels.Elementwise;

/// <summary>Views of various layouts over CPU buffers, filled from and read back as doubles.</summary>
public static class TestViews
{
    /// <summary>A contiguous view of <paramref name="shape"/> holding <paramref name="values"/> converted to <paramref name="dtype"/>.</summary>
    public static BufferView Contiguous(DType dtype, double[] values, params int[] shape)
        => Strided(dtype, values, shape, BufferView.ContiguousStrides(shape), 0);

    /// <summary>
    /// A view whose logical row-major elements are <paramref name="values"/>, laid out with the given
    /// strides (non-negative) after <paramref name="offset"/> unused elements; other elements hold garbage.
    /// </summary>
    public static BufferView Strided(DType dtype, double[] values, int[] shape, long[] strides, long offset)
    {
        long length = offset + 1;
        for (int d = 0; d < shape.Length; d++) length += Math.Max(0, shape[d] - 1) * strides[d];
        if (BufferView.ElementCount(shape) == 0) length = offset;
        var buffer = CpuBackend.Instance.Allocate(dtype, length);
        var raw = new double[length];
        Array.Fill(raw, 12345.0);
        var view = new BufferView(buffer, offset, shape, strides);
        var index = new int[shape.Length];
        for (long i = 0; i < values.Length; i++)
        {
            long at = offset;
            for (int d = 0; d < shape.Length; d++) at += index[d] * strides[d];
            raw[at] = values[i];
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d]) break;
                index[d] = 0;
            }
        }
        Upload(buffer, raw);
        return view;
    }

    /// <summary>
    /// A broadcast view (strides with zeros) over <paramref name="storage"/>, which is stored contiguously
    /// after <paramref name="offset"/> unused elements; the strides index into that storage.
    /// </summary>
    public static BufferView Broadcast(DType dtype, double[] storage, int[] shape, long[] strides, long offset = 0)
    {
        var buffer = CpuBackend.Instance.Allocate(dtype, offset + storage.Length);
        var raw = new double[offset + storage.Length];
        storage.CopyTo(raw, offset);
        Upload(buffer, raw);
        return new BufferView(buffer, offset, shape, strides);
    }

    /// <summary>A [rows, cols] view stored column-major (the transpose of a contiguous [cols, rows]).</summary>
    public static BufferView Transposed(DType dtype, double[] values, int rows, int cols)
        => Strided(dtype, values, [rows, cols], [1, rows], 0);

    /// <summary>The view's elements in row-major order, as doubles.</summary>
    public static double[] Read(BufferView view) => view.DType switch
    {
        DType.Float32 => Array.ConvertAll(Buffers.Read<float>(view), v => (double)v),
        DType.Float64 => Buffers.Read<double>(view),
        DType.Int32 => Array.ConvertAll(Buffers.Read<int>(view), v => (double)v),
        _ => throw new ArgumentOutOfRangeException(nameof(view)),
    };

    /// <summary>An uninitialised contiguous output.</summary>
    public static BufferView Output(DType dtype, params int[] shape) => Buffers.Empty(dtype, shape);

    /// <summary>Values as the dtype stores them (float32 rounding, int32 truncation).</summary>
    public static double[] Rounded(DType dtype, double[] values) => dtype switch
    {
        DType.Float32 => Array.ConvertAll(values, v => (double)(float)v),
        DType.Int32 => Array.ConvertAll(values, v => (double)(int)v),
        _ => (double[])values.Clone(),
    };

    /// <summary>Evenly spread deterministic values in [low, high].</summary>
    public static double[] Range(int count, double low, double high, int seed)
    {
        var noise = Buffers.Noise(count, seed);
        return Array.ConvertAll(noise, v => low + (v + 1) / 2 * (high - low));
    }

    /// <summary>Asserts |actual − expected| ≤ atol + rtol·|expected| elementwise (NaN matches NaN, infinities exactly).</summary>
    public static void AssertClose(double[] actual, double[] expected, double rtol, double atol, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what);
        // Checked in a plain loop (NUnit asserts per element are slow on large arrays); the first mismatch is reported.
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            bool close = double.IsNaN(e) ? double.IsNaN(a)
                : double.IsInfinity(e) ? a == e
                : Math.Abs(a - e) <= atol + rtol * Math.Abs(e);
            if (!close)
                Assert.Fail($"{what} [{i}]: expected {e:R} within {atol + rtol * Math.Abs(e):G3}, got {a:R} (off by {a - e:G3})");
        }
    }

    private static void Upload(DeviceBuffer buffer, double[] raw)
    {
        switch (buffer.DType)
        {
            case DType.Float32: CpuBackend.Instance.Upload<float>(Array.ConvertAll(raw, v => (float)v), buffer, 0); break;
            case DType.Float64: CpuBackend.Instance.Upload<double>(raw, buffer, 0); break;
            case DType.Int32: CpuBackend.Instance.Upload<int>(Array.ConvertAll(raw, v => (int)v), buffer, 0); break;
        }
    }
}
