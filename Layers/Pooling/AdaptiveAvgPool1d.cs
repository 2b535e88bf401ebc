namespace Scratch;

/// <summary>
/// Average pooling of x [N, C, L] to a fixed output length OL whatever L, as PyTorch: output position i
/// averages ⌊i·L/OL⌋ … ⌈(i+1)·L/OL⌉ − 1. Output length 1 is global average pooling.
/// </summary>
public sealed class AdaptiveAvgPool1d : Module
{
    /// <summary>Pooling to <paramref name="outputSize"/> positions.</summary>
    public AdaptiveAvgPool1d(int outputSize)
    {
        if (outputSize < 1)
            throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "adaptive_avg_pool1d: output size must be positive");
        OutputSize = outputSize;
    }

    /// <summary>OL</summary>
    public int OutputSize { get; }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input)
    {
        if (input.Rank != 3)
            throw new ArgumentException($"adaptive_avg_pool1d: input must be [N, C, L], got {input.ShapeString}");
        int l = input.Shape[2], ol = OutputSize;
        if (l < 1) throw new ArgumentException($"adaptive_avg_pool1d: input {input.ShapeString} has an empty length");
        if (ol == 1) return input.Mean(2, keepDim: true);
        if (l % ol == 0) return input.AvgPool1d(l / ol);

        // Uneven windows: one mean per output position, joined back together.
        var cells = new Tensor[ol];
        for (int i = 0; i < ol; i++)
        {
            int start = i * l / ol, end = ((i + 1) * l + ol - 1) / ol;
            cells[i] = input.Narrow(2, start, end - start).Mean(2, keepDim: true);
        }
        return Tensor.Concat(cells, 2);
    }

    /// <inheritdoc />
    protected override string ExtraRepr() => $"output_size={OutputSize}";
}
