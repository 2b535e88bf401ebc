namespace Scratch.Kernels.Cuda;

/// <summary>Facts about a CUDA device, as the driver reports them.</summary>
/// <param name="Ordinal">Device number (as in <c>cuda:0</c>).</param>
/// <param name="Name">Marketing name, e.g. <c>NVIDIA H100 80GB HBM3</c>.</param>
/// <param name="ComputeCapabilityMajor">SM major version (9 for Hopper).</param>
/// <param name="ComputeCapabilityMinor">SM minor version.</param>
/// <param name="MultiprocessorCount">Number of SMs.</param>
/// <param name="TotalMemory">Device memory in bytes.</param>
/// <param name="Architecture">The NVRTC target kernels are compiled for, e.g. <c>compute_90</c>.</param>
public sealed record CudaDeviceInfo(int Ordinal, string Name, int ComputeCapabilityMajor, int ComputeCapabilityMinor,
    int MultiprocessorCount, long TotalMemory, string Architecture)
{
    /// <inheritdoc/>
    public override string ToString()
        => $"cuda:{Ordinal} {Name} (sm_{ComputeCapabilityMajor}{ComputeCapabilityMinor}, {MultiprocessorCount} SMs, {TotalMemory / (1L << 30)} GiB, kernels for {Architecture})";
}
