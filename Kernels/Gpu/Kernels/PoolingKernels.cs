using System.Numerics;
using ILGPU;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu.Kernels;

/// <summary>The sizes of one pooling (<see cref="PoolGeometry"/>) as a kernel argument.</summary>
internal readonly struct PoolShape
{
    public readonly int Planes, Height, Width, OutHeight, OutWidth, KernelH, KernelW, StrideH, StrideW, PadH, PadW, CountIncludePad;

    public PoolShape(PoolGeometry g)
    {
        Planes = g.Planes; Height = g.Height; Width = g.Width; OutHeight = g.OutHeight; OutWidth = g.OutWidth;
        KernelH = g.P.KernelH; KernelW = g.P.KernelW; StrideH = g.P.StrideH; StrideW = g.P.StrideW;
        PadH = g.P.PadH; PadW = g.P.PadW; CountIncludePad = g.P.CountIncludePad ? 1 : 0;
    }

    public int InputPlane => Height * Width;
    public int OutputPlane => OutHeight * OutWidth;

    /// <summary>First output row whose window covers input row <paramref name="h"/> (clipped at 0).</summary>
    public int FirstOut(int h, int pad, int kernel, int stride)
    {
        int top = h + pad - kernel + 1; // oh·stride ≥ top
        return top <= 0 ? 0 : (top + stride - 1) / stride;
    }

    /// <summary>One past the last output row whose window covers input row <paramref name="h"/> (clipped to <paramref name="outSize"/>).</summary>
    public static int EndOut(int h, int pad, int stride, int outSize) => Math.Min((h + pad) / stride + 1, outSize);
}

/// <summary>
/// Max and average pooling over NCHW planes with the CPU's semantics (<see cref="Cpu.MaxPool2dKernel"/>,
/// <see cref="Cpu.AvgPool2dKernel"/>), one thread per output element in the forward passes. The backward passes
/// are gathers, one thread per input element: each sums, in ascending output order, the gradients of the
/// windows that cover it (max pooling: those whose recorded index is this element). That is the CPU's scatter
/// order, so the sums are bit-identical to the CPU's and need no atomics.
/// </summary>
internal static class PoolingKernels
{
    private static long Step => (long)Grid.DimX * Group.DimX;

    public static void MaxForward<T>(ArrayView<T> x, ArrayView<T> y, ArrayView<int> indices, PoolShape g, long total)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outPlane = g.OutputPlane;
        for (long i = Grid.GlobalIndex.X; i < total; i += Step)
        {
            long plane = i / outPlane;
            int r = (int)(i - plane * outPlane), oh = r / g.OutWidth, ow = r - oh * g.OutWidth;
            int h0 = oh * g.StrideH - g.PadH, w0 = ow * g.StrideW - g.PadW;
            int hStart = Math.Max(h0, 0), hEnd = Math.Min(h0 + g.KernelH, g.Height);
            int wStart = Math.Max(w0, 0), wEnd = Math.Min(w0 + g.KernelW, g.Width);
            long baseAt = plane * g.InputPlane;
            T best = T.NegativeInfinity;
            int bestIndex = hStart * g.Width + wStart;
            bool found = false;
            for (int h = hStart; h < hEnd && !found; h++)
            {
                for (int w = wStart; w < wEnd; w++)
                {
                    T value = x[baseAt + h * g.Width + w];
                    // Strictly greater keeps the first maximum; the first NaN ends the search.
                    if (value > best || T.IsNaN(value))
                    {
                        best = value;
                        bestIndex = h * g.Width + w;
                        if (T.IsNaN(value))
                        {
                            found = true;
                            break;
                        }
                    }
                }
            }
            y[i] = best;
            indices[i] = bestIndex;
        }
    }

    public static void MaxBackward<T>(ArrayView<T> gy, ArrayView<int> indices, ArrayView<T> gx, PoolShape g, long total, ArrayView<int> errors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inPlane = g.InputPlane, outPlane = g.OutputPlane;
        for (long i = Grid.GlobalIndex.X; i < total; i += Step)
        {
            long plane = i / inPlane;
            int r = (int)(i - plane * inPlane), h = r / g.Width, w = r - h * g.Width;
            int ohStart = g.FirstOut(h, g.PadH, g.KernelH, g.StrideH), ohEnd = PoolShape.EndOut(h, g.PadH, g.StrideH, g.OutHeight);
            int owStart = g.FirstOut(w, g.PadW, g.KernelW, g.StrideW), owEnd = PoolShape.EndOut(w, g.PadW, g.StrideW, g.OutWidth);
            long outBase = plane * outPlane;
            T sum = T.Zero;
            for (int oh = ohStart; oh < ohEnd; oh++)
            {
                for (int ow = owStart; ow < owEnd; ow++)
                {
                    long o = outBase + oh * g.OutWidth + ow;
                    int index = indices[o];
                    if (index == r) sum += gy[o];
                    else if ((uint)index >= (uint)inPlane)
                        DeviceErrors.Report(errors, DeviceErrorCode.IndexOutOfRange, (int)DeviceOperation.MaxPool2dBackward, index, inPlane);
                }
            }
            gx[i] = sum;
        }
    }

    /// <summary>The divisor of window (oh, ow), as the CPU's AvgPool2dKernel.WindowAt.</summary>
    private static int Divisor(in PoolShape g, int oh, int ow)
    {
        int h0 = oh * g.StrideH - g.PadH, w0 = ow * g.StrideW - g.PadW;
        int h1 = Math.Min(h0 + g.KernelH, g.Height + g.PadH), w1 = Math.Min(w0 + g.KernelW, g.Width + g.PadW);
        if (g.CountIncludePad != 0) return (h1 - h0) * (w1 - w0);
        return (Math.Min(h1, g.Height) - Math.Max(h0, 0)) * (Math.Min(w1, g.Width) - Math.Max(w0, 0));
    }

    public static void AvgForward<T>(ArrayView<T> x, ArrayView<T> y, PoolShape g, long total, T one)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outPlane = g.OutputPlane;
        for (long i = Grid.GlobalIndex.X; i < total; i += Step)
        {
            long plane = i / outPlane;
            int r = (int)(i - plane * outPlane), oh = r / g.OutWidth, ow = r - oh * g.OutWidth;
            int h0 = oh * g.StrideH - g.PadH, w0 = ow * g.StrideW - g.PadW;
            int hStart = Math.Max(h0, 0), hEnd = Math.Min(Math.Min(h0 + g.KernelH, g.Height + g.PadH), g.Height);
            int wStart = Math.Max(w0, 0), wEnd = Math.Min(Math.Min(w0 + g.KernelW, g.Width + g.PadW), g.Width);
            long baseAt = plane * g.InputPlane;
            T sum = T.Zero;
            for (int h = hStart; h < hEnd; h++)
                for (int w = wStart; w < wEnd; w++) sum += x[baseAt + h * g.Width + w];
            y[i] = sum / FromInt(Divisor(g, oh, ow), one);
        }
    }

    public static void AvgBackward<T>(ArrayView<T> gy, ArrayView<T> gx, PoolShape g, long total, T one)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inPlane = g.InputPlane, outPlane = g.OutputPlane;
        for (long i = Grid.GlobalIndex.X; i < total; i += Step)
        {
            long plane = i / inPlane;
            int r = (int)(i - plane * inPlane), h = r / g.Width, w = r - h * g.Width;
            int ohStart = g.FirstOut(h, g.PadH, g.KernelH, g.StrideH), ohEnd = PoolShape.EndOut(h, g.PadH, g.StrideH, g.OutHeight);
            int owStart = g.FirstOut(w, g.PadW, g.KernelW, g.StrideW), owEnd = PoolShape.EndOut(w, g.PadW, g.StrideW, g.OutWidth);
            long outBase = plane * outPlane;
            T sum = T.Zero;
            for (int oh = ohStart; oh < ohEnd; oh++)
                for (int ow = owStart; ow < owEnd; ow++)
                    sum += gy[outBase + oh * g.OutWidth + ow] / FromInt(Divisor(g, oh, ow), one);
            gx[i] = sum;
        }
    }

    /// <summary>A small positive int (a window size) as T, exactly: built from <paramref name="one"/> (T.CreateTruncating tests types).</summary>
    private static T FromInt<T>(int n, T one) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T result = T.Zero, bit = one;
        for (; n > 0; n >>= 1, bit += bit)
            if ((n & 1) != 0) result += bit;
        return result;
    }
}
