using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace Scratch.Kernels.Gpu.Diagnostics;

/// <summary>What ptxas reported for one kernel: registers per thread, spills, stack frame and static shared memory.</summary>
/// <param name="Kernel">The instantiation's name (<see cref="KernelInventory.Describe"/>).</param>
/// <param name="Registers">Registers per thread.</param>
/// <param name="SpillStores">Bytes of spill stores.</param>
/// <param name="SpillLoads">Bytes of spill loads.</param>
/// <param name="StackFrame">Bytes of stack frame (local memory).</param>
/// <param name="SharedMemory">Bytes of static shared memory.</param>
public sealed record PtxasKernelReport(string Kernel, int Registers, int SpillStores, int SpillLoads, int StackFrame, int SharedMemory)
{
    /// <summary>True when ptxas spilled registers to local memory.</summary>
    public bool Spills => SpillStores > 0 || SpillLoads > 0;
}

/// <summary>
/// PTX of the GPU kernels for sm_90 without a GPU (ILGPU's <see cref="PTXBackend"/>, PTX ISA 7.8: the newest that CUDA
/// 11.8's ptxas reads), and their assembly by NVIDIA's ptxas, whose <c>-v</c> report gives registers, spills and shared
/// memory per kernel. The context is configured as <see cref="GpuRuntime"/>'s is on a GPU machine (CUDA, algorithms, O2).
/// </summary>
public sealed class PtxAssembly : IDisposable
{
    /// <summary>The variable naming the ptxas executable (.ci/run sets it after unpacking Debian's nvidia-cuda-toolkit).</summary>
    public const string PtxasVariable = "SCRATCH_PTXAS";

    /// <summary>The architecture compiled for.</summary>
    public const string Architecture = "sm_90";

    private readonly Context _context;
    private readonly PTXBackend _backend;
    private readonly object _gate = new();

    /// <summary>A context and PTX backend for sm_90.</summary>
    public PtxAssembly()
    {
        _context = Context.Create(builder => builder.Cuda().CPU().EnableAlgorithms().Optimize(OptimizationLevel.O2));
        _backend = new PTXBackend(_context, new CudaCapabilityContext(CudaArchitecture.SM_90), CudaArchitecture.SM_90, CudaInstructionSet.ISA_78, null);
    }

    /// <summary>The PTX of the explicitly grouped kernel <paramref name="method"/> (a closed method).</summary>
    public string Compile(MethodInfo method)
    {
        lock (_gate)
        {
            var compiled = (PTXCompiledKernel)_backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(method), new KernelSpecialization());
            return compiled.PTXAssembly;
        }
    }

    /// <summary>The ptxas to use: <c>SCRATCH_PTXAS</c> when set (it must exist), else <c>ptxas</c> on PATH; null with the reason when none.</summary>
    public static string? FindPtxas(out string reason)
    {
        string? configured = Environment.GetEnvironmentVariable(PtxasVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            reason = File.Exists(configured) ? "" : $"{PtxasVariable}={configured}: no such file";
            return File.Exists(configured) ? configured : null;
        }
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, "ptxas");
            if (File.Exists(candidate))
            {
                reason = "";
                return candidate;
            }
        }
        reason = $"ptxas not found: {PtxasVariable} is not set and no ptxas is on PATH (.ci/run unpacks Debian's nvidia-cuda-toolkit and sets {PtxasVariable})";
        return null;
    }

    /// <summary>
    /// Assembles <paramref name="ptx"/> (one kernel named <paramref name="kernel"/>) for sm_90 with <paramref name="ptxas"/>
    /// and parses its <c>-v</c> report.
    /// </summary>
    /// <exception cref="InvalidOperationException">ptxas failed; the message holds its output.</exception>
    public static PtxasKernelReport Assemble(string ptxas, string ptx, string kernel)
    {
        string folder = Directory.CreateTempSubdirectory("scratch-ptx-").FullName;
        try
        {
            string file = Path.Combine(folder, "kernel.ptx");
            File.WriteAllText(file, ptx);
            var info = new ProcessStartInfo(ptxas) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { $"-arch={Architecture}", "-v", file, "-o", Path.Combine(folder, "kernel.cubin") }) info.ArgumentList.Add(arg);
            using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {ptxas}");
            var stdout = process.StandardOutput.ReadToEndAsync();
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            string output = stdout.Result + stderr;
            if (process.ExitCode != 0) throw new InvalidOperationException($"ptxas failed on {kernel} (exit {process.ExitCode}):\n{output}");
            return Parse(kernel, output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Reads ptxas' <c>-v</c> lines (<c>N bytes stack frame, N bytes spill stores, N bytes spill loads</c>; <c>Used N registers, N bytes smem</c>).</summary>
    public static PtxasKernelReport Parse(string kernel, string output)
    {
        int Find(string pattern)
        {
            var match = Regex.Match(output, pattern);
            return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        }
        if (!Regex.IsMatch(output, @"Used \d+ registers")) throw new InvalidOperationException($"ptxas gave no register report for {kernel}:\n{output}");
        return new PtxasKernelReport(kernel,
            Registers: Find(@"Used (\d+) registers"),
            SpillStores: Find(@"(\d+) bytes spill stores"),
            SpillLoads: Find(@"(\d+) bytes spill loads"),
            StackFrame: Find(@"(\d+) bytes stack frame"),
            SharedMemory: Find(@"(\d+) bytes smem"));
    }

    /// <summary>True for the kernels that must not spill: GEMM, convolution and softmax (by class or method name).</summary>
    public static bool MustNotSpill(MethodInfo method)
    {
        string name = $"{method.DeclaringType?.Name}.{method.Name}";
        return Regex.IsMatch(name, "Gemm|MatMul|Conv|Im2col|Col2im|Softmax", RegexOptions.IgnoreCase);
    }

    /// <summary>A Markdown table of <paramref name="reports"/>: kernel, registers, spills, stack frame, shared memory.</summary>
    public static string Table(IEnumerable<PtxasKernelReport> reports)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("| kernel | registers | spill stores / loads (bytes) | stack frame (bytes) | shared memory (bytes) |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var r in reports)
            text.AppendLine(CultureInfo.InvariantCulture, $"| `{r.Kernel}` | {r.Registers} | {r.SpillStores} / {r.SpillLoads} | {r.StackFrame} | {r.SharedMemory} |");
        return text.ToString();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _backend.Dispose();
        _context.Dispose();
    }
}
