namespace Scratch;

/// <summary>Which fan a variance-scaling initialiser preserves.</summary>
public enum FanMode
{
    /// <summary>The number of inputs per output (preserves the forward activations' variance).</summary>
    FanIn,
    /// <summary>The number of outputs per input (preserves the backward gradients' variance).</summary>
    FanOut,
}

/// <summary>
/// Weight initialisers (PyTorch's <c>torch.nn.init</c>): each overwrites a tensor's values in place
/// with draws from a seeded <see cref="Generator"/> (default <see cref="Generator.Default"/>) and returns
/// the tensor. A <see cref="Parameter"/> can be passed directly.
/// </summary>
public static partial class Init
{
    /// <summary>
    /// (fan_in, fan_out) of a weight as PyTorch computes them: for [out, in, k…], fan_in = in·Πk and
    /// fan_out = out·Πk. Needs at least 2 dims.
    /// </summary>
    public static (int FanIn, int FanOut) Fans(IReadOnlyList<int> shape)
    {
        if (shape.Count < 2)
            throw new ArgumentException($"init: fan in and fan out need a tensor with at least 2 dims, got {Shapes.Format(shape)}");
        int receptive = 1;
        for (int i = 2; i < shape.Count; i++) receptive *= shape[i];
        return (shape[1] * receptive, shape[0] * receptive);
    }

    /// <summary>
    /// The recommended gain for a nonlinearity (torch.nn.init.calculate_gain): linear, conv*, sigmoid → 1;
    /// tanh → 5/3; relu → √2; leaky_relu → √(2/(1 + slope²)) with slope <paramref name="param"/> (default 0.01);
    /// selu → 3/4. Case-insensitive.
    /// </summary>
    public static double Gain(string nonlinearity, double? param = null)
    {
        switch (nonlinearity.ToLowerInvariant())
        {
            case "linear" or "identity" or "conv1d" or "conv2d" or "conv3d" or "conv_transpose1d" or "conv_transpose2d" or "conv_transpose3d" or "sigmoid":
                return 1;
            case "tanh":
                return 5.0 / 3;
            case "relu":
                return Math.Sqrt(2);
            case "leaky_relu":
                double slope = param ?? 0.01;
                return Math.Sqrt(2 / (1 + slope * slope));
            case "selu":
                return 3.0 / 4;
            default:
                throw new ArgumentException($"init.gain: unsupported nonlinearity '{nonlinearity}' (linear, conv2d, sigmoid, tanh, relu, leaky_relu, selu)", nameof(nonlinearity));
        }
    }

    /// <summary>Uniform values on (<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static Tensor Uniform(Tensor tensor, double low = 0, double high = 1, Generator? generator = null)
    {
        if (!(low <= high)) throw new ArgumentException($"init.uniform: low {low} must not exceed high {high}");
        var draw = NDArray.Rand(tensor.Data.ShapeArray(), generator, low, high, tensor.DType, tensor.Device);
        tensor.Data.CopyFrom(draw);
        return tensor;
    }

    /// <summary>Normal values with mean <paramref name="mean"/> and standard deviation <paramref name="std"/>.</summary>
    public static Tensor Normal(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
    {
        if (!(std >= 0)) throw new ArgumentException($"init.normal: std must be >= 0, got {std}");
        var draw = NDArray.Randn(tensor.Data.ShapeArray(), generator, mean, std, tensor.DType, tensor.Device);
        tensor.Data.CopyFrom(draw);
        return tensor;
    }

    /// <summary>Every value set to <paramref name="value"/>.</summary>
    public static Tensor Constant(Tensor tensor, double value)
    {
        tensor.Data.FillInPlace(value);
        return tensor;
    }

    /// <summary>Every value set to 0.</summary>
    public static Tensor Zeros(Tensor tensor) => Constant(tensor, 0);

    /// <summary>Every value set to 1.</summary>
    public static Tensor Ones(Tensor tensor) => Constant(tensor, 1);

    /// <summary>Glorot/Xavier uniform: U(−a, a) with a = gain·√(6 / (fan_in + fan_out)).</summary>
    public static Tensor XavierUniform(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = Fans(tensor.Shape);
        double a = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return Uniform(tensor, -a, a, generator);
    }

    /// <summary>Glorot/Xavier normal: N(0, std²) with std = gain·√(2 / (fan_in + fan_out)).</summary>
    public static Tensor XavierNormal(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = Fans(tensor.Shape);
        return Normal(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
    }

    /// <summary>Same as <see cref="XavierUniform"/>.</summary>
    public static Tensor GlorotUniform(Tensor tensor, double gain = 1, Generator? generator = null) => XavierUniform(tensor, gain, generator);

    /// <summary>Same as <see cref="XavierNormal"/>.</summary>
    public static Tensor GlorotNormal(Tensor tensor, double gain = 1, Generator? generator = null) => XavierNormal(tensor, gain, generator);

    /// <summary>
    /// He/Kaiming uniform: U(−b, b) with b = gain·√(3 / fan), gain = <see cref="Gain"/>(<paramref name="nonlinearity"/>,
    /// <paramref name="a"/>) (a = the negative slope of a leaky ReLU).
    /// </summary>
    public static Tensor KaimingUniform(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn, string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        int fan = Fan(tensor, mode, "kaiming_uniform");
        double bound = Gain(nonlinearity, a) * Math.Sqrt(3.0 / fan);
        return Uniform(tensor, -bound, bound, generator);
    }

    /// <summary>He/Kaiming normal: N(0, std²) with std = gain / √fan.</summary>
    public static Tensor KaimingNormal(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn, string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        int fan = Fan(tensor, mode, "kaiming_normal");
        return Normal(tensor, 0, Gain(nonlinearity, a) / Math.Sqrt(fan), generator);
    }

    /// <summary>He uniform for ReLU networks: U(−b, b), b = √(6 / fan) (Keras' he_uniform).</summary>
    public static Tensor HeUniform(Tensor tensor, FanMode mode = FanMode.FanIn, Generator? generator = null)
        => KaimingUniform(tensor, 0, mode, "relu", generator);

    /// <summary>He normal for ReLU networks: N(0, 2 / fan) (untruncated).</summary>
    public static Tensor HeNormal(Tensor tensor, FanMode mode = FanMode.FanIn, Generator? generator = null)
        => KaimingNormal(tensor, 0, mode, "relu", generator);

    /// <summary>LeCun normal: N(0, 1 / fan_in) (untruncated; for SELU networks).</summary>
    public static Tensor LeCunNormal(Tensor tensor, Generator? generator = null)
        => Normal(tensor, 0, 1 / Math.Sqrt(Fan(tensor, FanMode.FanIn, "lecun_normal")), generator);

    /// <summary>LeCun uniform: U(−b, b), b = √(3 / fan_in).</summary>
    public static Tensor LeCunUniform(Tensor tensor, Generator? generator = null)
    {
        double bound = Math.Sqrt(3.0 / Fan(tensor, FanMode.FanIn, "lecun_uniform"));
        return Uniform(tensor, -bound, bound, generator);
    }

    private static int Fan(Tensor tensor, FanMode mode, string op)
    {
        var (fanIn, fanOut) = Fans(tensor.Shape);
        int fan = mode == FanMode.FanIn ? fanIn : fanOut;
        if (fan == 0) throw new ArgumentException($"init.{op}: cannot initialise a tensor with no elements {tensor.ShapeString}");
        return fan;
    }
}
