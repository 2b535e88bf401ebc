namespace Scratch;

/// <summary>
/// A lookup table of <see cref="NumEmbeddings"/> vectors of size <see cref="EmbeddingDim"/>: Int32 indices
/// of any shape [*] give [*, dim] (e.g. entity embeddings of categorical columns). Floating indices
/// are truncated to Int32. The weight starts N(0, 1); the row <see cref="PaddingIdx"/>, if set, starts at
/// zero and receives no gradient.
/// </summary>
public sealed class Embedding : Module
{
    /// <summary>A table of <paramref name="numEmbeddings"/> × <paramref name="embeddingDim"/>.</summary>
    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx = null, Generator? generator = null)
    {
        if (numEmbeddings < 1 || embeddingDim < 1)
            throw new ArgumentOutOfRangeException(nameof(numEmbeddings), $"embedding: sizes must be positive, got {numEmbeddings} x {embeddingDim}");
        if (paddingIdx is int p)
        {
            if (p < -numEmbeddings || p >= numEmbeddings)
                throw new ArgumentOutOfRangeException(nameof(paddingIdx), p, $"embedding: padding_idx must be within the {numEmbeddings} embeddings");
            paddingIdx = p < 0 ? p + numEmbeddings : p;
        }
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        PaddingIdx = paddingIdx;
        Weight = new Parameter(NDArray.Zeros([numEmbeddings, embeddingDim]));
        Init.Normal(Weight, 0, 1, generator);
        if (paddingIdx is int pad) Weight.Data.Select(0, pad).FillInPlace(0);
    }

    /// <summary>Number of rows.</summary>
    public int NumEmbeddings { get; }

    /// <summary>Size of each vector.</summary>
    public int EmbeddingDim { get; }

    /// <summary>The row that stays out of training, or null.</summary>
    public int? PaddingIdx { get; }

    /// <summary>[num_embeddings, embedding_dim]</summary>
    public Parameter Weight { get; }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input)
    {
        var indices = input.DType == DType.Int32 ? input : input.Detach().To(DType.Int32);
        if (indices.Device.Kind == DeviceKind.Cpu) CheckRange(indices);
        var flat = indices.Reshape(-1);
        var rows = Weight.Value.IndexSelect(0, flat);
        if (PaddingIdx is int pad)
        {
            // Rows looked up at the padding index are taken from a detached copy, so that row gets no gradient.
            var isPad = new Tensor(flat.Data.Eq(pad).To(rows.DType).Reshape(-1, 1));
            rows = Tensor.Where(isPad, rows.Detach(), rows);
        }
        return rows.Reshape(input.Shape.Append(EmbeddingDim).ToArray());
    }

    private void CheckRange(Tensor indices)
    {
        foreach (int i in indices.ToArray<int>())
            if (i < 0 || i >= NumEmbeddings)
                throw new IndexOutOfRangeException($"embedding: index {i} is out of range for {NumEmbeddings} embeddings (input {indices.ShapeString})");
    }

    /// <inheritdoc />
    protected override string ExtraRepr() => $"{NumEmbeddings}, {EmbeddingDim}" + (PaddingIdx is int p ? $", padding_idx={p}" : "");
}
