using System.CommandLine;
using System.Reflection;
using System.Runtime.Intrinsics;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Gpu;
using Scratch.Training;
using Spectre.Console;

namespace Scratch.Cli.Commands;

/// <summary><c>scratch info</c>: version, CPU features, the GPU (device, SMs, memory, driver) or why there is none, and where data is found.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "show version, CPU, GPU and data locations");
        command.SetAction(_ =>
        {
            var table = new Table().HideHeaders().AddColumns("", "");
            void Row(string k, string v) => table.AddRow($"[bold]{Markup.Escape(k)}[/]", Markup.Escape(v));
            Row("version", typeof(InfoCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?");
            Row("runtime", $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} on {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
            string simd = Vector512.IsHardwareAccelerated ? "AVX-512 (512-bit)" : Vector256.IsHardwareAccelerated ? "AVX2 (256-bit)" : Vector128.IsHardwareAccelerated ? "128-bit" : "none";
            Row("cpu", $"{Environment.ProcessorCount} threads, SIMD {simd}, kernels use {CpuParallel.ThreadCount} threads");
            if (GpuRuntime.CudaAvailable)
            {
                for (int i = 0; i < GpuRuntime.CudaDeviceCount; i++)
                {
                    var gpu = GpuRuntime.Cuda(i);
                    Row(gpu.Name, $"{gpu.DeviceName}, {gpu.MultiprocessorCount} SMs, {gpu.MemorySize / (1024.0 * 1024 * 1024):F1} GiB, warp {gpu.WarpSize} (ILGPU CUDA accelerator)");
                }
                Row("cuda driver", GpuRuntime.DriverLibraryPath ?? "?");
            }
            else
            {
                Row("cuda", $"unavailable: {GpuRuntime.CudaUnavailableReason}");
            }
            Row("data", DataLocator.FindDataRoot() ?? "the repository's data/ folder was not found (set SCRATCH_DATA)");
            try { Row("fashion-mnist", DataLocator.LocateFashionMnist(null).Description); }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException) { Row("fashion-mnist", e.Message); }
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
