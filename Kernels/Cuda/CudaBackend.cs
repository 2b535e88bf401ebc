using System.Runtime.InteropServices;
using Scratch.Kernels.Cuda.Native;
using Scratch.Kernels.Cuda.Ops;
using Scratch.Kernels.Cuda.Runtime;
using static Scratch.Kernels.Cuda.Native.CudaDriverApi;

namespace Scratch.Kernels.Cuda;

/// <summary>
/// <see cref="IBackend"/> on one NVIDIA GPU through the CUDA driver API. Every primitive queues its
/// kernels on the backend's single stream and returns; <see cref="Download{T}"/> and
/// <see cref="Synchronize"/> wait. Kernels are compiled by NVRTC at first use (and their PTX cached on
/// disk); memory comes from a caching allocator. Obtain instances from <see cref="CudaRuntime.GetBackend"/>.
/// </summary>
/// <remarks>
/// Errors a kernel detects in its input (an index out of range, an integer division by zero) cannot
/// be thrown at the call without waiting for the GPU; they are thrown, with the same exception types
/// as the CPU backend's, by the next <see cref="Download{T}"/> or <see cref="Synchronize"/>.
/// </remarks>
public sealed class CudaBackend : IBackend, IKernelHost
{
    internal CudaBackend(int ordinal)
    {
        Context = new CudaContext(ordinal);
        Modules = new ModuleCache(Context);
        Allocator = new CudaAllocator(Context);
        Staging = new PinnedStaging(Context);
        Errors = new DeviceErrorWord(Context);
        Device = new CudaDeviceInfo(ordinal, Context.Name, Context.Major, Context.Minor, Context.MultiprocessorCount,
            Context.TotalMemory, Modules.Architecture);
    }

    /// <inheritdoc/>
    public string Name => $"cuda:{Device.Ordinal}";

    /// <summary>The device this backend runs on.</summary>
    public CudaDeviceInfo Device { get; }

    /// <summary>
    /// Let float32 matrix products (MatMul and the convolutions built on it) use TF32 tensor cores
    /// on sm_80+: about 8× the throughput, with inputs rounded to 10 mantissa bits (relative error
    /// about 1e-3 instead of 1e-6). Off by default, like PyTorch's <c>allow_tf32</c>.
    /// </summary>
    public bool AllowTf32 { get; set; }

    /// <summary>Bytes of device memory held by live buffers.</summary>
    public long BytesInUse => Allocator.BytesInUse;

    /// <summary>Bytes of device memory the allocator keeps cached for reuse.</summary>
    public long BytesCached => Allocator.BytesCached;

    /// <summary>Gives the allocator's cached blocks back to the driver.</summary>
    public void EmptyCache() => Allocator.EmptyCache();

    /// <summary>Free and total device memory as the driver reports them.</summary>
    public (long Free, long Total) MemoryInfo() => Context.MemoryInfo();

    /// <summary>GPU time of the work <paramref name="work"/> queues, in milliseconds, measured with CUDA events on the stream.</summary>
    public float TimeMilliseconds(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Context.MakeCurrent();
        CudaException.Check(cuEventCreate(out nint start, CuConstants.EventDefault), "cuEventCreate");
        CudaException.Check(cuEventCreate(out nint stop, CuConstants.EventDefault), "cuEventCreate");
        try
        {
            CudaException.Check(cuEventRecord(start, Context.Stream), "cuEventRecord");
            work();
            Context.MakeCurrent();
            CudaException.Check(cuEventRecord(stop, Context.Stream), "cuEventRecord");
            CudaException.Check(cuEventSynchronize(stop), "cuEventSynchronize");
            CudaException.Check(cuEventElapsedTime(out float milliseconds, start, stop), "cuEventElapsedTime");
            return milliseconds;
        }
        finally
        {
            cuEventDestroy_v2(start);
            cuEventDestroy_v2(stop);
        }
    }

    internal CudaContext Context { get; }
    internal ModuleCache Modules { get; }
    internal CudaAllocator Allocator { get; }
    internal PinnedStaging Staging { get; }
    internal DeviceErrorWord Errors { get; }

    // ---- memory ---------------------------------------------------------------------------

    /// <inheritdoc/>
    public DeviceBuffer Allocate(DType dtype, long length) => new CudaBuffer(this, Allocator, dtype, length);

    /// <inheritdoc/>
    public void Upload<T>(ReadOnlySpan<T> source, DeviceBuffer destination, long destinationOffset) where T : unmanaged
    {
        var buffer = Own(destination);
        CheckElementType<T>(buffer, "upload");
        if (destinationOffset < 0 || destinationOffset + source.Length > buffer.Length)
            throw new ArgumentOutOfRangeException(nameof(destinationOffset),
                $"{Name}: upload of {source.Length} elements at {destinationOffset} overruns a buffer of {buffer.Length}");
        if (source.Length == 0) return;
        Staging.Upload(MemoryMarshal.AsBytes(source), buffer.At(destinationOffset));
    }

    /// <inheritdoc/>
    public void Download<T>(DeviceBuffer source, long sourceOffset, Span<T> destination) where T : unmanaged
    {
        var buffer = Own(source);
        CheckElementType<T>(buffer, "download");
        if (sourceOffset < 0 || sourceOffset + destination.Length > buffer.Length)
            throw new ArgumentOutOfRangeException(nameof(sourceOffset),
                $"{Name}: download of {destination.Length} elements at {sourceOffset} overruns a buffer of {buffer.Length}");
        if (destination.Length > 0) Staging.Download(buffer.At(sourceOffset), MemoryMarshal.AsBytes(destination));
        Errors.SynchronizeAndThrowIfSet();
    }

    /// <inheritdoc/>
    public void Synchronize() => Errors.SynchronizeAndThrowIfSet();

    // ---- primitives: each routes to the launcher class of its kind ----------------------------

    /// <inheritdoc/>
    public void Fill(BufferView y, double value) => ElementwiseOps.Fill(this, y, value);

    /// <inheritdoc/>
    public void Copy(BufferView x, BufferView y) => ElementwiseOps.Copy(this, x, y);

    /// <inheritdoc/>
    public void Unary(UnaryOp op, BufferView x, BufferView y, double alpha = 0, double beta = 0)
        => ElementwiseOps.Unary(this, op, x, y, alpha, beta);

    /// <inheritdoc/>
    public void UnaryBackward(UnaryOp op, BufferView x, BufferView gy, BufferView gx, double alpha = 0, double beta = 0)
        => ElementwiseOps.UnaryBackward(this, op, x, gy, gx, alpha, beta);

    /// <inheritdoc/>
    public void Binary(BinaryOp op, BufferView a, BufferView b, BufferView y) => ElementwiseOps.Binary(this, op, a, b, y);

    /// <inheritdoc/>
    public void BinaryScalar(BinaryOp op, BufferView a, double scalar, bool scalarFirst, BufferView y)
        => ElementwiseOps.BinaryScalar(this, op, a, scalar, scalarFirst, y);

    /// <inheritdoc/>
    public void Where(BufferView condition, BufferView a, BufferView b, BufferView y) => ElementwiseOps.Where(this, condition, a, b, y);

    /// <inheritdoc/>
    public void Reduce(ReduceOp op, BufferView x, int reducedDims, BufferView y) => ReductionOps.Reduce(this, op, x, reducedDims, y);

    /// <inheritdoc/>
    public void MatMul(BufferView a, BufferView b, BufferView c, double alpha = 1, double beta = 0) => GemmOps.MatMul(this, a, b, c, alpha, beta);

    /// <inheritdoc/>
    public void Conv2dForward(BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dParams p)
        => ConvolutionOps.Forward(this, x, w, bias, y, p);

    /// <inheritdoc/>
    public void Conv2dBackwardData(BufferView gy, BufferView w, BufferView gx, Conv2dParams p)
        => ConvolutionOps.BackwardData(this, gy, w, gx, p);

    /// <inheritdoc/>
    public void Conv2dBackwardWeight(BufferView x, BufferView gy, BufferView gw, Conv2dParams p)
        => ConvolutionOps.BackwardWeight(this, x, gy, gw, p);

    /// <inheritdoc/>
    public void MaxPool2dForward(BufferView x, BufferView y, BufferView indices, Pool2dParams p) => PoolingOps.MaxForward(this, x, y, indices, p);

    /// <inheritdoc/>
    public void MaxPool2dBackward(BufferView gy, BufferView indices, BufferView gx, Pool2dParams p) => PoolingOps.MaxBackward(this, gy, indices, gx, p);

    /// <inheritdoc/>
    public void AvgPool2dForward(BufferView x, BufferView y, Pool2dParams p) => PoolingOps.AvgForward(this, x, y, p);

    /// <inheritdoc/>
    public void AvgPool2dBackward(BufferView gy, BufferView gx, Pool2dParams p) => PoolingOps.AvgBackward(this, gy, gx, p);

    /// <inheritdoc/>
    public void Softmax(BufferView x, BufferView y, bool log) => SoftmaxOps.Forward(this, x, y, log);

    /// <inheritdoc/>
    public void SoftmaxBackward(BufferView y, BufferView gy, BufferView gx, bool log) => SoftmaxOps.Backward(this, y, gy, gx, log);

    /// <inheritdoc/>
    public void Gather(BufferView x, BufferView index, BufferView y) => IndexingOps.Gather(this, x, index, y);

    /// <inheritdoc/>
    public void ScatterAdd(BufferView src, BufferView index, BufferView y) => IndexingOps.ScatterAdd(this, src, index, y);

    /// <inheritdoc/>
    public void IndexSelect(BufferView x, BufferView index, BufferView y) => IndexingOps.IndexSelect(this, x, index, y);

    /// <inheritdoc/>
    public void IndexAdd(BufferView src, BufferView index, BufferView y) => IndexingOps.IndexAdd(this, src, index, y);

    /// <inheritdoc/>
    public void OneHot(BufferView index, BufferView y) => IndexingOps.OneHot(this, index, y);

    /// <inheritdoc/>
    public void BatchNormForwardTraining(BufferView x, BufferView? weight, BufferView? bias, BufferView y,
        BufferView saveMean, BufferView saveInvStd, BufferView? runningMean, BufferView? runningVar, double momentum, double eps)
        => BatchNormOps.ForwardTraining(this, x, weight, bias, y, saveMean, saveInvStd, runningMean, runningVar, momentum, eps);

    /// <inheritdoc/>
    public void BatchNormForwardInference(BufferView x, BufferView? weight, BufferView? bias, BufferView mean, BufferView variance, BufferView y, double eps)
        => BatchNormOps.ForwardInference(this, x, weight, bias, mean, variance, y, eps);

    /// <inheritdoc/>
    public void BatchNormBackward(BufferView x, BufferView gy, BufferView? weight, BufferView saveMean, BufferView saveInvStd,
        BufferView gx, BufferView? gWeight, BufferView? gBias)
        => BatchNormOps.Backward(this, x, gy, weight, saveMean, saveInvStd, gx, gWeight, gBias);

    /// <inheritdoc/>
    public void Random(RandomDistribution distribution, BufferView y, ulong seed, ulong offset, double a, double b)
        => RandomOps.Fill(this, distribution, y, seed, offset, a, b);

    /// <inheritdoc/>
    public void SgdUpdate(BufferView param, BufferView grad, BufferView? momentumBuffer, SgdUpdateParams p)
        => OptimizerOps.Sgd(this, param, grad, momentumBuffer, p);

    /// <inheritdoc/>
    public void AdamUpdate(BufferView param, BufferView grad, BufferView m, BufferView v, BufferView? maxV, AdamUpdateParams p)
        => OptimizerOps.Adam(this, param, grad, m, v, maxV, p);

    // ---- IKernelHost: what the launcher classes use --------------------------------------------

    int IKernelHost.MultiprocessorCount => Context.MultiprocessorCount;
    int IKernelHost.Architecture => Context.Architecture;
    int IKernelHost.MaxGridDimY => Context.MaxGridDimY;
    int IKernelHost.MaxGridDimZ => Context.MaxGridDimZ;
    ulong IKernelHost.ErrorWord => Errors.Pointer;

    ulong IKernelHost.Address(DeviceBuffer buffer, long elementOffset) => Own(buffer).At(elementOffset);

    DeviceBuffer IKernelHost.Workspace(DType dtype, long length) => Allocate(dtype, Math.Max(1, length));

    void IKernelHost.Launch(KernelSource source, string name, LaunchShape shape, ref KernelArguments arguments)
        => Context.Launch(Modules.Function(source, name), shape, ref arguments);

    void IKernelHost.Memset32(ulong address, uint pattern, long words)
    {
        Context.MakeCurrent();
        CudaException.Check(cuMemsetD32Async(address, pattern, (nuint)words, Context.Stream), "cuMemsetD32Async");
    }

    void IKernelHost.CopyDeviceToDevice(ulong destination, ulong source, long bytes)
    {
        Context.MakeCurrent();
        CudaException.Check(cuMemcpyDtoDAsync_v2(destination, source, (nuint)bytes, Context.Stream), "cuMemcpyDtoDAsync_v2");
    }

    uint IKernelHost.GridFor(long count, int block) => Context.GridFor(count, block);

    /// <summary>The raw Philox words of <paramref name="blocks"/> blocks (4 per block) from <paramref name="offset"/>, for bit-exact stream tests.</summary>
    internal uint[] PhiloxWords(ulong seed, ulong offset, int blocks) => RandomOps.Words(this, seed, offset, blocks);

    /// <summary>The CUDA buffer behind <paramref name="buffer"/>; throws when it belongs to another backend.</summary>
    internal CudaBuffer Own(DeviceBuffer buffer)
    {
        if (buffer is CudaBuffer cuda && ReferenceEquals(buffer.Backend, this)) return cuda;
        throw new ArgumentException($"{Name}: buffer belongs to backend '{buffer.Backend.Name}'");
    }

    private void CheckElementType<T>(CudaBuffer buffer, string what) where T : unmanaged
    {
        if (DTypeExtensions.Of<T>() != buffer.DType)
            throw new InvalidOperationException($"{Name}: {what} of {typeof(T).Name} into a buffer of {buffer.DType.Name()}");
    }
}
