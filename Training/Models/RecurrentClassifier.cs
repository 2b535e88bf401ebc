namespace Scratch.Training;

/// <summary>
/// Classifies sequences [N, T, F] from the final hidden state of a recurrent stack's top layer (both
/// directions, concatenated, when bidirectional): recurrent - [Dropout] - Linear.
/// </summary>
public sealed class RecurrentClassifier : Module
{
    /// <summary>A classifier over <paramref name="recurrent"/> (which must be <c>batchFirst</c>).</summary>
    public RecurrentClassifier(RNNBase recurrent, int classes, double dropout, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(recurrent);
        if (!recurrent.BatchFirst) throw new ArgumentException("recurrent classifier: the recurrent layer must be batchFirst (input [N, T, F])", nameof(recurrent));
        Recurrent = recurrent;
        if (dropout > 0) Dropout = new Dropout(dropout, generator);
        Head = new Linear(recurrent.Directions * recurrent.HiddenSize, classes, generator: generator);
    }

    /// <summary>The recurrent stack.</summary>
    public RNNBase Recurrent { get; }

    /// <summary>Dropout before the head, or null.</summary>
    public Dropout? Dropout { get; }

    /// <summary>The output layer.</summary>
    public Linear Head { get; }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input)
    {
        var hidden = Recurrent.Forward(input, null).State.Hidden;
        int directions = Recurrent.Directions, top = hidden.Shape[0] - directions;
        var last = directions == 1 ? hidden.Select(0, top) : Tensor.Concat([hidden.Select(0, top), hidden.Select(0, top + 1)], 1);
        if (Dropout is not null) last = Dropout.Forward(last);
        return Head.Forward(last);
    }
}
