using NUnit.Framework;
using Scratch.Kernels.Cpu;

namespace Scratch.Tests.Support;

/// <summary>
/// Checks that a kernel's result does not depend on <see cref="CpuParallel.ThreadCount"/>. It changes a
/// process-wide setting, so callers are <c>[NonParallelizable]</c>; the setting is restored afterwards.
/// </summary>
public static class ThreadCounts
{
    /// <summary>Asserts that <paramref name="run"/> gives bit-identical results on one thread and on <paramref name="many"/>.</summary>
    public static void AssertSameResult<T>(Func<T[]> run, int many = 8, string? message = null)
    {
        int saved = CpuParallel.ThreadCount;
        try
        {
            CpuParallel.ThreadCount = 1;
            var single = run();
            CpuParallel.ThreadCount = many;
            Assert.That(run().AsSpan().SequenceEqual(single), message);
        }
        finally
        {
            CpuParallel.ThreadCount = saved;
        }
    }
}
