using Scratch.Kernels.Cuda.Runtime;
using static Scratch.Kernels.Cuda.Ops.ViewChecks;

namespace Scratch.Kernels.Cuda.Ops;

/// <summary>
/// Launchers of batch normalisation over contiguous x [N, C, S]: per-channel sums in (channel, split)
/// blocks, an ordered per-channel finalisation, then an elementwise pass. The split count depends on
/// the sizes only.
/// </summary>
internal static class BatchNormOps
{
    private const int SumsBytes = 16; // sizeof(BnSums): two doubles
    private const int Block = 256;

    public static void ForwardTraining(IKernelHost backend, BufferView x, BufferView? weight, BufferView? bias, BufferView y,
        BufferView saveMean, BufferView saveInvStd, BufferView? runningMean, BufferView? runningVar, double momentum, double eps)
    {
        const string op = "batch_norm";
        var (n, c, s) = Check(op, x, y);
        CheckChannel(op, x, c, weight, "weight");
        CheckChannel(op, x, c, bias, "bias");
        CheckChannel(op, x, c, saveMean, "saveMean");
        CheckChannel(op, x, c, saveInvStd, "saveInvStd");
        CheckChannel(op, x, c, runningMean, "runningMean");
        CheckChannel(op, x, c, runningVar, "runningVar");
        long count = (long)n * s;
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, $"{op}: eps must be >= 0");
        if (c == 0) return;
        if (count <= 1)
            throw new ArgumentException($"{op}: training needs more than one value per channel, x {Describe(x.Shape)} gives {count}");

        string type = KernelName.CppType(x.DType);
        int splits = Splits(c, count);
        long chunk = (count + splits - 1) / splits;
        var partial = backend.Workspace(DType.Float64, (long)c * splits * SumsBytes / 8);
        try
        {
            var stats = new KernelArguments();
            stats.Add(backend.Address(x));
            stats.Add(n);
            stats.Add(c);
            stats.Add(s);
            stats.Add(chunk);
            stats.Add(backend.Address(partial, 0));
            backend.Launch(KernelCatalog.BatchNorm, KernelName.Of("bn_partial_stats", type), new LaunchShape((uint)c, (uint)splits, 1, Block, 1, 1), ref stats);

            var finalize = new KernelArguments();
            finalize.Add(backend.Address(x));
            finalize.Add(backend.Address(partial, 0));
            finalize.Add(splits);
            finalize.Add(c);
            finalize.Add(s);
            finalize.Add(count);
            finalize.Add(eps);
            finalize.Add(momentum);
            finalize.Add(backend.Address(saveMean));
            finalize.Add(backend.Address(saveInvStd));
            finalize.Add(Optional(backend, runningMean));
            finalize.Add(Optional(backend, runningVar));
            backend.Launch(KernelCatalog.BatchNorm, KernelName.Of("bn_finalize_stats", type), ElementwiseOps.Linear(backend, c), ref finalize);
        }
        finally
        {
            partial.Release();
        }

        var normalize = PerElementArguments(backend, x, y, saveMean, saveInvStd, weight, bias, c, s);
        backend.Launch(KernelCatalog.BatchNorm, KernelName.Of("bn_normalize", type), ElementwiseOps.Linear(backend, x.Count), ref normalize);
    }

    public static void ForwardInference(IKernelHost backend, BufferView x, BufferView? weight, BufferView? bias,
        BufferView mean, BufferView variance, BufferView y, double eps)
    {
        const string op = "batch_norm inference";
        var (_, c, s) = Check(op, x, y);
        CheckChannel(op, x, c, weight, "weight");
        CheckChannel(op, x, c, bias, "bias");
        CheckChannel(op, x, c, mean, "mean");
        CheckChannel(op, x, c, variance, "variance");
        if (x.Count == 0) return;
        var args = PerElementArguments(backend, x, y, mean, variance, weight, bias, c, s);
        args.Add(eps);
        backend.Launch(KernelCatalog.BatchNorm, KernelName.Of("bn_inference", KernelName.CppType(x.DType)), ElementwiseOps.Linear(backend, x.Count), ref args);
    }

    public static void Backward(IKernelHost backend, BufferView x, BufferView gy, BufferView? weight, BufferView saveMean, BufferView saveInvStd,
        BufferView gx, BufferView? gWeight, BufferView? gBias)
    {
        const string op = "batch_norm backward";
        var (n, c, s) = Check(op, x, gy);
        SameShape(op, x, "x", gx, "gx");
        SameDType(op, x, "x", gx, "gx");
        Contiguous(op, gx, "gx");
        CheckChannel(op, x, c, weight, "weight");
        CheckChannel(op, x, c, saveMean, "saveMean");
        CheckChannel(op, x, c, saveInvStd, "saveInvStd");
        CheckChannel(op, x, c, gWeight, "gWeight");
        CheckChannel(op, x, c, gBias, "gBias");
        long count = (long)n * s;
        if (c == 0) return;
        if (count == 0)
        {
            if (gWeight is { } gw) ElementwiseOps.Fill(backend, gw, 0);
            if (gBias is { } gb) ElementwiseOps.Fill(backend, gb, 0);
            return;
        }

        string type = KernelName.CppType(x.DType);
        int splits = Splits(c, count);
        long chunk = (count + splits - 1) / splits;
        var partial = backend.Workspace(DType.Float64, (long)c * splits * SumsBytes / 8);
        var totals = backend.Workspace(DType.Float64, (long)c * SumsBytes / 8);
        try
        {
            var sums = new KernelArguments();
            sums.Add(backend.Address(x));
            sums.Add(backend.Address(gy));
            sums.Add(backend.Address(saveMean));
            sums.Add(n);
            sums.Add(c);
            sums.Add(s);
            sums.Add(chunk);
            sums.Add(backend.Address(partial, 0));
            backend.Launch(KernelCatalog.BatchNorm, KernelName.Of("bn_backward_partial", type), new LaunchShape((uint)c, (uint)splits, 1, Block, 1, 1), ref sums);

            var finalize = new KernelArguments();
            finalize.Add(backend.Address(partial, 0));
            finalize.Add(splits);
            finalize.Add(c);
            finalize.Add(backend.Address(saveInvStd));
            finalize.Add(backend.Address(totals, 0));
            finalize.Add(Optional(backend, gWeight));
            finalize.Add(Optional(backend, gBias));
            backend.Launch(KernelCatalog.BatchNorm, KernelName.Of("bn_backward_finalize", type), ElementwiseOps.Linear(backend, c), ref finalize);

            var input = new KernelArguments();
            input.Add(backend.Address(x));
            input.Add(backend.Address(gy));
            input.Add(backend.Address(saveMean));
            input.Add(backend.Address(saveInvStd));
            input.Add(Optional(backend, weight));
            input.Add(backend.Address(totals, 0));
            input.Add(backend.Address(gx));
            input.Add(c);
            input.Add(s);
            input.Add(x.Count);
            input.Add(count);
            backend.Launch(KernelCatalog.BatchNorm, KernelName.Of("bn_backward_input", type), ElementwiseOps.Linear(backend, x.Count), ref input);
        }
        finally
        {
            partial.Release();
            totals.Release();
        }
    }

    // Enough (channel, split) blocks to fill the GPU when channels are few; sizes only.
    private static int Splits(int channels, long count)
    {
        if (channels >= 256) return 1;
        long byWork = (count + 16383) / 16384;
        long byChannels = Math.Max(1, 512 / channels);
        return (int)Math.Clamp(Math.Min(byWork, byChannels), 1, 1024);
    }

    // bn_normalize and bn_inference begin alike: (x, y, two per-channel statistics, weight?, bias?, C, S, N·C·S).
    private static KernelArguments PerElementArguments(IKernelHost backend, BufferView x, BufferView y, BufferView statistic0, BufferView statistic1,
        BufferView? weight, BufferView? bias, int c, long s)
    {
        var args = new KernelArguments();
        args.Add(backend.Address(x));
        args.Add(backend.Address(y));
        args.Add(backend.Address(statistic0));
        args.Add(backend.Address(statistic1));
        args.Add(Optional(backend, weight));
        args.Add(Optional(backend, bias));
        args.Add(c);
        args.Add(s);
        args.Add(x.Count);
        return args;
    }

    private static ulong Optional(IKernelHost backend, BufferView? view) => view is { } v ? backend.Address(v) : 0;

    private static (int N, int C, long S) Check(string op, BufferView x, BufferView other)
    {
        SameShape(op, x, "x", other, "y");
        SameDType(op, x, "x", other, "y");
        Floating(op, x, "x");
        Rank(op, x, "x", 3);
        Contiguous(op, x, "x");
        Contiguous(op, other, "y");
        return (x.Shape[0], x.Shape[1], x.Shape[2]);
    }

    private static void CheckChannel(string op, BufferView x, int channels, BufferView? view, string name)
    {
        if (view is not { } v) return;
        SameDType(op, x, "x", v, name);
        Contiguous(op, v, name);
        if (v.Count != channels)
            throw new ArgumentException($"{op}: {name} {Describe(v.Shape)} must have {channels} elements (one per channel of x {Describe(x.Shape)})");
    }
}
