namespace Scratch;

/// <summary>
/// Average pooling over windows of x [N, C, L] (stride defaults to the window; zero padding is counted in the
/// average unless <c>countIncludePad</c> is false), like PyTorch's <c>nn.AvgPool1d</c>.
/// </summary>
public sealed class AvgPool1d : Module
{
    /// <summary>Windows of <paramref name="kernelSize"/>.</summary>
    public AvgPool1d(int kernelSize, int? stride = null, int padding = 0, bool countIncludePad = true)
    {
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding;
        CountIncludePad = countIncludePad;
        PoolingChecks.Check("avg_pool1d", new Kernels.Pool2dParams(1, KernelSize, 1, Stride, 0, Padding));
    }

    /// <summary>Window length.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <summary>Zeros added at each end.</summary>
    public int Padding { get; }

    /// <summary>Divide by the whole window, padding included (PyTorch's default).</summary>
    public bool CountIncludePad { get; }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => input.AvgPool1d(KernelSize, Stride, Padding, CountIncludePad);

    /// <inheritdoc />
    protected override string ExtraRepr()
    {
        var text = $"kernel_size=({KernelSize},), stride=({Stride},), padding=({Padding},)";
        return CountIncludePad ? text : text + ", count_include_pad=False";
    }
}
