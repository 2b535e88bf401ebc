namespace Scratch;

/// <summary>
/// What <see cref="RNNCell"/>, <see cref="LSTMCell"/> and <see cref="GRUCell"/> share, like PyTorch's
/// <c>nn.RNNCellBase</c>: one time step for x [N, I] (or unbatched [I]) and a state of [N, H], with parameters
/// <c>weight_ih</c> [gates·H, I], <c>weight_hh</c> [gates·H, H], <c>bias_ih</c>, <c>bias_hh</c> [gates·H] in
/// PyTorch's gate order, initialised U(−1/√H, 1/√H). For hand-written loops over time.
/// </summary>
public abstract class RNNCellBase : Module
{
    [NotState]
    private readonly RecurrentKind _kind;

    private protected RNNCellBase(RecurrentKind kind, int inputSize, int hiddenSize, bool bias, Generator? generator)
    {
        string name = RecurrentSteps.Name(kind) + "_cell";
        if (inputSize < 1 || hiddenSize < 1)
            throw new ArgumentOutOfRangeException(nameof(inputSize), $"{name}: input size {inputSize} and hidden size {hiddenSize} must be positive");
        _kind = kind;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        int gates = RecurrentSteps.Gates(kind) * hiddenSize;
        double bound = 1 / Math.Sqrt(hiddenSize);
        Parameter Make(int[] shape)
        {
            var parameter = new Parameter(NDArray.Zeros(shape));
            Init.Uniform(parameter, -bound, bound, generator);
            return parameter;
        }
        WeightIh = Make([gates, inputSize]);
        WeightHh = Make([gates, hiddenSize]);
        if (bias)
        {
            BiasIh = Make([gates]);
            BiasHh = Make([gates]);
        }
    }

    /// <summary>Features of the input.</summary>
    public int InputSize { get; }

    /// <summary>H: features of the hidden state.</summary>
    public int HiddenSize { get; }

    /// <summary>[gates·H, I]</summary>
    [StateName("weight_ih")]
    public Parameter WeightIh { get; }

    /// <summary>[gates·H, H]</summary>
    [StateName("weight_hh")]
    public Parameter WeightHh { get; }

    /// <summary>[gates·H], or null without bias.</summary>
    [StateName("bias_ih")]
    public Parameter? BiasIh { get; }

    /// <summary>[gates·H], or null without bias.</summary>
    [StateName("bias_hh")]
    public Parameter? BiasHh { get; }

    /// <summary>The next state from input x and <paramref name="state"/> (zeros when null).</summary>
    public RecurrentState Forward(Tensor input, RecurrentState? state)
    {
        ArgumentNullException.ThrowIfNull(input);
        string name = RecurrentSteps.Name(_kind) + "_cell";
        if (input.Rank is not (1 or 2) || input.Shape[^1] != InputSize)
            throw new ArgumentException($"{name}: expects input [N, {InputSize}] or [{InputSize}], got {input.ShapeString}");
        bool unbatched = input.Rank == 1;
        var x = unbatched ? input.Unsqueeze(0) : input;
        int batch = x.Shape[0];
        int[] expected = unbatched ? [HiddenSize] : [batch, HiddenSize];
        Tensor Check(Tensor? given, string which)
        {
            if (given is null) return Tensor.Zeros([batch, HiddenSize], x.DType, x.Device);
            if (!given.Shape.SequenceEqual(expected))
                throw new ArgumentException($"{name}: {which} {given.ShapeString} must be {Shapes.Format(expected)} for input {input.ShapeString}");
            return unbatched ? given.Unsqueeze(0) : given;
        }
        var h = Check(state?.Hidden, "hidden state");
        Tensor? c = _kind == RecurrentKind.Lstm ? Check(state?.Cell, "cell state") : null;

        var xp = x.MatMul(WeightIh.Value.T);
        if (BiasIh is not null)
            xp += RecurrentSteps.FoldsRecurrentBias(_kind) ? BiasIh.Value + BiasHh!.Value : BiasIh.Value;
        var stepBias = RecurrentSteps.FoldsRecurrentBias(_kind) ? null : BiasHh?.Value;
        var (hNext, cNext) = RecurrentSteps.Step(_kind, xp, h, c, WeightHh, stepBias);
        return unbatched ? new RecurrentState(hNext.Squeeze(0), cNext?.Squeeze(0)) : new RecurrentState(hNext, cNext);
    }

    /// <summary>The next hidden state from zeros.</summary>
    protected override Tensor ForwardCore(Tensor input) => Forward(input, null).Hidden;

    /// <inheritdoc />
    protected override string ExtraRepr() => BiasIh is null ? $"{InputSize}, {HiddenSize}, bias=False" : $"{InputSize}, {HiddenSize}";
}
