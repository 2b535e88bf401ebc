using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Unfolds the input planes of one image and group into the im2col matrix
/// <c>col[(c·KH + kh)·KW + kw, oh·OW + ow] = x[c, oh·sH − pH + kh·dH, ow·sW − pW + kw·dW]</c>
/// (zero where that falls in the padding), and folds such a matrix back by accumulation (col2im).
/// Each output row segment splits into a zero prefix, a copied middle and a zero suffix computed
/// up front, so there is no bounds test per element.
/// </summary>
internal static unsafe class Im2Col
{
    /// <summary>Writes the [ColumnRows, OutputPlane] matrix for <paramref name="x"/> = the group's [GroupChannels, H, W] planes.</summary>
    public static void Unfold<T>(T* x, T* col, in ConvGeometry g) where T : unmanaged => Unfold(x, col, g.OutputPlane, g);

    /// <summary>
    /// <see cref="Unfold{T}(T*, T*, in ConvGeometry)"/> with rows <paramref name="rowStride"/> elements apart,
    /// so the columns of several images can sit side by side in one wide matrix.
    /// </summary>
    public static void Unfold<T>(T* x, T* col, long rowStride, in ConvGeometry g) where T : unmanaged
    {
        var p = g.P;
        int outW = g.OutWidth;
        if (p.StrideW == 1 && p.StrideH == 1 && outW == g.Width)
        {
            UnfoldSame(x, col, rowStride, g);
            return;
        }
        T* rowStart = col;
        for (int c = 0; c < g.GroupChannels; c++)
        {
            T* plane = x + (long)c * g.InputPlane;
            for (int kh = 0; kh < g.KernelH; kh++)
            {
                for (int kw = 0; kw < g.KernelW; kw++, rowStart += rowStride)
                {
                    int shift = kw * p.DilationW - p.PadW;
                    (int first, int end) = ValidRange(shift, p.StrideW, g.Width, outW);
                    T* target = rowStart;
                    for (int oh = 0; oh < g.OutHeight; oh++, target += outW)
                    {
                        int ih = oh * p.StrideH - p.PadH + kh * p.DilationH;
                        if ((uint)ih >= (uint)g.Height)
                        {
                            new Span<T>(target, outW).Clear();
                            continue;
                        }
                        T* row = plane + (long)ih * g.Width + shift;
                        new Span<T>(target, first).Clear();
                        if (p.StrideW == 1)
                            new ReadOnlySpan<T>(row + first, end - first).CopyTo(new Span<T>(target + first, end - first));
                        else
                            for (int ow = first; ow < end; ow++) target[ow] = row[(long)ow * p.StrideW];
                        new Span<T>(target + end, outW - end).Clear();
                    }
                }
            }
        }
    }

    /// <summary>
    /// Unfold for stride 1 where the output is as wide as the input (a "same" convolution, e.g. 3×3 with
    /// padding 1): the rows of one kernel offset are then one contiguous block of the input shifted by a
    /// few columns, so each (c, kh, kw) row is a single copy plus zeroing the few columns that fell into
    /// the padding, instead of one short copy per output row (the calls cost more than the copying).
    /// </summary>
    private static void UnfoldSame<T>(T* x, T* col, long rowStride, in ConvGeometry g) where T : unmanaged
    {
        var p = g.P;
        int width = g.Width, outH = g.OutHeight;
        T* rowStart = col;
        for (int c = 0; c < g.GroupChannels; c++)
        {
            T* plane = x + (long)c * g.InputPlane;
            for (int kh = 0; kh < g.KernelH; kh++)
            {
                // Output rows [ohFirst, ohEnd) read input rows ih = oh − pH + kh·dH inside [0, H).
                int rowShift = kh * p.DilationH - p.PadH;
                int ohFirst = Math.Clamp(-rowShift, 0, outH), ohEnd = Math.Clamp(g.Height - rowShift, ohFirst, outH);
                for (int kw = 0; kw < g.KernelW; kw++, rowStart += rowStride)
                {
                    int shift = kw * p.DilationW - p.PadW;
                    new Span<T>(rowStart, ohFirst * width).Clear();
                    new Span<T>(rowStart + (long)ohEnd * width, (outH - ohEnd) * width).Clear();
                    int count = (ohEnd - ohFirst) * width;
                    if (count == 0) continue;
                    if (Math.Abs(shift) >= width)
                    {
                        new Span<T>(rowStart + (long)ohFirst * width, count).Clear();
                        continue;
                    }
                    // target[oh, ow] = input[oh + rowShift, ow + shift]: one block copy (the columns that wrap
                    // into the neighbouring row are zeroed right after), staying inside the input rows read.
                    T* target = rowStart + (long)ohFirst * width;
                    T* source = plane + (long)(ohFirst + rowShift) * width;
                    int skip = Math.Abs(shift);
                    if (shift >= 0)
                        new ReadOnlySpan<T>(source + shift, count - skip).CopyTo(new Span<T>(target, count - skip));
                    else
                        new ReadOnlySpan<T>(source, count - skip).CopyTo(new Span<T>(target + skip, count - skip));
                    if (skip == 0) continue;
                    int zeroFrom = shift > 0 ? width - shift : 0;
                    for (int oh = ohFirst; oh < ohEnd; oh++)
                    {
                        T* zeros = rowStart + (long)oh * width + zeroFrom;
                        for (int i = 0; i < skip; i++) zeros[i] = default;
                    }
                }
            }
        }
    }

    /// <summary>Adds the [ColumnRows, OutputPlane] matrix back onto <paramref name="x"/> = the group's [GroupChannels, H, W] planes.</summary>
    public static void Fold<T>(T* col, T* x, in ConvGeometry g) where T : unmanaged, System.Numerics.IAdditionOperators<T, T, T>
        => Fold(col, g.OutputPlane, x, g);

    /// <summary><see cref="Fold{T}(T*, T*, in ConvGeometry)"/> reading rows <paramref name="rowStride"/> elements apart.</summary>
    public static void Fold<T>(T* col, long rowStride, T* x, in ConvGeometry g) where T : unmanaged, System.Numerics.IAdditionOperators<T, T, T>
    {
        var p = g.P;
        int outW = g.OutWidth;
        T* rowStart = col;
        for (int c = 0; c < g.GroupChannels; c++)
        {
            T* plane = x + (long)c * g.InputPlane;
            for (int kh = 0; kh < g.KernelH; kh++)
            {
                for (int kw = 0; kw < g.KernelW; kw++, rowStart += rowStride)
                {
                    int shift = kw * p.DilationW - p.PadW;
                    (int first, int end) = ValidRange(shift, p.StrideW, g.Width, outW);
                    T* source = rowStart;
                    for (int oh = 0; oh < g.OutHeight; oh++, source += outW)
                    {
                        int ih = oh * p.StrideH - p.PadH + kh * p.DilationH;
                        if ((uint)ih >= (uint)g.Height) continue;
                        T* row = plane + (long)ih * g.Width + shift;
                        if (p.StrideW == 1) AddInPlace(source + first, row + first, end - first);
                        else for (int ow = first; ow < end; ow++) row[(long)ow * p.StrideW] += source[ow];
                    }
                }
            }
        }
    }

    /// <summary>target[i] += source[i] for i in [0, count), a vector at a time.</summary>
    private static void AddInPlace<T>(T* source, T* target, int count) where T : unmanaged, System.Numerics.IAdditionOperators<T, T, T>
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; i <= count - Vector256<T>.Count; i += Vector256<T>.Count)
                Vector256.Store(Vector256.Load(target + i) + Vector256.Load(source + i), target + i);
        }
        for (; i < count; i++) target[i] += source[i];
    }

    /// <summary>The output columns [first, end) whose input column ow·stride + shift lies in [0, width).</summary>
    private static (int First, int End) ValidRange(int shift, int stride, int width, int outW)
    {
        // ow·stride + shift >= 0  ⇔  ow >= ceil(−shift / stride);  ow·stride + shift <= width − 1.
        int first = shift >= 0 ? 0 : (-shift + stride - 1) / stride;
        int last = width - 1 - shift;
        int end = last < 0 ? 0 : last / stride + 1;
        first = Math.Min(first, outW);
        end = Math.Clamp(end, first, outW);
        return (first, end);
    }
}
