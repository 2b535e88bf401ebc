using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using NUnit.Framework;
using Scratch.Kernels.Cuda.Runtime;

namespace Scratch.Tests.Cuda.Emulator;

/// <summary>
/// Builds (once per content hash, cached on disk) and loads the CUDA emulator: the embedded kernel
/// sources compiled by the host C++ compiler with <c>cuda_emulator.h</c>, every catalog instantiation
/// registered by name. Unavailable (tests are skipped, saying why) without a C++20 compiler.
/// </summary>
internal static unsafe class CudaEmulator
{
    private static readonly Lazy<(nint Launch, string? Reason)> _library = new(Build);

    /// <summary>The emulator's <c>emu_launch</c>, or null when it could not be built.</summary>
    public static delegate* unmanaged[Cdecl]<byte*, uint, uint, uint, uint, uint, uint, void**, int> Launch
        => (delegate* unmanaged[Cdecl]<byte*, uint, uint, uint, uint, uint, uint, void**, int>)_library.Value.Launch;

    /// <summary>Skips the calling test unless the emulator is available.</summary>
    public static void Require()
    {
        if (_library.Value.Reason is { } reason) Assert.Ignore($"CUDA emulator unavailable: {reason}");
    }

    /// <summary>Sources emulated: all of them (the PTX instructions are emulated under SCRATCH_EMULATOR).</summary>
    public static IEnumerable<KernelSource> Sources => KernelCatalog.Sources();

    private static string EmulatorFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    private static (nint, string?) Build()
    {
        var folder = EmulatorFolder();
        var header = Path.Combine(folder, "cuda_emulator.h");
        var runtime = Path.Combine(folder, "emulator.cpp");
        if (!File.Exists(header) || !File.Exists(runtime)) return (0, $"emulator sources not found in {folder}");
        var compiler = FindCompiler();
        if (compiler is null) return (0, "no C++ compiler (g++, or $CXX) on PATH");

        // Everything the library is built from goes into the hash.
        var inputs = new StringBuilder(File.ReadAllText(header)).Append(File.ReadAllText(runtime)).Append(compiler);
        foreach (var source in Sources) inputs.Append(source.Path).Append(string.Join('|', source.NameExpressions));
        foreach (var path in KernelResources.SourcePaths) inputs.Append(KernelResources.Source(path));
        foreach (var (name, text) in KernelResources.Headers.OrderBy(h => h.Key, StringComparer.Ordinal)) inputs.Append(name).Append(text);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(inputs.ToString())))[..16];
        var root = Path.Combine(Path.GetDirectoryName(PtxDiskCache.Folder)!, "emulator", hash);
        var library = Path.Combine(root, "libscratch_cuda_emulator.so");

        if (!File.Exists(library))
        {
            var work = Path.Combine(root, $"build-{Environment.ProcessId}");
            var src = Path.Combine(work, "src");
            Directory.CreateDirectory(src);
            foreach (var path in KernelResources.SourcePaths) Write(Path.Combine(src, path), KernelResources.Source(path));
            foreach (var (name, text) in KernelResources.Headers) Write(Path.Combine(src, name), text);
            var units = new List<string> { runtime };
            int index = 0;
            foreach (var source in Sources)
            {
                var unit = Path.Combine(work, $"kernels_{index++}.cpp");
                Write(unit, Registrations(source));
                units.Add(unit);
            }
            var objects = new string[units.Count];
            var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
            Parallel.For(0, units.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, i =>
            {
                objects[i] = Path.Combine(work, $"unit_{i}.o");
                var error = Run(compiler, $"-std=c++20 -O1 -fPIC -w -DSCRATCH_EMULATOR -I\"{src}\" -include \"{header}\" -c \"{units[i]}\" -o \"{objects[i]}\"");
                if (error is not null) failures.Add(error);
            });
            if (!failures.IsEmpty) return (0, $"emulator build failed:\n{string.Join("\n", failures)}");
            var temporary = Path.Combine(work, "libscratch_cuda_emulator.so");
            var linkError = Run(compiler, $"-shared {string.Join(" ", objects.Select(o => $"\"{o}\""))} -o \"{temporary}\"");
            if (linkError is not null) return (0, $"emulator link failed:\n{linkError}");
            File.Move(temporary, library, overwrite: true);
            Directory.Delete(work, recursive: true);
        }
        var handle = NativeLibrary.Load(library);
        return (NativeLibrary.GetExport(handle, "emu_launch"), null);
    }

    // One translation unit per kernel source: the source itself plus a registration per instantiation.
    private static string Registrations(KernelSource source)
    {
        var text = new StringBuilder();
        text.Append($"#include \"{source.Path}\"\n");
        text.Append("namespace {\nstruct Registrations {\n    Registrations() {\n");
        foreach (var name in source.NameExpressions)
            text.Append($"        emu::register_kernel(\"{name}\", [](dim3 g, dim3 b, void** p) {{ emu::launch(&{name}, g, b, p); }});\n");
        text.Append("    }\n} registrations;\n}\n");
        return text.ToString();
    }

    private static string? FindCompiler()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("CXX"), "g++", "clang++" };
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var candidate in candidates)
        {
            if (string.IsNullOrWhiteSpace(candidate)) continue;
            if (Path.IsPathRooted(candidate) && File.Exists(candidate)) return candidate;
            foreach (var folder in path)
                if (File.Exists(Path.Combine(folder, candidate))) return Path.Combine(folder, candidate);
        }
        return null;
    }

    private static string? Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        process.WaitForExit();
        return process.ExitCode == 0 ? null : $"{file} {arguments}\n{error.Result}{output.Result}";
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
