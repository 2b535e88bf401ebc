using Scratch.Kernels.Cuda.Runtime;
using static Scratch.Kernels.Cuda.Ops.ViewChecks;

namespace Scratch.Kernels.Cuda.Ops;

/// <summary>Launcher of <see cref="IBackend.Random"/> (Philox4x32-10, the stream <see cref="RandomDistribution"/> documents).</summary>
internal static class RandomOps
{
    public static void Fill(IKernelHost backend, RandomDistribution distribution, BufferView y, ulong seed, ulong offset, double a, double b)
    {
        string op = $"random ({distribution.ToString().ToLowerInvariant()})";
        Floating(op, y, "y");
        RandomArgs.CheckParameters(op, distribution, a, b);
        long n = y.Count;
        if (n == 0) return;
        RandomArgs.RequireDistinctElements(op, y);
        var layout = CoalescedLayout.Create(y.Shape, y.Strides);
        long blocks = distribution == RandomDistribution.Normal ? (n + 1) / 2 : (n + 3) / 4;
        var args = new KernelArguments();
        args.Add((int)distribution);
        args.Add(backend.Address(y));
        args.Add(layout.KernelStrides(0));
        args.Add(layout.KernelShape);
        args.Add(n);
        args.Add(seed);
        args.Add(offset);
        args.Add(a);
        args.Add(b);
        backend.Launch(KernelCatalog.Random, KernelName.Of("philox_fill", KernelName.CppType(y.DType)), ElementwiseOps.Linear(backend, blocks), ref args);
    }

    /// <summary>The raw 32-bit Philox words of <paramref name="blocks"/> blocks from <paramref name="offset"/> (4 per block), for bit-exact tests.</summary>
    public static uint[] Words(CudaBackend backend, ulong seed, ulong offset, int blocks)
    {
        var words = new int[4 * blocks];
        if (blocks == 0) return [];
        var buffer = backend.Allocate(DType.Int32, words.Length);
        try
        {
            var args = new KernelArguments();
            args.Add(((IKernelHost)backend).Address(buffer, 0));
            args.Add((long)blocks);
            args.Add(seed);
            args.Add(offset);
            ((IKernelHost)backend).Launch(KernelCatalog.Random, "philox_words", ElementwiseOps.Linear(backend, blocks), ref args);
            backend.Download<int>(buffer, 0, words);
        }
        finally
        {
            buffer.Release();
        }
        return [.. words.Select(w => unchecked((uint)w))];
    }
}
