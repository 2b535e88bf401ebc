namespace Scratch;

/// <summary>
/// A DenseNet transition between dense blocks: BN–ReLU–conv1×1 (no bias) to <c>outChannels</c>, then 2×2
/// average pooling with stride 2. State names match torchvision's <c>_Transition</c>: norm, conv.
/// </summary>
public sealed class TransitionLayer : Module
{
    /// <summary>A transition from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public TransitionLayer(int inChannels, int outChannels, Generator? generator = null)
    {
        Norm = new BatchNorm2d(inChannels);
        Conv = new Conv2d(inChannels, outChannels, 1, bias: false, generator: generator);
        Pool = new AvgPool2d(2, 2);
    }

    /// <summary>Batch norm of the input.</summary>
    public BatchNorm2d Norm { get; }

    /// <summary>The 1×1 convolution.</summary>
    public Conv2d Conv { get; }

    /// <summary>The 2×2 average pooling.</summary>
    public AvgPool2d Pool { get; }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => Pool.Forward(Conv.Forward(Norm.Forward(input).Relu()));
}
