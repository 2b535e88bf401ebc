using System.CommandLine;
using System.Diagnostics;
using Scratch.Checks;
using Spectre.Console;

namespace Scratch.Cli.Commands;

/// <summary>
/// <c>scratch check</c>: the op registry's forward, gradient and (off the CPU) parity checks on a
/// device, from the binary alone: how the GPU backend is verified on a GPU machine without the SDK
/// (<c>--device cuda</c>), or on ILGPU's CPU accelerator here (<c>--device gpu-sim</c>).
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or gpu-sim", DefaultValueFactory = _ => "cpu" };
        var filter = new Option<string?>("--filter") { Description = "only samples whose id contains this text (e.g. Conv2d)" };
        var noGrad = new Option<bool>("--no-gradcheck") { Description = "skip the float64 gradient checks" };
        var fast = new Option<bool?>("--fast-gradcheck")
        {
            Description = "check one random projection vᵀJu per sample instead of the full Jacobian (the full one when it fails); default on for gpu-sim",
        };
        var command = new Command("check", "run the op registry's forward, gradient and parity checks on a device") { device, filter, noGrad, fast };
        command.SetAction(parse =>
        {
            var target = Device.Parse(parse.GetValue(device)!);
            var backend = target.Backend; // fails here, with the reason, when the device is unavailable
            if (backend is Scratch.Kernels.Gpu.GpuBackend gpu)
                Console.WriteLine($"{gpu.Name}: {gpu.DeviceName}{(gpu.SynchronizeAfterLaunch ? ", synchronising after every launch" : "")}");
            bool fastGradients = parse.GetValue(fast) ?? target == Device.SimulatedGpu;
            var clock = Stopwatch.StartNew();
            var failures = new List<OpCheckResult>();
            var counts = new SortedDictionary<string, (int Passed, int Failed)>();
            foreach (var result in OpChecks.Run(target, parse.GetValue(filter), gradients: !parse.GetValue(noGrad), fastGradients: fastGradients))
            {
                var (p, f) = counts.GetValueOrDefault(result.Check);
                counts[result.Check] = result.Passed ? (p + 1, f) : (p, f + 1);
                if (!result.Passed)
                {
                    failures.Add(result);
                    Console.WriteLine($"FAIL {result.Check} {result.Sample}: {result.Detail}");
                }
            }
            var table = new Table().Title($"checks on {target}").AddColumns("check", "passed", "failed");
            foreach (var (check, (p, f)) in counts) table.AddRow(check, p.ToString(), f == 0 ? "0" : $"[red]{f}[/]");
            AnsiConsole.Write(table);
            int passed = counts.Values.Sum(c => c.Passed);
            Console.WriteLine($"{passed} passed, {failures.Count} failed ({clock.Elapsed.TotalSeconds:F1} s)");
            return failures.Count == 0 && passed > 0 ? 0 : 1;
        });
        return command;
    }
}
