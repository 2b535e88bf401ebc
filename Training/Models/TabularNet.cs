namespace Scratch.Training;

/// <summary>
/// An MLP for tables with entity embeddings: the first <c>E</c> input features are category indices, each looked up in
/// its own <see cref="Embedding"/>; the vectors are concatenated with the remaining features and fed to
/// <see cref="Models.Mlp"/>. The input layout is <see cref="TabularPreprocessor"/>'s.
/// </summary>
public sealed class TabularNet : Module
{
    private readonly Embedding[] _embeddings;
    private readonly Sequential _body;
    private readonly int _otherFeatures;

    /// <summary>Creates the network.</summary>
    /// <param name="embeddings">Per embedded column, its number of categories and vector size, in input order.</param>
    /// <param name="otherFeatures">Features after the embedding indices (numbers, one-hot, indicators).</param>
    /// <param name="hidden">Hidden layer widths.</param>
    /// <param name="outputs">Output width.</param>
    /// <param name="dropout">Dropout after each hidden layer (0 = none).</param>
    /// <param name="generator">Initialisation.</param>
    public TabularNet(IReadOnlyList<(int Categories, int Dim)> embeddings, int otherFeatures, int[] hidden, int outputs, double dropout, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(otherFeatures);
        if (embeddings.Count + otherFeatures == 0) throw new ArgumentException("TabularNet: the table has no features");
        _embeddings = [.. embeddings.Select(e => new Embedding(e.Categories, e.Dim, generator: generator))];
        _otherFeatures = otherFeatures;
        _body = Models.Mlp(embeddings.Sum(e => e.Dim) + otherFeatures, hidden, outputs, dropout, generator);
        Models.HeInit(_body, generator);
    }

    /// <summary>The network for the features of <paramref name="preprocessor"/>.</summary>
    public static TabularNet For(TabularPreprocessor preprocessor, int[] hidden, int outputs, double dropout, Generator generator)
    {
        var embedded = preprocessor.Embedded;
        return new TabularNet([.. embedded.Select(c => (c.Categories.Count, c.EmbeddingDim))], preprocessor.FeatureCount - embedded.Count,
            hidden, outputs, dropout, generator);
    }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input)
    {
        int e = _embeddings.Length;
        if (input.Rank != 2 || input.Shape[1] != e + _otherFeatures)
            throw new ArgumentException($"TabularNet: expects [N, {e + _otherFeatures}] features ({e} category indices first), got {input.ShapeString}");
        if (e == 0) return _body.Forward(input);
        var parts = new List<Tensor>(e + 1);
        for (int i = 0; i < e; i++) parts.Add(_embeddings[i].Forward(input.Select(1, i)));
        if (_otherFeatures > 0) parts.Add(input.Narrow(1, e, _otherFeatures));
        return _body.Forward(Tensor.Concat(parts, axis: 1));
    }
}
