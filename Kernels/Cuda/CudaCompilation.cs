namespace Scratch.Kernels.Cuda;

/// <summary>The result of compiling one CUDA source with NVRTC.</summary>
/// <param name="Ptx">The PTX text (without the terminating NUL).</param>
/// <param name="LoweredNames">For each requested name expression (e.g. <c>unary_contig&lt;float&gt;</c>), the mangled symbol to look up in the loaded module.</param>
/// <param name="Log">NVRTC's program log (warnings; empty when clean).</param>
/// <param name="Architecture">The virtual architecture compiled for, e.g. <c>compute_80</c>.</param>
public sealed record CudaCompilation(string Ptx, IReadOnlyDictionary<string, string> LoweredNames, string Log, string Architecture);
