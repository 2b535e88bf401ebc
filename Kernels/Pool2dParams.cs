namespace Scratch.Kernels;

/// <summary>Geometry of 2-D pooling over NCHW input.</summary>
/// <param name="KernelH">Window height.</param>
/// <param name="KernelW">Window width.</param>
/// <param name="StrideH">Vertical stride.</param>
/// <param name="StrideW">Horizontal stride.</param>
/// <param name="PadH">Implicit padding above and below (−∞ for max pooling, 0 for average pooling).</param>
/// <param name="PadW">Implicit padding left and right.</param>
/// <param name="CountIncludePad">Average pooling only: divide by the full window size including padding (PyTorch's default) rather than by the number of real elements.</param>
public readonly record struct Pool2dParams(
    int KernelH, int KernelW,
    int StrideH, int StrideW,
    int PadH = 0, int PadW = 0,
    bool CountIncludePad = true)
{
    /// <summary>Output height for input height <paramref name="h"/>.</summary>
    public int OutputHeight(int h) => (h + 2 * PadH - KernelH) / StrideH + 1;

    /// <summary>Output width for input width <paramref name="w"/>.</summary>
    public int OutputWidth(int w) => (w + 2 * PadW - KernelW) / StrideW + 1;
}
