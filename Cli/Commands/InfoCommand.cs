using System.CommandLine;
using System.Reflection;
using System.Runtime.Intrinsics;
using Scratch.Kernels.Cpu;
using Scratch.Training;
using Spectre.Console;

namespace Scratch.Cli.Commands;

/// <summary><c>scratch info</c>: version, CPU features, CUDA availability and where data is found.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "show version, CPU, CUDA and data locations");
        command.SetAction(_ =>
        {
            var table = new Table().HideHeaders().AddColumns("", "");
            void Row(string k, string v) => table.AddRow($"[bold]{Markup.Escape(k)}[/]", Markup.Escape(v));
            Row("version", typeof(InfoCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?");
            Row("runtime", $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} on {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
            string simd = Vector512.IsHardwareAccelerated ? "AVX-512 (512-bit)" : Vector256.IsHardwareAccelerated ? "AVX2 (256-bit)" : Vector128.IsHardwareAccelerated ? "128-bit" : "none";
            Row("cpu", $"{Environment.ProcessorCount} threads, SIMD {simd}, kernels use {CpuParallel.ThreadCount} threads");
            Row("cuda", Device.CudaAvailable ? "available" : $"unavailable: {Device.CudaUnavailableReason}");
            Row("data", DataLocator.FindDataRoot() ?? "the repository's data/ folder was not found (set SCRATCH_DATA)");
            try { Row("fashion-mnist", DataLocator.LocateFashionMnist(null).Description); }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException) { Row("fashion-mnist", e.Message); }
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
