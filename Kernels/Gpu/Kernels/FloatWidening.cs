namespace Scratch.Kernels.Gpu.Kernels;

/// <summary>
/// Float32/float64 ⇄ float64 inside a kernel, for the primitives whose CPU form accumulates in float64
/// (softmax, batch norm, optimizer updates). <c>double.CreateTruncating&lt;T&gt;</c> tests types at run time,
/// which ILGPU cannot compile, so each element type has its struct.
/// </summary>
internal interface IWiden<T> where T : unmanaged
{
    /// <summary>Exact widening to float64.</summary>
    double Widen(T value);

    /// <summary>Float64 → T, rounding to nearest (as the CPU's <c>T.CreateTruncating(double)</c>).</summary>
    T Narrow(double value);
}

/// <summary><see cref="IWiden{T}"/> for float32.</summary>
internal readonly struct WidenFloat32 : IWiden<float>
{
    public double Widen(float value) => value;
    public float Narrow(double value) => (float)value;
}

/// <summary><see cref="IWiden{T}"/> for float64 (identity).</summary>
internal readonly struct WidenFloat64 : IWiden<double>
{
    public double Widen(double value) => value;
    public double Narrow(double value) => value;
}
