using System.Text.RegularExpressions;
using NUnit.Framework;
using Scratch.Kernels.Cuda;
using Scratch.Kernels.Cuda.Runtime;

namespace Scratch.Tests.Cuda;

/// <summary>
/// Compiles every embedded CUDA source, with every template instantiation the backend launches, for
/// the architectures of the GPUs Scratch targets (A100: compute_80, H100/H200: compute_90). Needs only
/// NVRTC, so compile errors are caught on machines without a GPU.
/// </summary>
[TestFixture, Category("Nvrtc"), Parallelizable(ParallelScope.Children)]
public class NvrtcCompileTests
{
    private static readonly string[] Architectures = ["compute_80", "compute_90"];

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var source in KernelCatalog.Sources())
            foreach (var architecture in Architectures)
                yield return new TestCaseData(source.Path, architecture).SetName($"Compiles({source.Path}, {architecture})");
    }

    [TestCaseSource(nameof(Cases))]
    public void Compiles(string path, string architecture)
    {
        NvrtcRequirement.Require();
        var source = KernelCatalog.Sources().Single(s => s.Path == path);
        var compilation = CompiledKernels.Get(source, architecture);

        Assert.That(compilation.LoweredNames.Keys, Is.EquivalentTo(source.NameExpressions));
        var entries = Regex.Matches(compilation.Ptx, @"\.entry\s+(\S+)\(").Select(m => m.Groups[1].Value).ToHashSet();
        foreach (var (expression, lowered) in compilation.LoweredNames)
            Assert.That(entries, Does.Contain(lowered), $"{path}: no PTX entry for {expression}");
        Assert.That(compilation.Ptx, Does.Contain($".target sm_{architecture["compute_".Length..]}"));
    }

    [Test]
    public void CatalogCoversEveryEmbeddedSource()
    {
        var catalogued = KernelCatalog.Sources().Select(s => s.Path).ToArray();
        Assert.That(KernelResources.SourcePaths, Is.EquivalentTo(catalogued));
        Assert.That(KernelResources.Headers.Keys, Does.Contain("common.cuh"));
    }

    [Test]
    public void CompileErrorsCarryTheLog()
    {
        NvrtcRequirement.Require();
        var error = Assert.Throws<CudaCompilationException>(() =>
            CudaCompiler.CompileToPtx("__global__ void broken() { undefined_name = 1; }", "broken.cu", "compute_80", []))!;
        Assert.That(error.Log, Does.Contain("undefined_name"));
        Assert.That(error.Message, Does.Contain("broken.cu"));
    }

    [Test]
    public void ArchitectureIsClampedToWhatNvrtcSupports()
    {
        NvrtcRequirement.Require();
        int newest = CudaCompiler.SupportedArchitectures.Max();
        Assert.That(CudaCompiler.ArchitectureFor(99, 9), Is.EqualTo($"compute_{newest}"));
        Assert.That(CudaCompiler.ArchitectureFor(8, 0), Is.EqualTo("compute_80"));
    }
}

/// <summary>
/// Each (source, architecture) compiled at most once per test run, shared by the compile tests and
/// the launch-signature tests. Always a real NVRTC compilation (never the on-disk PTX cache).
/// </summary>
internal static class CompiledKernels
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), Lazy<CudaCompilation>> _compiled = new();

    public static CudaCompilation Get(KernelSource source, string architecture)
        => _compiled.GetOrAdd((source.Path, architecture), _ => new Lazy<CudaCompilation>(() =>
            CudaCompiler.CompileToPtx(KernelResources.Source(source.Path), source.Path, architecture,
                KernelCatalog.CompileOptions, source.NameExpressions, KernelResources.Headers))).Value;
}

/// <summary>Skips (never passes) a test when NVRTC is missing, naming what was looked for.</summary>
internal static class NvrtcRequirement
{
    public static void Require()
    {
        if (!CudaRuntime.NvrtcAvailable) Assert.Ignore($"NVRTC not found: {CudaRuntime.NvrtcUnavailableReason}");
    }
}
