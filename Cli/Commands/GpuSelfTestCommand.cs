using System.CommandLine;
using System.Diagnostics;
using Scratch.Checks;
using Scratch.Kernels.Gpu;
using Scratch.Kernels.Gpu.Diagnostics;

namespace Scratch.Cli.Commands;

/// <summary>
/// <c>scratch gpu-selftest</c>: loads every GPU kernel the op registry reaches and runs each sample once on the
/// device (float32 and float64, forward and backward, float32 again with TF32 allowed), printing what failed and the
/// kernels loaded; with <c>--ptx DIR</c> it also writes the sm_90 PTX of every kernel instantiation (those launched plus
/// those made from the constraints of kernels no sample reached) and, where ptxas is found, prints the registers,
/// spills and shared memory per kernel.
/// </summary>
internal static class GpuSelfTestCommand
{
    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "cuda, cuda:N or gpu-sim", DefaultValueFactory = _ => "cuda" };
        var filter = new Option<string?>("--filter") { Description = "only samples whose id contains this text" };
        var ptx = new Option<string?>("--ptx") { Description = "write the sm_90 PTX of every kernel instantiation into this folder" };
        var ptxas = new Option<string?>("--ptxas") { Description = "ptxas to assemble the PTX with (default: SCRATCH_PTXAS, then PATH)" };
        var command = new Command("gpu-selftest", "load every GPU kernel and run each op-registry sample once on a GPU device") { device, filter, ptx, ptxas };
        command.SetAction(parse =>
        {
            var target = Device.Parse(parse.GetValue(device)!);
            if (target.Backend is not GpuBackend gpu) throw new ArgumentException($"gpu-selftest needs a GPU device (cuda, cuda:N or gpu-sim), not {target}");
            Console.WriteLine(gpu.IsSimulator
                ? $"{gpu.Name}: {gpu.DeviceName} (ILGPU's CPU accelerator), warp {gpu.WarpSize}"
                : $"{gpu.Name}: {gpu.DeviceName}, {gpu.MultiprocessorCount} SMs, {gpu.MemorySize / (1024.0 * 1024 * 1024):F1} GiB, warp {gpu.WarpSize}");
            if (gpu.SynchronizeAfterLaunch) Console.WriteLine("synchronising after every launch (SCRATCH_GPU_SYNC=1)");
            var clock = Stopwatch.StartNew();
            var counts = new SortedDictionary<string, (int Passed, int Failed)>();
            int failed = 0;
            foreach (var result in KernelSweep.Run(target, parse.GetValue(filter)))
            {
                var (p, f) = counts.GetValueOrDefault(result.Check);
                counts[result.Check] = result.Passed ? (p + 1, f) : (p, f + 1);
                if (result.Passed) continue;
                failed++;
                Console.WriteLine($"FAIL {result.Check} {result.Sample}: {result.Detail}");
            }
            foreach (var (pass, (p, f)) in counts) Console.WriteLine($"{pass}: {p} samples ran, {f} failed");
            Console.WriteLine($"{gpu.LoadedKernels.Count} kernel instantiations loaded ({clock.Elapsed.TotalSeconds:F1} s):");
            foreach (var name in gpu.LoadedKernels) Console.WriteLine($"  {name}");

            string? folder = parse.GetValue(ptx);
            string? assembler = parse.GetValue(ptxas);
            if (folder is not null || assembler is not null)
            {
                if (!Assemble(folder, assembler)) failed++;
            }
            Console.WriteLine(failed == 0 ? "self-test passed" : $"self-test: {failed} failure(s)");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    // PTX of every instantiation for sm_90, written to `folder` (when given) and assembled by ptxas (when found).
    private static bool Assemble(string? folder, string? assembler)
    {
        var definitions = KernelInventory.Definitions();
        var all = KernelInventory.Instantiations(KernelInventory.Recorded, definitions, out var unreached, out var impossible);
        foreach (var d in unreached) Console.WriteLine($"not reached by any sample, instantiated from its constraints: {KernelInventory.Describe(d)}");
        foreach (var d in impossible) Console.WriteLine($"FAIL no instantiation satisfies the constraints of {KernelInventory.Describe(d)}");
        string why = "";
        string? ptxas = assembler ?? PtxAssembly.FindPtxas(out why);
        if (ptxas is null) Console.WriteLine($"not assembling: {why}");
        if (folder is not null) Directory.CreateDirectory(folder);
        var reports = new List<PtxasKernelReport>();
        bool ok = impossible.Count == 0;
        using var compiler = new PtxAssembly();
        foreach (var method in all)
        {
            string name = KernelInventory.Describe(method);
            try
            {
                string text = compiler.Compile(method);
                if (folder is not null) File.WriteAllText(Path.Combine(folder, FileName(name) + ".ptx"), text);
                if (ptxas is null) continue;
                var report = PtxAssembly.Assemble(ptxas, text, name);
                reports.Add(report);
                if (report.Spills && PtxAssembly.MustNotSpill(method))
                {
                    Console.WriteLine($"FAIL {name} spills ({report.SpillStores} bytes stored, {report.SpillLoads} loaded)");
                    ok = false;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Console.WriteLine($"FAIL {name}: {e.Message}");
                ok = false;
            }
        }
        Console.WriteLine($"{all.Count} kernel instantiations compiled to PTX for {PtxAssembly.Architecture}" + (folder is null ? "" : $" into {folder}"));
        if (reports.Count > 0) Console.Write(PtxAssembly.Table(reports));
        return ok;
    }

    private static string FileName(string kernel) => new([.. kernel.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_')]);
}
