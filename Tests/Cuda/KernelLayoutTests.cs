using System.Runtime.CompilerServices;
using NUnit.Framework;
using Scratch.Kernels.Cuda.Ops;
using Scratch.Kernels.Cuda.Runtime;

namespace Scratch.Tests.Cuda;

/// <summary>Host-side pieces of the CUDA backend that need no GPU: layout merging, struct layouts, size classes.</summary>
[TestFixture]
public class KernelLayoutTests
{
    [Test]
    public void ContiguousViewsMergeToOneDim()
    {
        var layout = CoalescedLayout.Create([2, 3, 4], [12, 4, 1], [12, 4, 1]);
        Assert.That(layout.Shape, Is.EqualTo(new[] { 24 }));
        Assert.That(layout.IsUnitStride(0) && layout.IsUnitStride(1), Is.True);
        Assert.That(layout.Count, Is.EqualTo(24));
    }

    [Test]
    public void TransposedViewsKeepTheirDims()
    {
        var layout = CoalescedLayout.Create([3, 4], [1, 3], [4, 1]);
        Assert.That(layout.Shape, Is.EqualTo(new[] { 3, 4 }));
        Assert.That(layout.Strides[0], Is.EqualTo(new long[] { 1, 3 }));
        Assert.That(layout.IsUnitStride(0), Is.False);
    }

    [Test]
    public void SizeOneDimsAreDroppedAndBroadcastsKept()
    {
        // [4, 1, 5] with b broadcast along dim 0: the size-1 dim goes, dims 0 and 2 cannot merge for b.
        var layout = CoalescedLayout.Create([4, 1, 5], [5, 99, 1], [0, 7, 1]);
        Assert.That(layout.Shape, Is.EqualTo(new[] { 4, 5 }));
        Assert.That(layout.Strides[1], Is.EqualTo(new long[] { 0, 1 }));
        var scalar = CoalescedLayout.Create([3, 2], [0, 0]);
        Assert.That(scalar.Shape, Is.EqualTo(new[] { 6 }));
        Assert.That(scalar.IsBroadcastScalar(0), Is.True);
    }

    [Test]
    public void ScalarsBecomeOneElement()
    {
        var layout = CoalescedLayout.Create([], []);
        Assert.That(layout.Shape, Is.EqualTo(new[] { 1 }));
        Assert.That(layout.Count, Is.EqualTo(1));
    }

    [Test]
    public void TooManyUnmergeableDimsAreRejected()
    {
        int[] shape = [2, 2, 2, 2, 2, 2, 2, 2, 2];
        long[] strides = [1, 2, 4, 8, 16, 32, 64, 128, 256]; // reversed order: nothing merges
        var layout = CoalescedLayout.Create(shape, strides);
        Assert.Throws<NotSupportedException>(() => _ = layout.KernelShape);
    }

    [Test]
    public void KernelStructsHaveTheCudaLayout()
    {
        // Sizes of the C++ structs in common.cuh, gemm_tiles.cuh, im2col.cu and pool.cu (also checked
        // against the compiled PTX by KernelLaunchSignatureTests).
        Assert.That(Unsafe.SizeOf<KernelShape>(), Is.EqualTo(36));
        Assert.That(Unsafe.SizeOf<KernelStrides>(), Is.EqualTo(64));
        Assert.That(Unsafe.SizeOf<GemmProblem>(), Is.EqualTo(96));
        Assert.That(Unsafe.SizeOf<ConvGeometry>(), Is.EqualTo(52));
        Assert.That(Unsafe.SizeOf<PoolGeometry>(), Is.EqualTo(44));
    }

    [Test]
    public void KernelArgumentsAreEightByteAligned()
    {
        var args = new KernelArguments();
        args.Add(1);
        args.Add(2.0);
        args.Add(KernelShape.From([3, 4]));
        Assert.That(args.Count, Is.EqualTo(3));
        Assert.That(new[] { args.SizeAt(0), args.SizeAt(1), args.SizeAt(2) }, Is.EqualTo(new[] { 4, 8, 36 }));
    }

    [Test]
    public void SizeClassesCoverTheRequestWithBoundedWaste()
    {
        Assert.That(CudaAllocator.BucketSize(1), Is.EqualTo(512));
        Assert.That(CudaAllocator.BucketSize(512), Is.EqualTo(512));
        Assert.That(CudaAllocator.BucketSize(513), Is.EqualTo(1024));
        Assert.That(CudaAllocator.BucketSize(1025), Is.EqualTo(1536));
        Assert.That(CudaAllocator.BucketSize(5000), Is.EqualTo(5120));
        long previous = 0;
        for (long bytes = 1; bytes < 1L << 34; bytes = bytes * 5 / 4 + 3)
        {
            long bucket = CudaAllocator.BucketSize(bytes);
            Assert.That(bucket, Is.GreaterThanOrEqualTo(bytes));
            Assert.That(bucket % 512, Is.Zero, $"{bytes} -> {bucket}");
            Assert.That(bucket, Is.GreaterThanOrEqualTo(previous), "size classes grow with the request");
            if (bytes > 4096) Assert.That(bucket, Is.LessThanOrEqualTo(bytes * 1.25 + 1), $"{bytes} -> {bucket}");
            if (bytes > 2 << 20) Assert.That(bucket, Is.LessThanOrEqualTo(bytes * 1.125 + 1), $"{bytes} -> {bucket}");
            previous = bucket;
        }
    }

    [Test]
    public void KernelNamesExpandToEveryCombination()
    {
        var names = KernelName.Product("copy_strided", ["float", "int"], ["unsigned int"]).ToArray();
        Assert.That(names, Is.EqualTo(new[] { "copy_strided<float, unsigned int>", "copy_strided<int, unsigned int>" }));
        Assert.That(KernelName.Of("philox_words"), Is.EqualTo("philox_words"));
    }
}
