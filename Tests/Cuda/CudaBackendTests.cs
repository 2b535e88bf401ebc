using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cuda;
using Scratch.Tests.Support;

namespace Scratch.Tests.Cuda;

/// <summary>Memory, transfers, the allocator and timing of the CUDA backend (needs a GPU).</summary>
[TestFixture, Category("Gpu")]
public class CudaBackendTests : CudaParityTest
{
    [Test]
    public void UploadAndDownloadRoundTripAtOffsetsAndAcrossStagingChunks()
    {
        // 3 M floats is 12 MB: three 4 MB staging chunks, the last one partial.
        var data = Enumerable.Range(0, 3_000_001).Select(i => (float)(i * 0.5)).ToArray();
        var buffer = Gpu.Allocate(DType.Float32, data.Length + 10);
        Gpu.Upload<float>(data, buffer, 10);
        var back = new float[data.Length];
        Gpu.Download<float>(buffer, 10, back);
        Assert.That(back, Is.EqualTo(data));
        var slice = new float[5];
        Gpu.Download<float>(buffer, 1_000_010, slice);
        Assert.That(slice, Is.EqualTo(data.AsSpan(1_000_000, 5).ToArray()));
        buffer.Release();
    }

    [Test]
    public void TransfersCheckTypesAndBounds()
    {
        var buffer = Gpu.Allocate(DType.Int32, 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gpu.Upload<int>(new int[5], buffer, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gpu.Download<int>(buffer, 2, new int[3]));
        Assert.Throws<InvalidOperationException>(() => Gpu.Upload<float>(new float[1], buffer, 0));
        Assert.Throws<ArgumentException>(() => Gpu.Fill(BufferView.Contiguous(Buffers.Make(new[] { 1f }, [1]).Buffer, [1]), 0));
        buffer.Release();
    }

    [Test]
    public void ReleasedBlocksAreReusedFromTheCache()
    {
        Gpu.EmptyCache();
        var first = Gpu.Allocate(DType.Float32, 1 << 20);
        long inUse = Gpu.BytesInUse;
        first.Release();
        var second = Gpu.Allocate(DType.Float32, 1 << 20); // the next allocation drains the returned block and takes it
        Assert.That(Gpu.BytesInUse, Is.EqualTo(inUse));
        Assert.That(((CudaBuffer)second).DevicePointer, Is.EqualTo(((CudaBuffer)first).DevicePointer));
        second.Release();
    }

    [Test]
    public void BuffersDroppedWithoutReleaseAreReclaimedByTheFinalizer()
    {
        Gpu.EmptyCache();
        long before = Gpu.BytesInUse;
        AllocateAndDrop(50);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        _ = Gpu.Allocate(DType.Float64, 1); // drains the finalizer queue
        Assert.That(Gpu.BytesInUse, Is.LessThanOrEqualTo(before + 4096));
    }

    // In its own frame so no local keeps the buffers alive (debug builds extend local lifetimes).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void AllocateAndDrop(int count)
    {
        for (int i = 0; i < count; i++) Gpu.Allocate(DType.Float64, 1 << 20);
    }

    [Test]
    public void ImpossibleAllocationsThrowOutOfMemoryWithTheSizes()
    {
        var error = Assert.Throws<OutOfMemoryException>(() => Gpu.Allocate(DType.Float64, 1L << 50))!;
        Assert.That(error.Message, Does.Contain("out of memory allocating").And.Contain("in use").And.Contain("cached"));
    }

    [Test]
    public void TimingMeasuresQueuedWork()
    {
        var a = Gpu.Allocate(DType.Float32, 1 << 22);
        var view = BufferView.Contiguous(a, [1 << 22]);
        float ms = Gpu.TimeMilliseconds(() =>
        {
            for (int i = 0; i < 10; i++) Gpu.Unary(UnaryOp.Exp, view, view);
        });
        Assert.That(ms, Is.GreaterThan(0).And.LessThan(10_000));
        a.Release();
    }

    [Test]
    public void DeviceIsDescribed()
    {
        Assert.That(Gpu.Device.Name, Is.Not.Empty);
        Assert.That(Gpu.Device.MultiprocessorCount, Is.GreaterThan(0));
        Assert.That(Gpu.Device.Architecture, Does.StartWith("compute_"));
        var (free, total) = Gpu.MemoryInfo();
        Assert.That(free, Is.GreaterThan(0).And.LessThanOrEqualTo(total));
    }
}
