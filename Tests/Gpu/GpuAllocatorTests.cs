using System.Runtime.CompilerServices;
using NUnit.Framework;
using Scratch.Kernels;

namespace Scratch.Tests.Gpu;

/// <summary>The GPU backend's caching allocator with buffers that are never released (left to the GC, as a training loop does).</summary>
public class GpuAllocatorTests : SimulatedGpuTest
{
    [Test]
    public void BlocksOfBuffersLeftToTheGcAreReusedWithTheirMemory()
    {
        // A buffer dropped without Release is finalized together with its ILGPU block; the block must not be
        // freed while the buffer's finalizer hands it back to the cache (that served freed memory to the next upload).
        var data = Enumerable.Range(0, 64).Select(i => (float)i - 20.5f).ToArray();
        for (int round = 0; round < 4; round++)
        {
            DropBuffers(300);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            for (int k = 0; k < 300; k++)
            {
                var buffer = Gpu.Allocate(DType.Float32, 64);
                Gpu.Upload<float>(data, buffer, 0);
                var back = new float[64];
                Gpu.Download<float>(buffer, 0, back);
                Assert.That(back, Is.EqualTo(data), $"round {round}, buffer {k}");
                buffer.Release();
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DropBuffers(int count)
    {
        for (int i = 0; i < count; i++) Gpu.Allocate(DType.Float32, 64);
    }
}
