using Scratch.Kernels.Cpu;

namespace Scratch.Kernels.Gpu.Kernels;

/// <summary>An element conversion inside a kernel (ILGPU cannot compile the CPU's type tests, so each pair is a struct).</summary>
internal interface IConversion<TFrom, TTo> where TFrom : unmanaged where TTo : unmanaged
{
    TTo Invoke(TFrom value);
}

/// <summary>Float32 → float64: exact.</summary>
internal readonly struct FloatToDouble : IConversion<float, double> { public double Invoke(float value) => value; }

/// <summary>Float64 → float32: rounds to nearest.</summary>
internal readonly struct DoubleToFloat : IConversion<double, float> { public float Invoke(double value) => (float)value; }

/// <summary>Float32 → int32 as the CPU's <see cref="CopyKernel.ToInt32"/>: truncation, saturation, NaN → 0.</summary>
internal readonly struct FloatToInt : IConversion<float, int> { public int Invoke(float value) => CopyKernel.ToInt32(value); }

/// <summary>Float64 → int32 as the CPU's <see cref="CopyKernel.ToInt32"/>.</summary>
internal readonly struct DoubleToInt : IConversion<double, int> { public int Invoke(double value) => CopyKernel.ToInt32(value); }

/// <summary>Int32 → float32: rounds to nearest.</summary>
internal readonly struct IntToFloat : IConversion<int, float> { public float Invoke(int value) => value; }

/// <summary>Int32 → float64: exact.</summary>
internal readonly struct IntToDouble : IConversion<int, double> { public double Invoke(int value) => value; }
