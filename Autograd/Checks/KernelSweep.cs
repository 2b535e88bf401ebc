using Scratch.Kernels.Gpu;

namespace Scratch.Checks;

/// <summary>
/// Runs every op-registry sample once on a device, in float32 and float64, forward and backward (and on a GPU
/// backend the float32 samples once more with TF32 allowed), so that every kernel the registry can reach is loaded
/// and launched at least once. No values are compared: <see cref="OpChecks"/> does that. Used by
/// <c>scratch gpu-selftest</c> and, with the launches only recorded, by the PTX assembly test to list the kernels.
/// </summary>
public static class KernelSweep
{
    /// <summary>
    /// One result per sample and pass (<c>float32</c>, <c>float64</c>, <c>float32-tf32</c>): passed, or the error it
    /// threw. <paramref name="filter"/> selects samples whose id contains it; <paramref name="tf32"/> adds the TF32 pass on GPU devices.
    /// </summary>
    public static IEnumerable<OpCheckResult> Run(Device device, string? filter = null, bool tf32 = true)
    {
        var gpu = device.Backend as GpuBackend;
        var passes = new List<(string Name, DType DType, bool Tf32)> { ("float32", DType.Float32, false), ("float64", DType.Float64, false) };
        if (gpu is not null && tf32) passes.Add(("float32-tf32", DType.Float32, true));
        foreach (var (name, dtype, useTf32) in passes)
        {
            bool before = gpu?.AllowTf32 ?? false;
            if (gpu is not null) gpu.AllowTf32 = useTf32;
            try
            {
                foreach (var sample in OpRegistry.All)
                {
                    if (filter is not null && !sample.Id.Contains(filter, StringComparison.OrdinalIgnoreCase)) continue;
                    yield return Once(sample, device, dtype, name);
                }
            }
            finally
            {
                if (gpu is not null) gpu.AllowTf32 = before;
            }
        }
    }

    private static OpCheckResult Once(OpSample sample, Device device, DType dtype, string pass)
    {
        try
        {
            var (inputs, _) = sample.MakeInputs(dtype, device);
            var y = sample.Run(inputs);
            if (y.RequiresGrad) y.Backward(new Tensor(NDArray.Ones(y.Data.ShapeArray(), y.DType, device)));
            _ = y.ToArray<double>(); // waits for the queued work, so an error is reported by the sample that caused it
            device.Backend.Synchronize();
            return new(sample.Id, pass, true, "ran");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new(sample.Id, pass, false, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
