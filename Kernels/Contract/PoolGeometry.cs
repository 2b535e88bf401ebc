using Scratch.Kernels.Cpu;

namespace Scratch.Kernels;

/// <summary>
/// The sizes of one 2-D pooling over NCHW planes, read from the views and checked: the pooling part of the
/// backend contract, shared by the CPU and GPU backends (<see cref="BackendContract"/>).
/// </summary>
internal readonly record struct PoolGeometry(int Planes, int Height, int Width, int OutHeight, int OutWidth, Pool2dParams P)
{
    /// <summary>Pixels of one input plane.</summary>
    public int InputPlane => Height * Width;

    /// <summary>Pixels of one output plane.</summary>
    public int OutputPlane => OutHeight * OutWidth;

    /// <summary>
    /// Checks the parameters and that <paramref name="input"/> [N, C, H, W] and <paramref name="output"/>
    /// [N, C, OH, OW] agree (both contiguous, same floating dtype).
    /// </summary>
    public static PoolGeometry Create(string op, BufferView input, string inputName, BufferView output, string outputName, Pool2dParams p)
    {
        if (p.KernelH < 1 || p.KernelW < 1 || p.StrideH < 1 || p.StrideW < 1 || p.PadH < 0 || p.PadW < 0)
            throw new ArgumentException($"{op}: invalid parameters {p} (kernel and stride must be >= 1, padding >= 0)");
        if (2 * p.PadH > p.KernelH || 2 * p.PadW > p.KernelW)
            throw new ArgumentException($"{op}: padding {p.PadH}x{p.PadW} must be at most half of the kernel {p.KernelH}x{p.KernelW}");
        ConvGeometry.RequireContiguous(op, input, inputName, 4);
        ConvGeometry.RequireContiguous(op, output, outputName, 4);
        if (input.DType != output.DType)
            throw new ArgumentException($"{op}: dtypes differ: {inputName} {input.DType.Name()}, {outputName} {output.DType.Name()}");
        if (!input.DType.IsFloatingPoint())
            throw new NotSupportedException($"{op}: dtype {input.DType.Name()} is not supported (float32 and float64 are)");
        int n = input.Shape[0], c = input.Shape[1], h = input.Shape[2], w = input.Shape[3];
        int oh = p.OutputHeight(h), ow = p.OutputWidth(w);
        if (oh < 1 || ow < 1)
            throw new ArgumentException($"{op}: window {p.KernelH}x{p.KernelW} with padding {p.PadH}x{p.PadW} does not fit {inputName} {ConvGeometry.Describe(input)}");
        if (output.Shape[0] != n || output.Shape[1] != c || output.Shape[2] != oh || output.Shape[3] != ow)
            throw new ArgumentException($"{op}: {outputName} {ConvGeometry.Describe(output)} should be [{n}, {c}, {oh}, {ow}] for {inputName} {ConvGeometry.Describe(input)}");
        return new PoolGeometry(n * c, h, w, oh, ow, p);
    }

    /// <summary>Checks that <paramref name="indices"/> is a contiguous Int32 view shaped like <paramref name="output"/>.</summary>
    public static void RequireIndices(string op, BufferView indices, BufferView output, string outputName)
    {
        ConvGeometry.RequireContiguous(op, indices, "indices", 4);
        if (indices.DType != DType.Int32)
            throw new ArgumentException($"{op}: indices must be int32, got {indices.DType.Name()}");
        if (!indices.Shape.AsSpan().SequenceEqual(output.Shape))
            throw new ArgumentException($"{op}: indices {ConvGeometry.Describe(indices)} must have the shape of {outputName} {ConvGeometry.Describe(output)}");
    }

    /// <summary>Planes per parallel chunk so that each chunk holds a few thousand elements.</summary>
    public long Grain => Math.Max(1, 16384 / Math.Max(1, (long)InputPlane + OutputPlane));
}
