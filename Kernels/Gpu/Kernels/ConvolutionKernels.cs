using System.Numerics;
using System.Runtime.InteropServices;
using ILGPU;

namespace Scratch.Kernels.Gpu.Kernels;

/// <summary>
/// The sizes of one convolution and the layout of its column matrix, passed by value to the kernels.
/// Column element (image n of the chunk, group g, row r = (cg·KH + kh)·KW + kw, pixel p = oh·OW + ow) lives
/// at <c>n·ImageStride + g·GroupStride + r·RowStride + p</c>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ConvShape
{
    public int Channels, Height, Width, KernelH, KernelW, OutHeight, OutWidth;
    public int StrideH, StrideW, PadH, PadW, DilationH, DilationW, Groups, GroupChannels;
    public long ImageStride, GroupStride, RowStride;

    public readonly int Rows => GroupChannels * KernelH * KernelW;
    public readonly int OutputPlane => OutHeight * OutWidth;
    public readonly int InputPlane => Height * Width;

    public static ConvShape From(in ConvGeometry g) => new()
    {
        Channels = g.Channels, Height = g.Height, Width = g.Width, KernelH = g.KernelH, KernelW = g.KernelW,
        OutHeight = g.OutHeight, OutWidth = g.OutWidth,
        StrideH = g.P.StrideH, StrideW = g.P.StrideW, PadH = g.P.PadH, PadW = g.P.PadW,
        DilationH = g.P.DilationH, DilationW = g.P.DilationW, Groups = g.P.Groups, GroupChannels = g.GroupChannels,
    };
}

/// <summary>
/// im2col, col2im and the bias broadcast of the convolutions, one thread per output element in grid-stride
/// loops. col2im gathers (each input pixel sums the column entries that read it, in a fixed tap order), so it
/// needs no atomics and its result does not depend on the schedule.
/// </summary>
internal static class ConvolutionKernels
{
    /// <summary>
    /// Unfolds images [first, first + count) of contiguous NCHW <paramref name="x"/> (a view from x's offset)
    /// into <paramref name="col"/>; taps outside the padded input read zero.
    /// </summary>
    public static void Im2Col<T>(ArrayView<T> x, ArrayView<T> col, ConvShape s, int first, long total) where T : unmanaged, INumber<T>
    {
        int plane = s.OutputPlane, rows = s.Rows;
        for (long i = CopyKernels.Start; i < total; i += CopyKernels.Step)
        {
            long t = i / plane;
            int p = (int)(i - t * plane);
            long u = t / rows;
            int r = (int)(t - u * rows);
            long n = u / s.Groups;
            int g = (int)(u - n * s.Groups);
            int kw = r % s.KernelW, rest = r / s.KernelW;
            int kh = rest % s.KernelH, cg = rest / s.KernelH;
            int oh = p / s.OutWidth, ow = p - oh * s.OutWidth;
            int h = oh * s.StrideH - s.PadH + kh * s.DilationH;
            int w = ow * s.StrideW - s.PadW + kw * s.DilationW;
            T value = T.Zero;
            if (h >= 0 && h < s.Height && w >= 0 && w < s.Width)
            {
                long c = (long)g * s.GroupChannels + cg;
                value = x[((first + n) * s.Channels + c) * s.InputPlane + (long)h * s.Width + w];
            }
            col[n * s.ImageStride + g * s.GroupStride + r * s.RowStride + p] = value;
        }
    }

    /// <summary>
    /// Folds the column gradient back: gx[first + n, c, h, w] = Σ over the taps (kh, kw) that read (h, w) of
    /// col[n, g, (cg, kh, kw), (oh, ow)], taps in row-major order. Writes every element of the chunk's images.
    /// </summary>
    public static void Col2Im<T>(ArrayView<T> col, ArrayView<T> gx, ConvShape s, int first, long total) where T : unmanaged, INumber<T>
    {
        int inputPlane = s.InputPlane;
        for (long i = CopyKernels.Start; i < total; i += CopyKernels.Step)
        {
            long t = i / inputPlane;
            int q = (int)(i - t * inputPlane);
            long n = t / s.Channels;
            int c = (int)(t - n * s.Channels);
            int h = q / s.Width, w = q - h * s.Width;
            int g = c / s.GroupChannels, cg = c - g * s.GroupChannels;
            long image = n * s.ImageStride + g * s.GroupStride;
            T sum = T.Zero;
            for (int kh = 0; kh < s.KernelH; kh++)
            {
                int hh = h + s.PadH - kh * s.DilationH;
                if (hh < 0) continue;
                int oh = hh / s.StrideH;
                if (oh * s.StrideH != hh || oh >= s.OutHeight) continue;
                for (int kw = 0; kw < s.KernelW; kw++)
                {
                    int ww = w + s.PadW - kw * s.DilationW;
                    if (ww < 0) continue;
                    int ow = ww / s.StrideW;
                    if (ow * s.StrideW != ww || ow >= s.OutWidth) continue;
                    int r = (cg * s.KernelH + kh) * s.KernelW + kw;
                    sum += col[image + r * s.RowStride + oh * s.OutWidth + ow];
                }
            }
            gx[((first + n) * s.Channels + c) * inputPlane + q] = sum;
        }
    }

    /// <summary>y[n, o, p] = bias[o] for contiguous y [N, O, plane] (the convolution then accumulates onto it).</summary>
    public static void BiasFill<T>(ArrayView<T> y, ArrayView<T> bias, int outputs, int plane, long total) where T : unmanaged, INumber<T>
    {
        for (long i = CopyKernels.Start; i < total; i += CopyKernels.Step)
            y[i] = bias[(int)(i / plane % outputs)];
    }
}
