namespace Scratch.Training;

/// <summary>Per-feature scaling to [0, 1] with the minimum and maximum of the training split.</summary>
public sealed class MinMaxScaler
{
    private MinMaxScaler(NDArray min, NDArray range)
    {
        Min = min;
        Range = range;
    }

    /// <summary>Per-feature minimum.</summary>
    public NDArray Min { get; }

    /// <summary>Per-feature max − min (1 where a feature is constant).</summary>
    public NDArray Range { get; }

    /// <summary>Fits on <paramref name="inputs"/> [n, features…].</summary>
    public static MinMaxScaler Fit(NDArray inputs)
    {
        if (inputs.Rank < 1 || inputs.Shape[0] == 0) throw new ArgumentException($"MinMaxScaler: cannot fit on {inputs.ShapeString}");
        var min = inputs.Min(0);
        var range = inputs.Max(0) - min;
        range = NDArray.Where(range.Gt(1e-12), range, NDArray.Scalar(1, range.DType));
        return new MinMaxScaler(min, range);
    }

    /// <summary>Scales <paramref name="inputs"/>.</summary>
    public NDArray Transform(NDArray inputs) => (inputs - Min) / Range;
}
