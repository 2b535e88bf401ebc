namespace Scratch;

/// <summary>
/// What <see cref="RNN"/>, <see cref="LSTM"/> and <see cref="GRU"/> share, like PyTorch's <c>nn.RNNBase</c>:
/// a stack of layers, each one or two directions, over input [T, N, I] ([N, T, I] with <c>batchFirst</c>,
/// or an unbatched [T, I]). Per step, each layer runs the input product x_t·W_ihᵀ, the recurrent product
/// h·W_hhᵀ and the gate arithmetic, all composed from Tensor ops; the layers hand each other their outputs
/// step by step. (One input product for the whole sequence would need an op that splits a tensor into its
/// steps with a single backward: sliced with today's ops, every step's gradient is a full-size zero-filled
/// tensor, so the big product costs more than it saves. See docs/ops.md.)
/// </summary>
/// <remarks>
/// <para>Parameters have PyTorch's names, shapes and gate order, so state dicts move between the two:
/// per layer k and direction (suffix <c>_reverse</c> for the backward one) <c>weight_ih_lk</c> [gates·H, I_k],
/// <c>weight_hh_lk</c> [gates·H, H], <c>bias_ih_lk</c> and <c>bias_hh_lk</c> [gates·H], where I_0 is the input
/// size and the later layers see directions·H. All start as PyTorch's, U(−1/√H, 1/√H).</para>
/// <para>Variable lengths: pass a lengths tensor [N] to <see cref="Forward(Tensor, RecurrentState?, Tensor?)"/>.
/// Each sequence then runs only over its first lengths[b] steps (the reverse direction starts at its last
/// real step), its outputs past that are zero and its final state is the one at its last real step: the
/// results of PyTorch's <c>pack_padded_sequence</c> with <c>enforce_sorted=False</c>.</para>
/// </remarks>
public abstract class RNNBase : Module
{
    [StateName("")]
    private readonly OrderedDictionary<string, Parameter> _weights = new(StringComparer.Ordinal);

    [NotState]
    private readonly RecurrentKind _kind;

    private protected RNNBase(RecurrentKind kind, int inputSize, int hiddenSize, int numLayers, bool bias, bool batchFirst, double dropout,
        bool bidirectional, Generator? generator)
    {
        string name = RecurrentSteps.Name(kind);
        if (inputSize < 1 || hiddenSize < 1 || numLayers < 1)
            throw new ArgumentOutOfRangeException(nameof(inputSize), $"{name}: input size {inputSize}, hidden size {hiddenSize} and layers {numLayers} must be positive");
        if (dropout is < 0 or > 1 || double.IsNaN(dropout))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, $"{name}: dropout must be in [0, 1]");
        _kind = kind;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        HasBias = bias;
        BatchFirst = batchFirst;
        Dropout = dropout;
        Bidirectional = bidirectional;
        Generator = generator;
        int gates = RecurrentSteps.Gates(kind) * hiddenSize;
        double bound = 1 / Math.Sqrt(hiddenSize);
        for (int layer = 0; layer < numLayers; layer++)
        {
            int layerInput = layer == 0 ? inputSize : Directions * hiddenSize;
            for (int direction = 0; direction < Directions; direction++)
            {
                string suffix = Suffix(layer, direction);
                Add("weight_ih" + suffix, [gates, layerInput]);
                Add("weight_hh" + suffix, [gates, hiddenSize]);
                if (bias)
                {
                    Add("bias_ih" + suffix, [gates]);
                    Add("bias_hh" + suffix, [gates]);
                }
            }
        }

        void Add(string key, int[] shape)
        {
            var parameter = new Parameter(NDArray.Zeros(shape));
            Init.Uniform(parameter, -bound, bound, generator);
            _weights.Add(key, parameter);
        }
    }

    /// <summary>Features per time step of the input.</summary>
    public int InputSize { get; }

    /// <summary>H: features of the hidden state.</summary>
    public int HiddenSize { get; }

    /// <summary>Stacked layers.</summary>
    public int NumLayers { get; }

    /// <summary>Whether the layers have bias vectors.</summary>
    public bool HasBias { get; }

    /// <summary>Input and output are [N, T, ·] rather than [T, N, ·] (states stay [layers·directions, N, H], as in PyTorch).</summary>
    public bool BatchFirst { get; }

    /// <summary>Dropout probability on the outputs of every layer but the last, in training mode.</summary>
    public double Dropout { get; }

    /// <summary>Whether each layer also runs backwards in time (outputs concatenated, forward first).</summary>
    public bool Bidirectional { get; }

    /// <summary>1, or 2 when <see cref="Bidirectional"/>.</summary>
    public int Directions => Bidirectional ? 2 : 1;

    /// <summary>Source of the dropout masks; null uses <see cref="Generator.Default"/>.</summary>
    [NotState]
    public Generator? Generator { get; set; }

    /// <summary>A parameter by its PyTorch name, e.g. <c>weight_hh_l0_reverse</c>.</summary>
    public Parameter this[string name] => _weights.TryGetValue(name, out var p) ? p
        : throw new KeyNotFoundException($"{RecurrentSteps.Name(_kind)}: no parameter '{name}' (has {string.Join(", ", _weights.Keys)})");

    /// <summary>
    /// Runs the stack over <paramref name="input"/> from <paramref name="initial"/> (zeros when null), with
    /// optional per-sequence <paramref name="lengths"/> [N] (integers in 1 … T).
    /// </summary>
    public RecurrentOutput Forward(Tensor input, RecurrentState? initial, Tensor? lengths = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        string name = RecurrentSteps.Name(_kind);
        if (input.Rank is not (2 or 3) || input.Shape[^1] != InputSize)
            throw new ArgumentException($"{name}: expects input [T, N, {InputSize}]{(BatchFirst ? $" ([N, T, {InputSize}] with batch_first)" : "")} or unbatched [T, {InputSize}], got {input.ShapeString}");
        bool unbatched = input.Rank == 2;
        var x = unbatched ? input.Unsqueeze(1) : BatchFirst ? input.Transpose(0, 1) : input;
        int steps = x.Shape[0], batch = x.Shape[1];
        if (steps == 0) throw new ArgumentException($"{name}: input {input.ShapeString} has no time steps");
        var lengthValues = lengths is null ? null : ReadLengths(name, lengths, input, steps, unbatched ? 1 : batch);
        var (h0, c0) = InitialState(name, initial, input, unbatched, batch, x);

        var finalH = new List<Tensor>();
        var finalC = new List<Tensor>();
        var masks = lengthValues is null ? null : StepMasks(lengthValues, steps, x);
        // Layers hand each other their outputs step by step: slicing a step out of a stacked tensor would
        // cost a full-size zero-filled gradient per step in the backward pass.
        var sequence = new Tensor[steps];
        for (int t = 0; t < steps; t++) sequence[t] = x.Select(0, t);
        for (int layer = 0; layer < NumLayers; layer++)
        {
            if (layer > 0 && Dropout > 0 && IsTraining)
                for (int t = 0; t < steps; t++) sequence[t] = sequence[t].Dropout(Dropout, true, Generator);
            var outputs = new Tensor[Directions][];
            for (int direction = 0; direction < Directions; direction++)
            {
                int index = layer * Directions + direction;
                var (output, h, c) = RunDirection(sequence, layer, direction, h0?.Select(0, index), c0?.Select(0, index), masks, batch);
                outputs[direction] = output;
                finalH.Add(h);
                if (c is not null) finalC.Add(c);
            }
            for (int t = 0; t < steps; t++)
                sequence[t] = Directions == 1 ? outputs[0][t] : Tensor.Concat([outputs[0][t], outputs[1][t]], 1);
        }
        x = Tensor.Stack(sequence, 0);

        var hn = Tensor.Stack(finalH, 0);
        var cn = finalC.Count > 0 ? Tensor.Stack(finalC, 0) : null;
        if (unbatched)
        {
            x = x.Squeeze(1);
            hn = hn.Squeeze(1);
            cn = cn?.Squeeze(1);
        }
        else if (BatchFirst) x = x.Transpose(0, 1);
        return new RecurrentOutput(x, new RecurrentState(hn, cn));
    }

    /// <summary>Every time step's top-layer hidden state (see <see cref="Forward(Tensor, RecurrentState?, Tensor?)"/>).</summary>
    protected override Tensor ForwardCore(Tensor input) => Forward(input, null).Output;

    /// <inheritdoc />
    protected override string ExtraRepr()
    {
        var text = $"{InputSize}, {HiddenSize}";
        if (NumLayers != 1) text += $", num_layers={NumLayers}";
        if (!HasBias) text += ", bias=False";
        if (BatchFirst) text += ", batch_first=True";
        if (Dropout != 0) text += $", dropout={Dropout.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        if (Bidirectional) text += ", bidirectional=True";
        return text;
    }

    private protected RecurrentKind Kind => _kind;

    private static string Suffix(int layer, int direction) => $"_l{layer}" + (direction == 1 ? "_reverse" : "");

    /// <summary>One direction of one layer over the steps x_t [N, I]: outputs [N, H] per step and the final (h, c).</summary>
    private (Tensor[] Output, Tensor H, Tensor? C) RunDirection(Tensor[] x, int layer, int direction, Tensor? h0, Tensor? c0, Tensor?[]? masks, int batch)
    {
        string suffix = Suffix(layer, direction);
        var wIh = _weights["weight_ih" + suffix].Value;
        var wHh = _weights["weight_hh" + suffix].Value;
        Tensor? bIh = HasBias ? _weights["bias_ih" + suffix].Value : null, bHh = HasBias ? _weights["bias_hh" + suffix].Value : null;
        int steps = x.Length;
        var inputBias = bIh is null ? null : RecurrentSteps.FoldsRecurrentBias(_kind) ? bIh + bHh! : bIh;
        var stepBias = RecurrentSteps.FoldsRecurrentBias(_kind) ? null : bHh;

        var zeros = h0 ?? Tensor.Zeros([batch, HiddenSize], x[0].DType, x[0].Device);
        var h = h0 ?? zeros;
        var c = _kind == RecurrentKind.Lstm ? c0 ?? zeros : null;
        var outputs = new Tensor[steps];
        for (int s = 0; s < steps; s++)
        {
            int t = direction == 0 ? s : steps - 1 - s;
            var xp = x[t].MatMul(wIh.T);
            if (inputBias is not null) xp += inputBias;
            var (hNext, cNext) = RecurrentSteps.Step(_kind, xp, h, c, wHh, stepBias);
            if (masks?[t] is { } mask)
            {
                // Finished (or, backwards, not yet started) sequences keep their state and output zeros.
                outputs[t] = hNext * mask;
                h = Tensor.Where(mask, hNext, h);
                if (c is not null) c = Tensor.Where(mask, cNext!, c);
            }
            else
            {
                outputs[t] = hNext;
                h = hNext;
                c = cNext;
            }
        }
        return (outputs, h, c);
    }

    /// <summary>Per time step, a [N, 1] mask of the sequences still running, or null where all are.</summary>
    private static Tensor?[] StepMasks(int[] lengths, int steps, Tensor like)
    {
        var masks = new Tensor?[steps];
        for (int t = 0; t < steps; t++)
        {
            if (lengths.All(l => l > t)) continue;
            var values = lengths.Select(l => l > t ? 1.0 : 0.0).ToArray();
            masks[t] = new Tensor(NDArray.FromArray(values, [lengths.Length, 1]).To(like.DType).To(like.Device));
        }
        return masks;
    }

    private static int[] ReadLengths(string name, Tensor lengths, Tensor input, int steps, int batch)
    {
        if (lengths.Rank != 1 || lengths.Shape[0] != batch)
            throw new ArgumentException($"{name}: lengths {lengths.ShapeString} must be [{batch}], one per sequence of input {input.ShapeString}");
        var values = lengths.Data.To(DType.Float64).ToArray<double>();
        var result = new int[values.Length];
        for (int b = 0; b < values.Length; b++)
        {
            double v = values[b];
            if (v != Math.Floor(v) || v < 1)
                throw new ArgumentException($"{name}: lengths must be whole numbers of at least 1, but sequence {b} of input {input.ShapeString} has length {v}");
            if (v > steps)
                throw new ArgumentException($"{name}: sequence {b} has length {v}, longer than the {steps} time steps of input {input.ShapeString}");
            result[b] = (int)v;
        }
        return result;
    }

    private (Tensor? H0, Tensor? C0) InitialState(string name, RecurrentState? initial, Tensor input, bool unbatched, int batch, Tensor x)
    {
        if (initial is null) return (null, null);
        int[] expected = unbatched ? [NumLayers * Directions, HiddenSize] : [NumLayers * Directions, batch, HiddenSize];
        string expectedText = Shapes.Format(expected);
        Tensor Check(Tensor state, string which)
        {
            if (!state.Shape.SequenceEqual(expected))
                throw new ArgumentException($"{name}: initial {which} {state.ShapeString} must be {expectedText} (layers·directions, batch, hidden) for input {input.ShapeString}");
            if (state.DType != x.DType || state.Device != x.Device)
                throw new ArgumentException($"{name}: initial {which} is {state.DType} on {state.Device}, input is {x.DType} on {x.Device}");
            return unbatched ? state.Unsqueeze(1) : state;
        }
        var h0 = Check(initial.Hidden, "hidden state h0");
        Tensor? c0 = null;
        if (_kind == RecurrentKind.Lstm)
        {
            if (initial.Cell is null) throw new ArgumentException($"{name}: an initial state needs both h0 and c0; c0 is missing (expected {expectedText})");
            c0 = Check(initial.Cell, "cell state c0");
        }
        else if (initial.Cell is not null)
            throw new ArgumentException($"{name}: has no cell state, but the initial state has c0 {initial.Cell.ShapeString}");
        return (h0, c0);
    }
}
