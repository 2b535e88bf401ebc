namespace Scratch;

/// <summary>
/// Average pooling to a fixed output size (OH, OW) whatever the input size, as PyTorch: output cell (i, j)
/// averages rows ⌊i·H/OH⌋ … ⌈(i+1)·H/OH⌉ − 1 and the columns likewise. (1, 1) is global average pooling.
/// </summary>
public sealed class AdaptiveAvgPool2d : Module
{
    /// <summary>Pooling to <paramref name="outputSize"/> × <paramref name="outputSize"/>.</summary>
    public AdaptiveAvgPool2d(int outputSize) : this((outputSize, outputSize))
    {
    }

    /// <summary>Pooling to (height, width).</summary>
    public AdaptiveAvgPool2d((int H, int W) outputSize)
    {
        if (outputSize.H < 1 || outputSize.W < 1)
            throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "adaptive_avg_pool2d: output size must be positive");
        OutputSize = outputSize;
    }

    /// <summary>(OH, OW)</summary>
    public (int H, int W) OutputSize { get; }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input)
    {
        if (input.Rank != 4)
            throw new ArgumentException($"adaptive_avg_pool2d: input must be [N, C, H, W], got {input.ShapeString}");
        int h = input.Shape[2], w = input.Shape[3];
        var (oh, ow) = OutputSize;
        if (h < 1 || w < 1)
            throw new ArgumentException($"adaptive_avg_pool2d: input {input.ShapeString} has an empty spatial size");
        if (oh == 1 && ow == 1) return input.Mean([2, 3], keepDim: true);
        if (h % oh == 0 && w % ow == 0) return input.AvgPool2d(new Kernels.Pool2dParams(h / oh, w / ow, h / oh, w / ow));

        // Uneven windows: one mean per output cell, joined back together.
        var rows = new Tensor[oh];
        for (int i = 0; i < oh; i++)
        {
            int h0 = i * h / oh, h1 = ((i + 1) * h + oh - 1) / oh;
            var band = input.Narrow(2, h0, h1 - h0);
            var cells = new Tensor[ow];
            for (int j = 0; j < ow; j++)
            {
                int w0 = j * w / ow, w1 = ((j + 1) * w + ow - 1) / ow;
                cells[j] = band.Narrow(3, w0, w1 - w0).Mean([2, 3], keepDim: true);
            }
            rows[i] = Tensor.Concat(cells, 3);
        }
        return Tensor.Concat(rows, 2);
    }

    /// <inheritdoc />
    protected override string ExtraRepr() => $"output_size={Repr.Pair(OutputSize.H, OutputSize.W)}";
}
