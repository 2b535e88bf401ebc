namespace Scratch;

/// <summary>
/// A DenseNet block (Huang et al., 2017): <c>layers</c> composite layers BN–ReLU–conv3×3, each producing
/// <c>growthRate</c> new feature maps from the concatenation of the block input and all earlier layers'
/// outputs; the block returns that concatenation, with <see cref="OutChannels"/> = in + layers·growth.
/// </summary>
public sealed class DenseBlock : Module
{
    private readonly List<DenseLayer> _layers = [];

    /// <summary>A block of <paramref name="layers"/> layers on <paramref name="inChannels"/> input channels.</summary>
    public DenseBlock(int layers, int inChannels, int growthRate, Generator? generator = null)
    {
        if (layers < 1 || inChannels < 1 || growthRate < 1)
            throw new ArgumentOutOfRangeException(nameof(layers), $"dense_block: layers {layers}, in_channels {inChannels} and growth_rate {growthRate} must be positive");
        for (int i = 0; i < layers; i++) _layers.Add(new DenseLayer(inChannels + i * growthRate, growthRate, generator));
        InChannels = inChannels;
        GrowthRate = growthRate;
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>New channels per layer.</summary>
    public int GrowthRate { get; }

    /// <summary>Output channels: in + layers·growth.</summary>
    public int OutChannels => InChannels + _layers.Count * GrowthRate;

    /// <summary>The composite layers.</summary>
    public IReadOnlyList<DenseLayer> Layers => _layers;

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input)
    {
        var features = new List<Tensor> { input };
        var x = input;
        foreach (var layer in _layers)
        {
            features.Add(layer.Forward(x));
            x = Tensor.Concat(features, 1);
        }
        return x;
    }

    /// <inheritdoc />
    protected override string ExtraRepr() => $"in_channels={InChannels}, growth_rate={GrowthRate}, out_channels={OutChannels}";
}

/// <summary>One composite layer of a <see cref="DenseBlock"/>: BN–ReLU–conv3×3 (padding 1, no bias) to <c>growthRate</c> channels.</summary>
public sealed class DenseLayer : Module
{
    /// <summary>A layer from <paramref name="inChannels"/> to <paramref name="growthRate"/> channels.</summary>
    public DenseLayer(int inChannels, int growthRate, Generator? generator = null)
    {
        Norm = new BatchNorm2d(inChannels);
        Conv = new Conv2d(inChannels, growthRate, 3, padding: 1, bias: false, generator: generator);
    }

    /// <summary>Batch norm of the input.</summary>
    public BatchNorm2d Norm { get; }

    /// <summary>The 3×3 convolution.</summary>
    public Conv2d Conv { get; }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => Conv.Forward(Norm.Forward(input).Relu());
}
