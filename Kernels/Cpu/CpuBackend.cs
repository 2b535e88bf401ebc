namespace Scratch.Kernels.Cpu;

/// <summary>
/// The reference backend: managed C# with <c>System.Runtime.Intrinsics</c>, multithreaded with a
/// deterministic split. Each primitive lives in its own kernel class; this class only routes.
/// </summary>
public sealed class CpuBackend : IBackend
{
    /// <summary>The one CPU backend.</summary>
    public static CpuBackend Instance { get; } = new();

    private CpuBackend() { }

    /// <inheritdoc/>
    public string Name => "cpu";

    /// <inheritdoc/>
    public DeviceBuffer Allocate(DType dtype, long length) => new CpuBuffer(this, dtype, length);

    /// <inheritdoc/>
    public void Upload<T>(ReadOnlySpan<T> source, DeviceBuffer destination, long destinationOffset) where T : unmanaged
    {
        var span = Own(destination).AsSpan<T>();
        if (destinationOffset < 0 || destinationOffset + source.Length > span.Length)
            throw new ArgumentOutOfRangeException(nameof(destinationOffset), $"cpu: upload of {source.Length} elements at {destinationOffset} overruns a buffer of {span.Length}");
        source.CopyTo(span.Slice((int)destinationOffset));
    }

    /// <inheritdoc/>
    public void Download<T>(DeviceBuffer source, long sourceOffset, Span<T> destination) where T : unmanaged
    {
        var span = Own(source).AsSpan<T>();
        if (sourceOffset < 0 || sourceOffset + destination.Length > span.Length)
            throw new ArgumentOutOfRangeException(nameof(sourceOffset), $"cpu: download of {destination.Length} elements at {sourceOffset} overruns a buffer of {span.Length}");
        span.Slice((int)sourceOffset, destination.Length).CopyTo(destination);
    }

    /// <inheritdoc/>
    public void Synchronize() { }

    private CpuBuffer Own(DeviceBuffer buffer) => buffer as CpuBuffer ?? throw new ArgumentException($"cpu: buffer belongs to backend '{buffer.Backend.Name}'");

    /// <inheritdoc/>
    public void Fill(BufferView y, double value) => FillKernel.Run(y, value);

    /// <inheritdoc/>
    public void Copy(BufferView x, BufferView y) => CopyKernel.Run(x, y);

    /// <inheritdoc/>
    public void Unary(UnaryOp op, BufferView x, BufferView y, double alpha = 0, double beta = 0) => UnaryKernel.Run(op, x, y, alpha, beta);

    /// <inheritdoc/>
    public void UnaryBackward(UnaryOp op, BufferView x, BufferView gy, BufferView gx, double alpha = 0, double beta = 0)
        => UnaryBackwardKernel.Run(op, x, gy, gx, alpha, beta);

    /// <inheritdoc/>
    public void Binary(BinaryOp op, BufferView a, BufferView b, BufferView y) => BinaryKernel.Run(op, a, b, y);

    /// <inheritdoc/>
    public void BinaryScalar(BinaryOp op, BufferView a, double scalar, bool scalarFirst, BufferView y)
        => BinaryScalarKernel.Run(op, a, scalar, scalarFirst, y);

    /// <inheritdoc/>
    public void Where(BufferView condition, BufferView a, BufferView b, BufferView y) => WhereKernel.Run(condition, a, b, y);

    /// <inheritdoc/>
    public void Reduce(ReduceOp op, BufferView x, int reducedDims, BufferView y) => ReduceKernel.Run(op, x, reducedDims, y);

    /// <inheritdoc/>
    public void MatMul(BufferView a, BufferView b, BufferView c, double alpha = 1, double beta = 0) => GemmKernel.MatMul(a, b, c, alpha, beta);

    /// <inheritdoc/>
    public void Conv2dForward(BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dParams p) => Conv2dKernel.Forward(x, w, bias, y, p);

    /// <inheritdoc/>
    public void Conv2dBackwardData(BufferView gy, BufferView w, BufferView gx, Conv2dParams p) => Conv2dKernel.BackwardData(gy, w, gx, p);

    /// <inheritdoc/>
    public void Conv2dBackwardWeight(BufferView x, BufferView gy, BufferView gw, Conv2dParams p) => Conv2dKernel.BackwardWeight(x, gy, gw, p);

    /// <inheritdoc/>
    public void MaxPool2dForward(BufferView x, BufferView y, BufferView indices, Pool2dParams p) => MaxPool2dKernel.Forward(x, y, indices, p);

    /// <inheritdoc/>
    public void MaxPool2dBackward(BufferView gy, BufferView indices, BufferView gx, Pool2dParams p) => MaxPool2dKernel.Backward(gy, indices, gx, p);

    /// <inheritdoc/>
    public void AvgPool2dForward(BufferView x, BufferView y, Pool2dParams p) => AvgPool2dKernel.Forward(x, y, p);

    /// <inheritdoc/>
    public void AvgPool2dBackward(BufferView gy, BufferView gx, Pool2dParams p) => AvgPool2dKernel.Backward(gy, gx, p);

    /// <inheritdoc/>
    public void Softmax(BufferView x, BufferView y, bool log) => SoftmaxKernel.Forward(x, y, log);

    /// <inheritdoc/>
    public void SoftmaxBackward(BufferView y, BufferView gy, BufferView gx, bool log) => SoftmaxKernel.Backward(y, gy, gx, log);

    /// <inheritdoc/>
    public void Gather(BufferView x, BufferView index, BufferView y) => GatherKernel.Gather(x, index, y);

    /// <inheritdoc/>
    public void ScatterAdd(BufferView src, BufferView index, BufferView y) => GatherKernel.ScatterAdd(src, index, y);

    /// <inheritdoc/>
    public void IndexSelect(BufferView x, BufferView index, BufferView y) => IndexSelectKernel.IndexSelect(x, index, y);

    /// <inheritdoc/>
    public void IndexAdd(BufferView src, BufferView index, BufferView y) => IndexSelectKernel.IndexAdd(src, index, y);

    /// <inheritdoc/>
    public void OneHot(BufferView index, BufferView y) => OneHotKernel.Run(index, y);

    /// <inheritdoc/>
    public void BatchNormForwardTraining(BufferView x, BufferView? weight, BufferView? bias, BufferView y,
        BufferView saveMean, BufferView saveInvStd, BufferView? runningMean, BufferView? runningVar, double momentum, double eps)
        => BatchNormKernel.ForwardTraining(x, weight, bias, y, saveMean, saveInvStd, runningMean, runningVar, momentum, eps);

    /// <inheritdoc/>
    public void BatchNormForwardInference(BufferView x, BufferView? weight, BufferView? bias, BufferView mean, BufferView variance, BufferView y, double eps)
        => BatchNormKernel.ForwardInference(x, weight, bias, mean, variance, y, eps);

    /// <inheritdoc/>
    public void BatchNormBackward(BufferView x, BufferView gy, BufferView? weight, BufferView saveMean, BufferView saveInvStd,
        BufferView gx, BufferView? gWeight, BufferView? gBias)
        => BatchNormKernel.Backward(x, gy, weight, saveMean, saveInvStd, gx, gWeight, gBias);

    /// <inheritdoc/>
    public void Random(RandomDistribution distribution, BufferView y, ulong seed, ulong offset, double a, double b)
        => RandomKernel.Run(distribution, y, seed, offset, a, b);

    /// <inheritdoc/>
    public void SgdUpdate(BufferView param, BufferView grad, BufferView? momentumBuffer, SgdUpdateParams p)
        => OptimizerUpdateKernel.Sgd(param, grad, momentumBuffer, p);

    /// <inheritdoc/>
    public void AdamUpdate(BufferView param, BufferView grad, BufferView m, BufferView v, BufferView? maxV, AdamUpdateParams p)
        => OptimizerUpdateKernel.Adam(param, grad, m, v, maxV, p);
}
