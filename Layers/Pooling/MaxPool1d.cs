namespace Scratch;

/// <summary>Max pooling over windows of x [N, C, L] (stride defaults to the window; padding counts as −∞), like PyTorch's <c>nn.MaxPool1d</c>.</summary>
public sealed class MaxPool1d : Module
{
    /// <summary>Windows of <paramref name="kernelSize"/>.</summary>
    public MaxPool1d(int kernelSize, int? stride = null, int padding = 0)
    {
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding;
        PoolingChecks.Check("max_pool1d", new Kernels.Pool2dParams(1, KernelSize, 1, Stride, 0, Padding));
    }

    /// <summary>Window length.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <summary>Implicit −∞ added at each end.</summary>
    public int Padding { get; }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => input.MaxPool1d(KernelSize, Stride, Padding);

    /// <inheritdoc />
    protected override string ExtraRepr() => $"kernel_size={KernelSize}, stride={Stride}, padding={Padding}, dilation=1, ceil_mode=False";
}
