using System.Collections.Concurrent;
using System.Reflection;
using NUnit.Framework;
using Scratch.Checks;
using Scratch.Kernels.Gpu;
using Scratch.Kernels.Gpu.Diagnostics;

namespace Scratch.Tests.Gpu;

/// <summary>
/// Every GPU kernel instantiation compiled to PTX for sm_90 by ILGPU and assembled by ptxas, without a GPU. The list
/// is complete by construction (<see cref="KernelInventory"/>): every op-registry sample is driven on the simulated GPU
/// in both float dtypes, forward and backward, with the launches only recorded; every kernel definition the backend's
/// code makes a delegate of must then have an instantiation, and those no sample reached are instantiated from their
/// constraints. Instantiations other tests of this run launched are compiled too. A kernel that does not assemble
/// fails, and so does any spill in a GEMM, convolution or softmax kernel. Without ptxas (<c>SCRATCH_PTXAS</c>,
/// set by .ci/run) the assembly test reports itself skipped with the reason; the PTX itself is still generated.
/// With <c>SCRATCH_PTXAS_TABLE=FILE</c> the table of registers, spills and shared memory is written to FILE.
/// </summary>
[TestFixture, Category("Ptxas"), NonParallelizable]
public class PtxAssemblyTests
{
    private IReadOnlyList<MethodInfo> _definitions = [];
    private IReadOnlyList<MethodInfo> _instantiations = [];
    private IReadOnlyList<MethodInfo> _unreached = [];
    private IReadOnlyList<MethodInfo> _impossible = [];
    private readonly ConcurrentDictionary<MethodInfo, string> _ptx = new();
    private PtxAssembly _compiler = null!;

    [OneTimeSetUp]
    public void ListEveryKernel()
    {
        var failures = new List<OpCheckResult>();
        KernelInventory.RecordWithoutRunning(GpuRuntime.Simulator, () => failures.AddRange(KernelSweep.Run(Device.SimulatedGpu).Where(r => !r.Passed)));
        TestContext.Progress.WriteLine($"kernel sweep: {failures.Count} sample passes stopped early (primitives without a kernel yet, or values the skipped launches left unwritten)");
        _definitions = KernelInventory.Definitions();
        _instantiations = KernelInventory.Instantiations(KernelInventory.Recorded, _definitions, out _unreached, out _impossible);
        _compiler = new PtxAssembly();
    }

    [OneTimeTearDown]
    public void Release() => _compiler?.Dispose();

    private string Ptx(MethodInfo method) => _ptx.GetOrAdd(method, _compiler.Compile);

    [Test]
    public void TheInventoryFindsEveryFillAndCopyKernelByItsIl()
    {
        // The definitions come from ldftn instructions; every public kernel of CopyKernels is launched by ElementwiseOps.
        var copyKernels = typeof(GpuBackend).Assembly.GetType("Scratch.Kernels.Gpu.Kernels.CopyKernels", throwOnError: true)!
            .GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => m.ReturnType == typeof(void))
            .ToArray();
        Assert.That(copyKernels, Is.Not.Empty);
        Assert.That(_definitions, Is.SupersetOf(copyKernels));
        Assert.That(_definitions, Has.All.Matches<MethodInfo>(KernelInventory.IsKernel));
    }

    [Test]
    public void TheSweepRecordsTheInstantiationsItLaunches()
    {
        // The registry's dtype conversions go through Copy's convert kernels (float32 <-> float64 at least).
        var recorded = KernelInventory.Recorded.Select(KernelInventory.Describe).ToArray();
        Assert.That(recorded, Has.Some.StartsWith("CopyKernels."), string.Join("\n", recorded));
        Assert.That(_instantiations, Has.All.Matches<MethodInfo>(m => !m.ContainsGenericParameters));
    }

    [Test]
    public void EveryKernelDefinitionHasAnInstantiation()
    {
        foreach (var d in _unreached) TestContext.Out.WriteLine($"not reached by the registry, instantiated from its constraints: {KernelInventory.Describe(d)}");
        Assert.That(_impossible.Select(KernelInventory.Describe), Is.Empty, "kernels whose constraints no element type or operator struct satisfies");
        var reached = _instantiations.Select(m => m.IsGenericMethod ? m.GetGenericMethodDefinition() : m).ToHashSet();
        Assert.That(_definitions.Where(d => !reached.Contains(d)).Select(KernelInventory.Describe), Is.Empty);
    }

    [Test]
    public void EveryKernelInstantiationCompilesToPtxForSm90()
    {
        var failures = new List<string>();
        foreach (var method in _instantiations)
        {
            try
            {
                string ptx = Ptx(method);
                if (!ptx.Contains(".entry", StringComparison.Ordinal)) failures.Add($"{KernelInventory.Describe(method)}: no .entry in its PTX");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add($"{KernelInventory.Describe(method)}: {e.GetType().Name}: {e.Message}");
            }
        }
        TestContext.Out.WriteLine($"{_instantiations.Count} kernel instantiations compiled to PTX");
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void EveryKernelAssemblesForSm90AndGemmConvAndSoftmaxDoNotSpill()
    {
        string? ptxas = PtxAssembly.FindPtxas(out string reason);
        if (ptxas is null)
        {
            if (Environment.GetEnvironmentVariable(PtxAssembly.PtxasVariable) is { Length: > 0 }) Assert.Fail(reason);
            Assert.Ignore(reason);
        }
        var reports = new ConcurrentBag<PtxasKernelReport>();
        var failures = new ConcurrentBag<string>();
        var ptx = _instantiations.Select(m => (Method: m, Text: SafePtx(m, failures))).Where(p => p.Text is not null).ToArray();
        Parallel.ForEach(ptx, new ParallelOptions { MaxDegreeOfParallelism = 2 }, item =>
        {
            string name = KernelInventory.Describe(item.Method);
            try
            {
                var report = PtxAssembly.Assemble(ptxas!, item.Text!, name);
                reports.Add(report);
                if (report.Spills && PtxAssembly.MustNotSpill(item.Method))
                    failures.Add($"{name} spills: {report.SpillStores} bytes stored, {report.SpillLoads} bytes loaded ({report.Registers} registers)");
            }
            catch (InvalidOperationException e)
            {
                failures.Add(e.Message);
            }
        });
        string table = PtxAssembly.Table(reports.OrderBy(r => r.Kernel, StringComparer.Ordinal));
        TestContext.Out.WriteLine(table);
        if (Environment.GetEnvironmentVariable("SCRATCH_PTXAS_TABLE") is { Length: > 0 } file) File.WriteAllText(file, table);
        Assert.That(reports, Is.Not.Empty);
        Assert.That(failures.OrderBy(f => f, StringComparer.Ordinal), Is.Empty);
    }

    [Test]
    public void PtxasReportsAreReadAndSpillsInGemmConvAndSoftmaxAreCaught()
    {
        const string output = """
            ptxas info    : 0 bytes gmem
            ptxas info    : Compiling entry function 'Kernel_Gemm' for 'sm_90'
            ptxas info    : Function properties for Kernel_Gemm
                24 bytes stack frame, 16 bytes spill stores, 12 bytes spill loads
            ptxas info    : Used 255 registers, 8192 bytes smem, 400 bytes cmem[0]
            """;
        var report = PtxAssembly.Parse("GemmKernels.Tile<Single>", output);
        Assert.That(report, Is.EqualTo(new PtxasKernelReport("GemmKernels.Tile<Single>", 255, 16, 12, 24, 8192)));
        Assert.That(report.Spills, Is.True);
        Assert.That(PtxAssembly.Parse("k", "ptxas info    : Used 18 registers, 384 bytes cmem[0]").Spills, Is.False);
        Assert.Throws<InvalidOperationException>(() => PtxAssembly.Parse("k", "ptxas fatal   : something else"));
        var mustNot = typeof(PtxAssemblyTests).GetMethod(nameof(SoftmaxRowsForTheNameCheck), BindingFlags.NonPublic | BindingFlags.Static)!;
        var may = typeof(PtxAssemblyTests).GetMethod(nameof(PtxThatDoesNotAssembleFails))!;
        Assert.That(PtxAssembly.MustNotSpill(mustNot), Is.True);
        Assert.That(PtxAssembly.MustNotSpill(may), Is.False);
    }

    [Test]
    public void PtxThatDoesNotAssembleFails()
    {
        string? ptxas = PtxAssembly.FindPtxas(out string reason);
        if (ptxas is null) Assert.Ignore(reason);
        string ptx = Ptx(_instantiations[0]).Replace(".entry", ".entry_broken", StringComparison.Ordinal);
        var error = Assert.Throws<InvalidOperationException>(() => PtxAssembly.Assemble(ptxas!, ptx, "broken"))!;
        Assert.That(error.Message, Does.Contain("ptxas failed on broken"));
    }

    private static void SoftmaxRowsForTheNameCheck() { }

    private string? SafePtx(MethodInfo method, ConcurrentBag<string> failures)
    {
        try
        {
            return Ptx(method);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failures.Add($"{KernelInventory.Describe(method)}: no PTX: {e.Message}");
            return null;
        }
    }
}
