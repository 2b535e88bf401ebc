using ILGPU;
using ILGPU.Runtime;
using Scratch.Kernels.Gpu.Ops;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu;

/// <summary>
/// <see cref="IBackend"/> on one ILGPU accelerator: an NVIDIA GPU through ILGPU's CUDA accelerator, or
/// ILGPU's CPU accelerator (<see cref="GpuRuntime.Simulator"/>), which runs the same kernels with SIMT
/// semantics. Every primitive queues its kernels on the accelerator's default stream and returns;
/// <see cref="Download{T}"/> and <see cref="Synchronize"/> wait. Kernels are C# methods compiled by ILGPU at
/// first use; memory comes from a caching allocator. Obtain instances from <see cref="GpuRuntime"/>.
/// </summary>
/// <remarks>
/// Errors a kernel detects in its input (an index out of range, an integer division by zero) cannot be
/// thrown at the call without waiting for the device; they are thrown, with the same exception types as the
/// CPU backend's, by the next <see cref="Download{T}"/> or <see cref="Synchronize"/>.
/// </remarks>
public sealed class GpuBackend : IBackend
{
    private readonly object _transfer = new();

    internal GpuBackend(string name, Accelerator accelerator, bool isSimulator)
    {
        Name = name;
        Accelerator = accelerator;
        IsSimulator = isSimulator;
        Allocator = new GpuAllocator(accelerator, name);
        Kernels = new KernelLauncher(accelerator, name);
        Errors = new DeviceErrors(accelerator, name);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The accelerator's name as ILGPU reports it (e.g. <c>NVIDIA H200</c> or <c>CPUAccelerator</c>).</summary>
    public string DeviceName => Accelerator.Name;

    /// <summary>True when the kernels run on ILGPU's CPU accelerator rather than a GPU.</summary>
    public bool IsSimulator { get; }

    /// <summary>Threads per warp (32 on NVIDIA GPUs and on the simulator).</summary>
    public int WarpSize => Accelerator.WarpSize;

    /// <summary>Streaming multiprocessors (or the simulator's worker count).</summary>
    public int MultiprocessorCount => Accelerator.NumMultiprocessors;

    /// <summary>Device memory in bytes.</summary>
    public long MemorySize => Accelerator.MemorySize;

    /// <summary>
    /// Let float32 matrix products (MatMul and the convolutions built on it) use TF32 tensor cores
    /// (sm_80+): about 8× the throughput, with inputs rounded to 10 mantissa bits (relative error about
    /// 1e-3 instead of 1e-6). Off by default, like PyTorch's <c>allow_tf32</c>. The simulator has no tensor
    /// cores and ignores it.
    /// </summary>
    public bool AllowTf32 { get; set; }

    /// <summary>Wait for every kernel as it is launched, so an error names the launch that caused it (also <c>SCRATCH_GPU_SYNC=1</c>).</summary>
    public bool SynchronizeAfterLaunch
    {
        get => Kernels.SynchronizeAfterLaunch;
        set => Kernels.SynchronizeAfterLaunch = value;
    }

    /// <summary>Bytes of device memory held by live buffers.</summary>
    public long BytesInUse => Allocator.BytesInUse;

    /// <summary>Bytes of device memory the allocator keeps cached for reuse.</summary>
    public long BytesCached => Allocator.BytesCached;

    /// <summary>Gives the allocator's cached blocks back to the driver.</summary>
    public void EmptyCache() => Allocator.EmptyCache();

    /// <summary>The kernel instantiations compiled so far, by name.</summary>
    public IReadOnlyList<string> LoadedKernels => [.. Kernels.LoadedNames.Order()];

    internal Accelerator Accelerator { get; }
    internal GpuAllocator Allocator { get; }
    internal KernelLauncher Kernels { get; }
    internal DeviceErrors Errors { get; }
    internal AcceleratorStream Stream => Accelerator.DefaultStream;

    /// <summary>Wall time of the work <paramref name="work"/> queues, in milliseconds, from synchronised start to synchronised end.</summary>
    public double TimeMilliseconds(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Synchronize();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        work();
        Synchronize();
        return clock.Elapsed.TotalMilliseconds;
    }

    // ---- memory ---------------------------------------------------------------------------

    /// <inheritdoc/>
    public DeviceBuffer Allocate(DType dtype, long length) => new GpuBuffer(this, Allocator, dtype, length);

    /// <inheritdoc/>
    public unsafe void Upload<T>(ReadOnlySpan<T> source, DeviceBuffer destination, long destinationOffset) where T : unmanaged
    {
        var buffer = Own(destination);
        CheckElementType<T>(buffer, "upload");
        if (destinationOffset < 0 || destinationOffset + source.Length > buffer.Length)
            throw new ArgumentOutOfRangeException(nameof(destinationOffset),
                $"{Name}: upload of {source.Length} elements at {destinationOffset} overruns a buffer of {buffer.Length}");
        if (source.Length == 0) return;
        // ILGPU copies through a raw pointer to the host memory: the span must be pinned, or the GC may move a
        // managed array during the copy (seen as uploads and downloads that silently read or wrote zeros).
        lock (_transfer)
        {
            fixed (T* host = source)
                buffer.View<T>().SubView(destinationOffset, source.Length).CopyFromCPU(Stream, ref *host, source.Length);
        }
    }

    /// <inheritdoc/>
    public unsafe void Download<T>(DeviceBuffer source, long sourceOffset, Span<T> destination) where T : unmanaged
    {
        var buffer = Own(source);
        CheckElementType<T>(buffer, "download");
        if (sourceOffset < 0 || sourceOffset + destination.Length > buffer.Length)
            throw new ArgumentOutOfRangeException(nameof(sourceOffset),
                $"{Name}: download of {destination.Length} elements at {sourceOffset} overruns a buffer of {buffer.Length}");
        if (destination.Length > 0)
        {
            lock (_transfer)
            {
                fixed (T* host = destination)
                    buffer.View<T>().SubView(sourceOffset, destination.Length).CopyToCPU(Stream, ref *host, destination.Length);
            }
        }
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

    // ---- what the launcher classes use ------------------------------------------------------------

    /// <summary>The elements of <paramref name="view"/>'s buffer as an ILGPU view, starting at element 0 of the buffer.</summary>
    internal ArrayView<T> Whole<T>(BufferView view) where T : unmanaged => Own(view.Buffer).View<T>();

    /// <summary>The elements of a view's buffer from the view's offset on (for contiguous views: the view's elements).</summary>
    internal ArrayView<T> From<T>(BufferView view) where T : unmanaged
    {
        var whole = Whole<T>(view);
        return view.Count == 0 ? ArrayView<T>.Empty : whole.SubView(view.Offset, whole.Length - view.Offset);
    }

    /// <summary>A scratch buffer of at least one element, released when the returned buffer is.</summary>
    internal GpuBuffer Workspace(DType dtype, long length) => (GpuBuffer)Allocate(dtype, Math.Max(1, length));

    /// <summary>The GPU buffer behind <paramref name="buffer"/>; throws when it belongs to another backend.</summary>
    internal GpuBuffer Own(DeviceBuffer buffer)
    {
        if (buffer is GpuBuffer gpu && ReferenceEquals(buffer.Backend, this)) return gpu;
        throw new ArgumentException($"{Name}: buffer belongs to backend '{buffer.Backend.Name}'");
    }

    private void CheckElementType<T>(GpuBuffer buffer, string what) where T : unmanaged
    {
        if (DTypeExtensions.Of<T>() != buffer.DType)
            throw new InvalidOperationException($"{Name}: {what} of {typeof(T).Name} into a buffer of {buffer.DType.Name()}");
    }
}
