using NUnit.Framework;
using Scratch.Kernels.Cpu;

namespace Scratch.Tests.Kernels.Memory;

[NonParallelizable]
public class CpuArrayPoolTests
{
    // An unusual length, so arrays pooled by other tests cannot interfere.
    private const int Length = 123_457;

    [Test]
    public void ReleasedBufferArrayIsReusedForTheSameSize()
    {
        var first = (CpuBuffer)CpuBackend.Instance.Allocate(DType.Float32, Length);
        var array = first.Data;
        first.Release();
        Assert.Throws<ObjectDisposedException>(() => _ = first.Data);
        var second = (CpuBuffer)CpuBackend.Instance.Allocate(DType.Float32, Length);
        Assert.That(second.Data, Is.SameAs(array));
        second.Release();
    }

    [Test]
    public void BufferStillHeldIsNotReused()
    {
        var held = (CpuBuffer)CpuBackend.Instance.Allocate(DType.Float64, Length);
        held.Retain();
        held.Release();   // one holder left
        var other = (CpuBuffer)CpuBackend.Instance.Allocate(DType.Float64, Length);
        Assert.That(other.Data, Is.Not.SameAs(held.Data));
        Assert.That(held.IsReleased, Is.False);
        held.Release();
        other.Release();
    }

    [Test]
    public void OneOffGiantArraysAreLeftToTheGarbageCollector()
    {
        // 80 MB, above a sixteenth of the pool's cap: a dataset-sized one-off that would crowd out the
        // arrays reused every step.
        var giant = (CpuBuffer)CpuBackend.Instance.Allocate(DType.Float32, 20_000_003);
        var array = giant.Data;
        giant.Release();
        var again = (CpuBuffer)CpuBackend.Instance.Allocate(DType.Float32, 20_000_003);
        Assert.That(again.Data, Is.Not.SameAs(array));
        again.Release();
    }

    [Test]
    public void SmallArraysAreLeftToTheGarbageCollector()
    {
        var small = (CpuBuffer)CpuBackend.Instance.Allocate(DType.Int32, 17);
        var array = small.Data;
        small.Release();
        var again = (CpuBuffer)CpuBackend.Instance.Allocate(DType.Int32, 17);
        Assert.That(again.Data, Is.Not.SameAs(array));
    }
}
