namespace Scratch.Training;

/// <summary>
/// Per-feature standardisation (x − mean) / std, fitted on the training split only and then applied
/// unchanged to validation and test data, so no statistics leak from them.
/// </summary>
public sealed class Standardizer
{
    private Standardizer(NDArray mean, NDArray std)
    {
        Mean = mean;
        Std = std;
    }

    /// <summary>Per-feature mean [features…].</summary>
    public NDArray Mean { get; }

    /// <summary>Per-feature standard deviation [features…] (1 where a feature is constant).</summary>
    public NDArray Std { get; }

    /// <summary>Fits on <paramref name="inputs"/> [n, features…] (population statistics over the first dim).</summary>
    public static Standardizer Fit(NDArray inputs)
    {
        if (inputs.Rank < 1 || inputs.Shape[0] == 0) throw new ArgumentException($"Standardizer: cannot fit on {inputs.ShapeString}");
        var mean = inputs.Mean(0);
        var std = inputs.Var([0], unbiased: false).Sqrt();
        // A constant feature would divide by zero; leave it centred but unscaled.
        std = NDArray.Where(std.Gt(1e-12), std, NDArray.Scalar(1, std.DType));
        return new Standardizer(mean, std);
    }

    /// <summary>Rebuilds a fitted standardiser from saved statistics.</summary>
    public static Standardizer FromStatistics(NDArray mean, NDArray std) => new(mean, std);

    /// <summary>Standardises <paramref name="inputs"/> [n, features…].</summary>
    public NDArray Transform(NDArray inputs) => (inputs - Mean) / Std;
}
