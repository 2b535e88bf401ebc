using System.Runtime.InteropServices;
using Scratch.Kernels.Cuda.Runtime;
using static Scratch.Kernels.Cuda.Ops.ViewChecks;

namespace Scratch.Kernels.Cuda.Ops;

/// <summary>Pooling geometry passed by value to pool.cu (struct PoolGeometry: 11 ints).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PoolGeometry
{
    public int Height, Width;
    public int OutH, OutW;
    public int KernelH, KernelW;
    public int StrideH, StrideW;
    public int PadH, PadW;
    public int CountIncludePad;
}

/// <summary>Launchers of max and average pooling over contiguous NCHW, one thread per output (forward) or input (backward) element.</summary>
internal static class PoolingOps
{
    public static void MaxForward(IKernelHost backend, BufferView x, BufferView y, BufferView indices, Pool2dParams p)
    {
        const string op = "max_pool2d";
        var (geometry, planes) = Check(op, x, y, "y", p);
        CheckIndices(op, indices, y, "y");
        Launch(backend, "max_pool_forward", x.DType, y.Count, geometry, planes, x, y, indices);
    }

    public static void MaxBackward(IKernelHost backend, BufferView gy, BufferView indices, BufferView gx, Pool2dParams p)
    {
        const string op = "max_pool2d backward";
        var (geometry, planes) = Check(op, gx, gy, "gy", p);
        CheckIndices(op, indices, gy, "gy");
        Launch(backend, "max_pool_backward", gx.DType, gx.Count, geometry, planes, gy, indices, gx);
    }

    public static void AvgForward(IKernelHost backend, BufferView x, BufferView y, Pool2dParams p)
    {
        var (geometry, planes) = Check("avg_pool2d", x, y, "y", p);
        Launch(backend, "avg_pool_forward", x.DType, y.Count, geometry, planes, x, y);
    }

    public static void AvgBackward(IKernelHost backend, BufferView gy, BufferView gx, Pool2dParams p)
    {
        var (geometry, planes) = Check("avg_pool2d backward", gx, gy, "gy", p);
        Launch(backend, "avg_pool_backward", gx.DType, gx.Count, geometry, planes, gy, gx);
    }

    // pool.cu kernels take (their views' addresses, geometry, N·C) and run one thread per element of `total`.
    private static void Launch(IKernelHost backend, string kernel, DType dtype, long total, PoolGeometry geometry, long planes, params ReadOnlySpan<BufferView> views)
    {
        if (total == 0) return;
        var args = new KernelArguments();
        foreach (var view in views) args.Add(backend.Address(view));
        args.Add(geometry);
        args.Add(planes);
        backend.Launch(KernelCatalog.Pooling, KernelName.Of(kernel, KernelName.CppType(dtype)), ElementwiseOps.Linear(backend, total), ref args);
    }

    // Max pooling's argmax indices: Int32, contiguous, shaped like the pooled output.
    private static void CheckIndices(string op, BufferView indices, BufferView pooled, string pooledName)
    {
        SameShape(op, pooled, pooledName, indices, "indices");
        HasDType(op, indices, "indices", DType.Int32);
        Contiguous(op, indices, "indices");
    }

    // Validates input [N, C, H, W] against output [N, C, OH, OW]; returns the geometry and N·C.
    private static (PoolGeometry, long) Check(string op, BufferView input, BufferView output, string outputName, Pool2dParams p)
    {
        SameDType(op, input, "x", output, outputName);
        Floating(op, input, "x");
        Rank(op, input, "x", 4);
        Rank(op, output, outputName, 4);
        Contiguous(op, input, "x");
        Contiguous(op, output, outputName);
        if (p.KernelH < 1 || p.KernelW < 1 || p.StrideH < 1 || p.StrideW < 1 || p.PadH < 0 || p.PadW < 0)
            throw new ArgumentException($"{op}: invalid parameters {p}");
        if (2 * p.PadH > p.KernelH || 2 * p.PadW > p.KernelW)
            throw new ArgumentException($"{op}: padding {p.PadH}x{p.PadW} must be at most half of the kernel {p.KernelH}x{p.KernelW}");
        int h = input.Shape[2], w = input.Shape[3];
        int[] expected = [input.Shape[0], input.Shape[1], p.OutputHeight(h), p.OutputWidth(w)];
        if (expected[2] < 1 || expected[3] < 1)
            throw new ArgumentException($"{op}: window {p.KernelH}×{p.KernelW} (padding {p.PadH}×{p.PadW}) does not fit x {Describe(input.Shape)}");
        if (!output.Shape.AsSpan().SequenceEqual(expected))
            throw new ArgumentException($"{op}: {outputName} {Describe(output.Shape)} should be {Describe(expected)} for x {Describe(input.Shape)}");
        var geometry = new PoolGeometry
        {
            Height = h, Width = w, OutH = expected[2], OutW = expected[3],
            KernelH = p.KernelH, KernelW = p.KernelW, StrideH = p.StrideH, StrideW = p.StrideW,
            PadH = p.PadH, PadW = p.PadW, CountIncludePad = p.CountIncludePad ? 1 : 0,
        };
        return (geometry, (long)input.Shape[0] * input.Shape[1]);
    }
}
