using Scratch.Kernels;

namespace Scratch;

public sealed partial class NDArray
{
    /// <summary>An array filled with <paramref name="value"/>.</summary>
    public static NDArray Full(int[] shape, double value, DType dtype = DType.Float32, Device? device = null)
    {
        var result = Empty(shape, dtype, device ?? Device.Cpu);
        if (result.Count > 0) result.Backend.Fill(result.KernelView, value);
        return result;
    }

    /// <summary>An array of zeros.</summary>
    public static NDArray Zeros(int[] shape, DType dtype = DType.Float32, Device? device = null) => Full(shape, 0, dtype, device);

    /// <summary>An array of ones.</summary>
    public static NDArray Ones(int[] shape, DType dtype = DType.Float32, Device? device = null) => Full(shape, 1, dtype, device);

    /// <summary>Zeros with this array's shape, dtype and device.</summary>
    public NDArray ZerosLike() => Full(_shape, 0, DType, Device);

    /// <summary>Ones with this array's shape, dtype and device.</summary>
    public NDArray OnesLike() => Full(_shape, 1, DType, Device);

    /// <summary>A 0-dimensional array holding <paramref name="value"/>.</summary>
    public static NDArray Scalar(double value, DType dtype = DType.Float32, Device? device = null) => Full([], value, dtype, device);

    /// <summary>An array holding <paramref name="data"/> (row-major) with the given shape (default: 1-D).</summary>
    public static NDArray FromArray<T>(T[] data, int[]? shape = null, Device? device = null) where T : unmanaged
    {
        shape ??= [data.Length];
        Shapes.CheckNonNegative("from_array", shape);
        if (Shapes.Count(shape) != data.Length)
            throw new ArgumentException($"from_array: {data.Length} values cannot fill shape {Shapes.Format(shape)} ({Shapes.Count(shape)} elements)");
        var result = Empty(shape, DTypeExtensions.Of<T>(), device ?? Device.Cpu);
        if (data.Length > 0) result.Backend.Upload<T>(data, result.Buffer, 0);
        return result;
    }

    /// <summary>A 2-D array holding <paramref name="data"/>.</summary>
    public static NDArray FromArray<T>(T[,] data, Device? device = null) where T : unmanaged
    {
        int rows = data.GetLength(0), cols = data.GetLength(1);
        var flat = new T[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                flat[i * cols + j] = data[i, j];
        return FromArray(flat, [rows, cols], device);
    }

    /// <summary>Values start, start + step, … below end (like <c>torch.arange</c>).</summary>
    public static NDArray Arange(double start, double end, double step = 1, DType dtype = DType.Float32, Device? device = null)
    {
        if (step == 0) throw new ArgumentException("arange: step must not be zero");
        long n = Math.Max(0, (long)Math.Ceiling((end - start) / step));
        var values = new double[n];
        for (long i = 0; i < n; i++) values[i] = start + i * step;
        return FromArray(values, [(int)n]).To(dtype).To(device ?? Device.Cpu);
    }

    /// <summary>Integers 0 … end − 1.</summary>
    public static NDArray Arange(int end, DType dtype = DType.Float32, Device? device = null) => Arange(0, end, 1, dtype, device);

    /// <summary><paramref name="count"/> evenly spaced values from start to end inclusive.</summary>
    public static NDArray Linspace(double start, double end, int count, DType dtype = DType.Float32, Device? device = null)
    {
        if (count < 0) throw new ArgumentException($"linspace: count must be >= 0, got {count}");
        var values = new double[count];
        for (int i = 0; i < count; i++)
            values[i] = count == 1 ? start : start + (end - start) * i / (count - 1);
        return FromArray(values, [count]).To(dtype).To(device ?? Device.Cpu);
    }

    /// <summary>The n×m identity (m defaults to n).</summary>
    public static NDArray Eye(int n, int? m = null, DType dtype = DType.Float32, Device? device = null)
    {
        int cols = m ?? n;
        var values = new double[n * cols];
        for (int i = 0; i < Math.Min(n, cols); i++) values[i * cols + i] = 1;
        return FromArray(values, [n, cols]).To(dtype).To(device ?? Device.Cpu);
    }

    /// <summary>This array with dtype <paramref name="dtype"/> (itself when it already has it, unless <paramref name="forceCopy"/>).</summary>
    public NDArray To(DType dtype, bool forceCopy = false)
    {
        if (dtype == DType && !forceCopy) return this;
        var result = EmptyLike(dtype: dtype);
        if (Count > 0) Backend.Copy(KernelView, result.KernelView);
        return result;
    }

    /// <summary>This array on <paramref name="device"/> (itself when it is already there).</summary>
    public NDArray To(Device device)
    {
        if (device == Device) return this;
        var source = Contiguous();
        var result = Empty(_shape, DType, device);
        if (Count == 0) return result;
        // Host staging: download from one backend, upload to the other.
        switch (DType)
        {
            case DType.Float32: Transfer<float>(source, result); break;
            case DType.Float64: Transfer<double>(source, result); break;
            default: Transfer<int>(source, result); break;
        }
        return result;
    }

    private static void Transfer<T>(NDArray source, NDArray destination) where T : unmanaged
    {
        var host = new T[source.Count];
        source.Backend.Download<T>(source.Buffer, source.Offset, host);
        destination.Backend.Upload<T>(host, destination.Buffer, destination.Offset);
    }

    /// <summary>A contiguous copy (always a new array).</summary>
    public NDArray Clone() => To(DType, forceCopy: true);

    /// <summary>This array when contiguous, else a contiguous copy.</summary>
    public NDArray Contiguous() => IsContiguous ? this : Clone();
}
