using Scratch.Kernels;

namespace Scratch;

public sealed partial class NDArray
{
    /// <summary>
    /// 2-D convolution (cross-correlation, as PyTorch) of x [N, C, H, W] with weight
    /// [O, C/groups, KH, KW] plus an optional bias [O]; returns [N, O, OH, OW].
    /// </summary>
    public static NDArray Conv2d(NDArray x, NDArray weight, NDArray? bias, Conv2dParams p)
    {
        CheckConv("conv2d", x, weight, bias, p);
        int n = x._shape[0], oc = weight._shape[0];
        int oh = p.OutputHeight(x._shape[2], weight._shape[2]), ow = p.OutputWidth(x._shape[3], weight._shape[3]);
        // The output-size formula divides a possibly negative number (which truncates toward zero), so test the extents directly.
        bool fits = x._shape[2] + 2 * p.PadH >= p.DilationH * (weight._shape[2] - 1) + 1
            && x._shape[3] + 2 * p.PadW >= p.DilationW * (weight._shape[3] - 1) + 1;
        if (!fits || oh <= 0 || ow <= 0)
            throw new ArgumentException($"conv2d: input {x.ShapeString} is too small for kernel {weight._shape[2]}x{weight._shape[3]} with {p}");
        var y = Empty([n, oc, oh, ow], x.DType, x.Device);
        if (y.Count > 0)
            x.Backend.Conv2dForward(x.Contiguous().KernelView, weight.Contiguous().KernelView, bias?.Contiguous().KernelView, y.KernelView, p);
        return y;
    }

    /// <summary>∂L/∂x of <see cref="Conv2d"/> for an input of <paramref name="inputShape"/>.</summary>
    public static NDArray Conv2dBackwardData(NDArray gradOutput, NDArray weight, int[] inputShape, Conv2dParams p)
    {
        CheckSameDevice("conv2d_backward_data", gradOutput, weight);
        var gx = Empty(inputShape, gradOutput.DType, gradOutput.Device);
        if (gx.Count > 0)
            gradOutput.Backend.Conv2dBackwardData(gradOutput.Contiguous().KernelView, weight.Contiguous().KernelView, gx.KernelView, p);
        return gx;
    }

    /// <summary>∂L/∂w of <see cref="Conv2d"/> for a weight of <paramref name="weightShape"/>.</summary>
    public static NDArray Conv2dBackwardWeight(NDArray x, NDArray gradOutput, int[] weightShape, Conv2dParams p)
    {
        CheckSameDevice("conv2d_backward_weight", x, gradOutput);
        var gw = Empty(weightShape, x.DType, x.Device);
        if (gw.Count > 0)
            x.Backend.Conv2dBackwardWeight(x.Contiguous().KernelView, gradOutput.Contiguous().KernelView, gw.KernelView, p);
        return gw;
    }

    private static void CheckConv(string op, NDArray x, NDArray w, NDArray? bias, Conv2dParams p)
    {
        CheckSameDevice(op, x, w, bias);
        CheckSameDType(op, x, w, bias);
        x.CheckFloating(op);
        if (x.Rank != 4) throw new ArgumentException($"{op}: input must be [N, C, H, W], got {x.ShapeString}");
        if (w.Rank != 4) throw new ArgumentException($"{op}: weight must be [O, C/groups, KH, KW], got {w.ShapeString}");
        if (p.Groups < 1 || p.StrideH < 1 || p.StrideW < 1 || p.DilationH < 1 || p.DilationW < 1 || p.PadH < 0 || p.PadW < 0)
            throw new ArgumentException($"{op}: invalid geometry {p}");
        if (x._shape[1] % p.Groups != 0 || w._shape[0] % p.Groups != 0)
            throw new ArgumentException($"{op}: {p.Groups} groups do not divide input channels {x._shape[1]} and output channels {w._shape[0]}");
        if (w._shape[1] * p.Groups != x._shape[1])
            throw new ArgumentException($"{op}: weight {w.ShapeString} with {p.Groups} group(s) expects {w._shape[1] * p.Groups} input channels, input {x.ShapeString} has {x._shape[1]}");
        if (bias is not null && (bias.Rank != 1 || bias._shape[0] != w._shape[0]))
            throw new ArgumentException($"{op}: bias must be [{w._shape[0]}], got {bias.ShapeString}");
    }

    // ---- pooling ----------------------------------------------------------------------------

    /// <summary>Max pooling of x [N, C, H, W]; also returns the Int32 argmax index (h·W + w) of each output.</summary>
    public static (NDArray Values, NDArray Indices) MaxPool2d(NDArray x, Pool2dParams p)
    {
        var (n, c, oh, ow) = CheckPool("max_pool2d", x, p);
        var y = Empty([n, c, oh, ow], x.DType, x.Device);
        var indices = Empty([n, c, oh, ow], DType.Int32, x.Device);
        if (y.Count > 0) x.Backend.MaxPool2dForward(x.Contiguous().KernelView, y.KernelView, indices.KernelView, p);
        return (y, indices);
    }

    /// <summary>∂L/∂x of <see cref="MaxPool2d"/> for an input of <paramref name="inputShape"/>.</summary>
    public static NDArray MaxPool2dBackward(NDArray gradOutput, NDArray indices, int[] inputShape, Pool2dParams p)
    {
        var gx = Empty(inputShape, gradOutput.DType, gradOutput.Device);
        if (gx.Count > 0)
            gradOutput.Backend.MaxPool2dBackward(gradOutput.Contiguous().KernelView, indices.Contiguous().KernelView, gx.KernelView, p);
        return gx;
    }

    /// <summary>Average pooling of x [N, C, H, W].</summary>
    public static NDArray AvgPool2d(NDArray x, Pool2dParams p)
    {
        var (n, c, oh, ow) = CheckPool("avg_pool2d", x, p);
        var y = Empty([n, c, oh, ow], x.DType, x.Device);
        if (y.Count > 0) x.Backend.AvgPool2dForward(x.Contiguous().KernelView, y.KernelView, p);
        return y;
    }

    /// <summary>∂L/∂x of <see cref="AvgPool2d"/> for an input of <paramref name="inputShape"/>.</summary>
    public static NDArray AvgPool2dBackward(NDArray gradOutput, int[] inputShape, Pool2dParams p)
    {
        var gx = Empty(inputShape, gradOutput.DType, gradOutput.Device);
        if (gx.Count > 0) gradOutput.Backend.AvgPool2dBackward(gradOutput.Contiguous().KernelView, gx.KernelView, p);
        return gx;
    }

    private static (int N, int C, int OH, int OW) CheckPool(string op, NDArray x, Pool2dParams p)
    {
        x.CheckFloating(op);
        if (x.Rank != 4) throw new ArgumentException($"{op}: input must be [N, C, H, W], got {x.ShapeString}");
        if (p.KernelH < 1 || p.KernelW < 1 || p.StrideH < 1 || p.StrideW < 1 || p.PadH < 0 || p.PadW < 0)
            throw new ArgumentException($"{op}: invalid geometry {p}");
        if (p.PadH * 2 > p.KernelH || p.PadW * 2 > p.KernelW)
            throw new ArgumentException($"{op}: padding ({p.PadH}, {p.PadW}) must be at most half the kernel ({p.KernelH}, {p.KernelW})");
        int oh = p.OutputHeight(x._shape[2]), ow = p.OutputWidth(x._shape[3]);
        // As in conv2d: a negative numerator truncates toward zero, so compare the extents directly.
        bool fits = x._shape[2] + 2 * p.PadH >= p.KernelH && x._shape[3] + 2 * p.PadW >= p.KernelW;
        if (!fits || oh <= 0 || ow <= 0)
            throw new ArgumentException($"{op}: input {x.ShapeString} is smaller than the {p.KernelH}x{p.KernelW} window");
        return (x._shape[0], x._shape[1], oh, ow);
    }
}
