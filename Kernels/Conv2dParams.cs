namespace Scratch.Kernels;

/// <summary>Geometry of a 2-D convolution (the sizes come from the views' shapes).</summary>
/// <param name="StrideH">Vertical stride.</param>
/// <param name="StrideW">Horizontal stride.</param>
/// <param name="PadH">Zero padding added above and below.</param>
/// <param name="PadW">Zero padding added left and right.</param>
/// <param name="DilationH">Vertical spacing between kernel taps.</param>
/// <param name="DilationW">Horizontal spacing between kernel taps.</param>
/// <param name="Groups">Channel groups: input and output channels are split into this many independent parts.</param>
public readonly record struct Conv2dParams(
    int StrideH = 1, int StrideW = 1,
    int PadH = 0, int PadW = 0,
    int DilationH = 1, int DilationW = 1,
    int Groups = 1)
{
    /// <summary>Stride 1, no padding, no dilation, one group (as <c>new Conv2dParams()</c> reads; <c>default</c> is all zeros and is rejected).</summary>
    public Conv2dParams() : this(1, 1, 0, 0, 1, 1, 1) { }

    /// <summary>Output height for input height <paramref name="h"/> and kernel height <paramref name="kh"/>.</summary>
    public int OutputHeight(int h, int kh) => (h + 2 * PadH - DilationH * (kh - 1) - 1) / StrideH + 1;

    /// <summary>Output width for input width <paramref name="w"/> and kernel width <paramref name="kw"/>.</summary>
    public int OutputWidth(int w, int kw) => (w + 2 * PadW - DilationW * (kw - 1) - 1) / StrideW + 1;
}
