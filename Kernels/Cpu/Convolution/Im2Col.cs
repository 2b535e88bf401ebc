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
    public static void Unfold<T>(T* x, T* col, in ConvGeometry g) where T : unmanaged
    {
        var p = g.P;
        int outW = g.OutWidth;
        T* target = col;
        for (int c = 0; c < g.GroupChannels; c++)
        {
            T* plane = x + (long)c * g.InputPlane;
            for (int kh = 0; kh < g.KernelH; kh++)
            {
                for (int kw = 0; kw < g.KernelW; kw++)
                {
                    int shift = kw * p.DilationW - p.PadW;
                    (int first, int end) = ValidRange(shift, p.StrideW, g.Width, outW);
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

    /// <summary>Adds the [ColumnRows, OutputPlane] matrix back onto <paramref name="x"/> = the group's [GroupChannels, H, W] planes.</summary>
    public static void Fold<T>(T* col, T* x, in ConvGeometry g) where T : unmanaged, System.Numerics.IAdditionOperators<T, T, T>
    {
        var p = g.P;
        int outW = g.OutWidth;
        T* source = col;
        for (int c = 0; c < g.GroupChannels; c++)
        {
            T* plane = x + (long)c * g.InputPlane;
            for (int kh = 0; kh < g.KernelH; kh++)
            {
                for (int kw = 0; kw < g.KernelW; kw++)
                {
                    int shift = kw * p.DilationW - p.PadW;
                    (int first, int end) = ValidRange(shift, p.StrideW, g.Width, outW);
                    for (int oh = 0; oh < g.OutHeight; oh++, source += outW)
                    {
                        int ih = oh * p.StrideH - p.PadH + kh * p.DilationH;
                        if ((uint)ih >= (uint)g.Height) continue;
                        T* row = plane + (long)ih * g.Width + shift;
                        for (int ow = first; ow < end; ow++) row[(long)ow * p.StrideW] += source[ow];
                    }
                }
            }
        }
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
