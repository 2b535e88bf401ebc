namespace Scratch;

/// <summary>
/// The basic residual block of ResNet-18/34 (He et al., 2016): conv3×3(stride)–BN–ReLU–conv3×3–BN, plus
/// the shortcut, then ReLU. The shortcut is the identity, or a projection 1×1 conv(stride)–BN (named
/// <c>downsample</c>) when the stride or the channel count changes. State names match torchvision's
/// <c>BasicBlock</c>: conv1, bn1, conv2, bn2, downsample.0, downsample.1.
/// </summary>
public sealed class ResNetBasicBlock : Module
{
    /// <summary>A block from <paramref name="inChannels"/> to <paramref name="outChannels"/>; <paramref name="stride"/> 2 halves the spatial size.</summary>
    public ResNetBasicBlock(int inChannels, int outChannels, int stride = 1, Generator? generator = null)
    {
        Conv1 = new Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false, generator: generator);
        Bn1 = new BatchNorm2d(outChannels);
        Conv2 = new Conv2d(outChannels, outChannels, 3, padding: 1, bias: false, generator: generator);
        Bn2 = new BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
            Downsample = new Sequential(new Conv2d(inChannels, outChannels, 1, stride: stride, bias: false, generator: generator), new BatchNorm2d(outChannels));
    }

    /// <summary>First 3×3 convolution (carries the stride).</summary>
    public Conv2d Conv1 { get; }

    /// <summary>Batch norm after <see cref="Conv1"/>.</summary>
    public BatchNorm2d Bn1 { get; }

    /// <summary>Second 3×3 convolution.</summary>
    public Conv2d Conv2 { get; }

    /// <summary>Batch norm after <see cref="Conv2"/>.</summary>
    public BatchNorm2d Bn2 { get; }

    /// <summary>The projection shortcut, or null for the identity.</summary>
    public Sequential? Downsample { get; }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input)
    {
        var y = Bn1.Forward(Conv1.Forward(input)).Relu();
        y = Bn2.Forward(Conv2.Forward(y));
        var shortcut = Downsample is null ? input : Downsample.Forward(input);
        return (y + shortcut).Relu();
    }
}
