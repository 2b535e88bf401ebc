using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Cuda.Ops;
using Scratch.Kernels.Cuda.Runtime;

namespace Scratch.Tests.Cuda;

/// <summary>
/// Drives every launcher of the CUDA backend through a <see cref="RecordingKernelHost"/> (no GPU) and
/// checks, for every kernel launch, that the instantiation exists in the catalog and that the argument
/// bytes passed match the compiled kernel's parameter list one by one (count and size), and that the
/// launcher picked the expected kernels for the shapes. A mismatch here would be a silent memory
/// corruption on the GPU.
/// </summary>
[TestFixture, Category("Nvrtc")]
public class KernelLaunchSignatureTests
{
    private const string Architecture = "compute_80";

    private static BufferView V(DType dtype, params int[] shape) => BufferView.Contiguous(CpuBackend.Instance.Allocate(dtype, BufferView.ElementCount(shape)), shape);

    // The last two dims swapped, without copying.
    private static BufferView T(BufferView v)
    {
        var shape = (int[])v.Shape.Clone();
        var strides = (long[])v.Strides.Clone();
        (shape[^1], shape[^2]) = (shape[^2], shape[^1]);
        (strides[^1], strides[^2]) = (strides[^2], strides[^1]);
        return v.WithLayout(shape, strides, v.Offset);
    }

    private static BufferView Broadcast(BufferView v, int[] shape, long[] strides) => v.WithLayout(shape, strides, v.Offset);

    private const DType F = DType.Float32;
    private const DType D = DType.Float64;
    private const DType I = DType.Int32;

    public static IEnumerable<TestCaseData> Scenarios()
    {
        TestCaseData Case(string name, Action<RecordingKernelHost> run, params string[] kernels)
            => new TestCaseData(run, kernels).SetName($"Launches({name})");

        yield return Case("fill float zero is a memset", h => ElementwiseOps.Fill(h, V(F, 3, 4), 0));
        yield return Case("fill double", h => ElementwiseOps.Fill(h, V(D, 7), 1.5), "fill_contig");
        yield return Case("fill strided int", h => ElementwiseOps.Fill(h, T(V(I, 3, 5)), 2), "fill_strided");
        yield return Case("copy same dtype is a memcpy", h => ElementwiseOps.Copy(h, V(F, 3, 4), V(F, 3, 4)));
        yield return Case("copy float to int", h => ElementwiseOps.Copy(h, V(F, 3, 4), V(I, 3, 4)), "copy_contig");
        yield return Case("copy transposed float to double", h => ElementwiseOps.Copy(h, T(V(F, 3, 4)), V(D, 4, 3)), "copy_strided");
        yield return Case("unary contiguous", h => ElementwiseOps.Unary(h, UnaryOp.Gelu, V(F, 10), V(F, 10), 0, 0), "unary_contig");
        yield return Case("unary strided", h => ElementwiseOps.Unary(h, UnaryOp.Softplus, T(V(D, 3, 4)), V(D, 4, 3), 1, 20), "unary_strided");
        yield return Case("unary int", h => ElementwiseOps.Unary(h, UnaryOp.Clamp, V(I, 5), V(I, 5), -1, 1), "unary_contig");
        yield return Case("unary backward contiguous", h => ElementwiseOps.UnaryBackward(h, UnaryOp.Tanh, V(F, 6), V(F, 6), V(F, 6), 0, 0), "unary_backward_contig");
        yield return Case("unary backward strided", h => ElementwiseOps.UnaryBackward(h, UnaryOp.Elu, T(V(D, 2, 3)), V(D, 3, 2), V(D, 3, 2), 1, 0), "unary_backward_strided");
        yield return Case("binary with scalar", h => ElementwiseOps.Binary(h, BinaryOp.Mul, V(F, 4, 5), Broadcast(V(F, 1), [4, 5], [0, 0]), V(F, 4, 5)), "binary_contig");
        yield return Case("binary row broadcast", h => ElementwiseOps.Binary(h, BinaryOp.Add, V(D, 4, 5), Broadcast(V(D, 5), [4, 5], [0, 1]), V(D, 4, 5)), "binary_strided");
        yield return Case("binary int division", h => ElementwiseOps.Binary(h, BinaryOp.Div, V(I, 9), V(I, 9), V(I, 9)), "binary_contig");
        yield return Case("binary scalar float", h => ElementwiseOps.BinaryScalar(h, BinaryOp.Mul, V(F, 4, 5), 2, false, V(F, 4, 5)), "binary_scalar_contig");
        yield return Case("binary scalar double, scalar first", h => ElementwiseOps.BinaryScalar(h, BinaryOp.Div, V(D, 9), 2, true, V(D, 9)), "binary_scalar_contig");
        yield return Case("binary scalar int", h => ElementwiseOps.BinaryScalar(h, BinaryOp.Sub, V(I, 3, 2), 2, false, V(I, 3, 2)), "binary_scalar_contig");
        yield return Case("binary scalar strided float", h => ElementwiseOps.BinaryScalar(h, BinaryOp.Add, T(V(F, 3, 5)), 1, false, V(F, 5, 3)), "binary_scalar_strided");
        yield return Case("binary scalar strided double", h => ElementwiseOps.BinaryScalar(h, BinaryOp.Pow, T(V(D, 3, 5)), 2, true, V(D, 5, 3)), "binary_scalar_strided");
        yield return Case("binary scalar strided int", h => ElementwiseOps.BinaryScalar(h, BinaryOp.Less, V(I, 4, 5), 0, false, T(V(I, 5, 4))), "binary_scalar_strided");
        yield return Case("where", h => ElementwiseOps.Where(h, V(I, 2, 3), V(F, 2, 3), Broadcast(V(F, 3), [2, 3], [0, 1]), V(F, 2, 3)), "where_strided");

        yield return Case("reduce short rows", h => ReductionOps.Reduce(h, ReduceOp.Sum, V(F, 64, 10), 1, V(F, 64)), "reduce_rows_warp");
        yield return Case("reduce long rows, few", h => ReductionOps.Reduce(h, ReduceOp.Mean, V(F, 2, 100000), 1, V(F, 2)), "reduce_rows_block", "reduce_finalize");
        yield return Case("reduce long rows, many", h => ReductionOps.Reduce(h, ReduceOp.Max, V(D, 300, 3000), 1, V(D, 300)), "reduce_rows_block");
        yield return Case("reduce logsumexp", h => ReductionOps.Reduce(h, ReduceOp.LogSumExp, V(F, 1024, 5000), 1, V(F, 1024)), "reduce_rows_warp");
        yield return Case("reduce columns", h => ReductionOps.Reduce(h, ReduceOp.ArgMax, T(V(F, 100, 64)), 1, V(I, 64)), "reduce_columns");
        yield return Case("reduce columns, split", h => ReductionOps.Reduce(h, ReduceOp.ArgMin, T(V(D, 100000, 4)), 1, V(I, 4)), "reduce_columns", "reduce_finalize");
        yield return Case("reduce int", h => ReductionOps.Reduce(h, ReduceOp.Sum, V(I, 3, 4, 5), 2, V(I, 3)), "reduce_rows_warp");
        yield return Case("reduce everything", h => ReductionOps.Reduce(h, ReduceOp.Sum, V(F, 3, 4), 2, V(F)), "reduce_rows_warp");
        yield return Case("reduce empty", h => ReductionOps.Reduce(h, ReduceOp.LogSumExp, V(D, 3, 0), 1, V(D, 3)), "fill_contig");

        yield return Case("matmul float, many tiles", h => GemmOps.MatMul(h, V(F, 144, 128, 8), V(F, 144, 8, 128), V(F, 144, 128, 128), 1, 0), "gemm_tiled");
        yield return Case("matmul float, transposed", h => GemmOps.MatMul(h, T(V(F, 20, 30)), T(V(F, 40, 20)), V(F, 30, 40), 2, 1), "gemm_tiled");
        yield return Case("matmul double", h => GemmOps.MatMul(h, V(D, 2, 5, 6), Broadcast(V(D, 6, 7), [2, 6, 7], [0, 7, 1]), V(D, 2, 5, 7), 1, 0), "gemm_tiled");
        yield return Case("matmul split-K", h => GemmOps.MatMul(h, V(F, 16, 4096), V(F, 4096, 16), V(F, 16, 16), 1, 0.5), "gemm_tiled", "gemm_splitk_reduce");
        yield return Case("matmul K = 0", h => GemmOps.MatMul(h, V(D, 3, 0), V(D, 0, 4), V(D, 3, 4), 1, 2), "gemm_scale");
        yield return Case("matmul tf32", h => { h.AllowTf32 = true; GemmOps.MatMul(h, V(F, 64, 32), V(F, 32, 48), V(F, 64, 48), 1, 0); }, "gemm_tf32");
        yield return Case("matmul tf32 split-K", h => { h.AllowTf32 = true; GemmOps.MatMul(h, V(F, 8, 8192), T(V(F, 8, 8192)), V(F, 8, 8), 1, 0); }, "gemm_tf32", "gemm_splitk_reduce");

        var p = new Conv2dParams(StrideH: 2, StrideW: 1, PadH: 1, PadW: 1, DilationH: 1, DilationW: 2, Groups: 2);
        yield return Case("conv forward, chunked", h => ConvolutionOps.Forward(h, V(F, 3, 4, 9, 9), V(F, 6, 2, 3, 3), V(F, 6), V(F, 3, 6, 5, 7), p),
            "im2col", "gemm_tiled", "binary_strided");
        yield return Case("conv forward, one sample", h => ConvolutionOps.Forward(h, V(D, 1, 4, 9, 9), V(D, 6, 2, 3, 3), V(D, 6), V(D, 1, 6, 5, 7), p),
            "im2col", "gemm_tiled", "binary_strided");
        yield return Case("conv forward, pointwise", h => ConvolutionOps.Forward(h, V(F, 2, 4, 5, 5), V(F, 8, 4, 1, 1), null, V(F, 2, 8, 5, 5), new Conv2dParams(StrideH: 1)),
            "gemm_tiled");
        yield return Case("conv backward data", h => ConvolutionOps.BackwardData(h, V(F, 3, 6, 5, 7), V(F, 6, 2, 3, 3), V(F, 3, 4, 9, 9), p),
            "copy_strided", "gemm_tiled", "col2im");
        yield return Case("conv backward data, pointwise", h => ConvolutionOps.BackwardData(h, V(D, 2, 8, 5, 5), V(D, 8, 4, 1, 1), V(D, 2, 4, 5, 5), new Conv2dParams(StrideH: 1)),
            "gemm_tiled");
        yield return Case("conv backward weight", h => ConvolutionOps.BackwardWeight(h, V(F, 3, 4, 9, 9), V(F, 3, 6, 5, 7), V(F, 6, 2, 3, 3), p),
            "im2col", "copy_strided", "gemm_tiled");

        var pool = new Pool2dParams(3, 3, 2, 2, 1, 1, CountIncludePad: false);
        yield return Case("max pool", h => PoolingOps.MaxForward(h, V(F, 2, 3, 8, 8), V(F, 2, 3, 4, 4), V(I, 2, 3, 4, 4), pool), "max_pool_forward");
        yield return Case("max pool backward", h => PoolingOps.MaxBackward(h, V(D, 2, 3, 4, 4), V(I, 2, 3, 4, 4), V(D, 2, 3, 8, 8), pool), "max_pool_backward");
        yield return Case("avg pool", h => PoolingOps.AvgForward(h, V(D, 2, 3, 8, 8), V(D, 2, 3, 4, 4), pool), "avg_pool_forward");
        yield return Case("avg pool backward", h => PoolingOps.AvgBackward(h, V(F, 2, 3, 4, 4), V(F, 2, 3, 8, 8), pool), "avg_pool_backward");

        yield return Case("softmax rows", h => SoftmaxOps.Forward(h, V(F, 4, 10, 1), V(F, 4, 10, 1), false), "softmax_rows_warp");
        yield return Case("softmax long rows", h => SoftmaxOps.Forward(h, V(D, 2, 5000, 1), V(D, 2, 5000, 1), true), "softmax_rows_block");
        yield return Case("softmax columns", h => SoftmaxOps.Forward(h, V(F, 2, 7, 3), V(F, 2, 7, 3), true), "softmax_columns");
        yield return Case("softmax backward rows", h => SoftmaxOps.Backward(h, V(F, 4, 10, 1), V(F, 4, 10, 1), V(F, 4, 10, 1), true), "softmax_backward_rows_warp");
        yield return Case("softmax backward long rows", h => SoftmaxOps.Backward(h, V(F, 2, 3000, 1), V(F, 2, 3000, 1), V(F, 2, 3000, 1), false), "softmax_backward_rows_block");
        yield return Case("softmax backward columns", h => SoftmaxOps.Backward(h, V(D, 2, 7, 3), V(D, 2, 7, 3), V(D, 2, 7, 3), false), "softmax_backward_columns");

        yield return Case("gather", h => IndexingOps.Gather(h, V(F, 2, 5, 3), V(I, 2, 4, 3), V(F, 2, 4, 3)), "gather");
        yield return Case("scatter add", h => IndexingOps.ScatterAdd(h, V(D, 2, 4, 3), V(I, 2, 4, 3), V(D, 2, 5, 3)), "scatter_add");
        yield return Case("index select", h => IndexingOps.IndexSelect(h, V(I, 2, 5, 3), V(I, 4), V(I, 2, 4, 3)), "index_select");
        yield return Case("index add", h => IndexingOps.IndexAdd(h, V(F, 1, 4, 8), V(I, 4), V(F, 1, 10, 8)), "index_add");
        yield return Case("one hot", h => IndexingOps.OneHot(h, V(I, 6), V(F, 6, 10)), "one_hot");

        yield return Case("batch norm training", h => BatchNormOps.ForwardTraining(h, V(F, 4, 3, 25), V(F, 3), V(F, 3), V(F, 4, 3, 25), V(F, 3), V(F, 3), V(F, 3), V(F, 3), 0.1, 1e-5),
            "bn_partial_stats", "bn_finalize_stats", "bn_normalize");
        yield return Case("batch norm training, no affine", h => BatchNormOps.ForwardTraining(h, V(D, 4, 3, 1), null, null, V(D, 4, 3, 1), V(D, 3), V(D, 3), null, null, 0.1, 1e-5),
            "bn_partial_stats", "bn_finalize_stats", "bn_normalize");
        yield return Case("batch norm inference", h => BatchNormOps.ForwardInference(h, V(F, 4, 3, 25), V(F, 3), null, V(F, 3), V(F, 3), V(F, 4, 3, 25), 1e-5), "bn_inference");
        yield return Case("batch norm backward", h => BatchNormOps.Backward(h, V(D, 4, 3, 25), V(D, 4, 3, 25), V(D, 3), V(D, 3), V(D, 3), V(D, 4, 3, 25), V(D, 3), V(D, 3)),
            "bn_backward_partial", "bn_backward_finalize", "bn_backward_input");

        yield return Case("random uniform", h => RandomOps.Fill(h, RandomDistribution.Uniform, V(F, 5, 3), 1, 2, -1, 1), "philox_fill");
        yield return Case("random normal strided", h => RandomOps.Fill(h, RandomDistribution.Normal, T(V(D, 5, 3)), 7, 0, 0, 1), "philox_fill");
        yield return Case("random bernoulli", h => RandomOps.Fill(h, RandomDistribution.Bernoulli, V(F, 9), 7, 0, 0.3, 0), "philox_fill");

        yield return Case("sgd", h => OptimizerOps.Sgd(h, V(F, 10), V(F, 10), V(F, 10), new SgdUpdateParams(0.1, 0.9, 0, 1e-4, true)), "sgd_update");
        yield return Case("adam", h => OptimizerOps.Adam(h, V(D, 10), V(D, 10), V(D, 10), V(D, 10), V(D, 10), new AdamUpdateParams(1e-3, 0.9, 0.999, 1e-8, 0.01, 3, true, true)), "adam_update");
    }

    [TestCaseSource(nameof(Scenarios))]
    public void Launches(Delegate scenario, string[] expectedKernels)
    {
        NvrtcRequirement.Require();
        var host = new RecordingKernelHost();
        ((Action<RecordingKernelHost>)scenario)(host);

        Assert.That(host.Launches.Select(l => l.Kernel), Is.EqualTo(expectedKernels));
        foreach (var launch in host.Launches)
        {
            Assert.That(launch.Source.NameExpressions, Does.Contain(launch.Name), $"{launch.Source.Path} does not instantiate {launch.Name}");
            var compilation = CompiledKernels.Get(launch.Source, Architecture);
            var expected = PtxSignature.ParameterSizes(compilation.Ptx, compilation.LoweredNames[launch.Name]);
            Assert.That(launch.ArgumentSizes, Is.EqualTo(expected), $"argument bytes of {launch.Name}");
        }
    }

    [Test]
    public void MemsetAndCopyFastPathsLaunchNothing()
    {
        var host = new RecordingKernelHost();
        ElementwiseOps.Fill(host, V(F, 3, 4), 0);
        ElementwiseOps.Fill(host, V(D, 3, 4), 0);
        ElementwiseOps.Copy(host, V(I, 3, 4), V(I, 3, 4));
        Assert.That(host.Launches, Is.Empty);
        Assert.That(host.Memsets, Is.EqualTo(2));
        Assert.That(host.Copies, Is.EqualTo(1));
    }

    [Test]
    public void Tf32IsUsedOnlyWhenAllowed()
    {
        var host = new RecordingKernelHost();
        GemmOps.MatMul(host, V(F, 64, 32), V(F, 32, 48), V(F, 64, 48), 1, 0);
        GemmOps.MatMul(host, V(D, 64, 32), V(D, 32, 48), V(D, 64, 48), 1, 0);
        host.AllowTf32 = true;
        GemmOps.MatMul(host, V(D, 64, 32), V(D, 32, 48), V(D, 64, 48), 1, 0);
        Assert.That(host.Launches.Select(l => l.Kernel), Is.EqualTo(new[] { "gemm_tiled", "gemm_tiled", "gemm_tiled" }));
    }

    [Test]
    public void BadShapesAreRejectedWithTheShapesInTheMessage()
    {
        var host = new RecordingKernelHost();
        var e = Assert.Throws<ArgumentException>(() => ElementwiseOps.Binary(host, BinaryOp.Add, V(F, 2, 3), V(F, 3, 2), V(F, 2, 3)))!;
        Assert.That(e.Message, Does.Contain("[3, 2]").And.Contain("[2, 3]"));
        var conv = Assert.Throws<ArgumentException>(() => ConvolutionOps.Forward(host, V(F, 8, 1, 28, 28), V(F, 32, 3, 3, 3), null, V(F, 8, 32, 26, 26), new Conv2dParams(StrideH: 1)))!;
        Assert.That(conv.Message, Does.Contain("[32, 3, 3, 3]").And.Contain("[8, 1, 28, 28]"));
        Assert.Throws<NotSupportedException>(() => ElementwiseOps.Unary(host, UnaryOp.Exp, V(I, 3), V(I, 3), 0, 0));
        var scalar = Assert.Throws<ArgumentException>(() => ElementwiseOps.BinaryScalar(host, BinaryOp.Add, V(F, 2, 3), 1, false, V(F, 3, 2)))!;
        Assert.That(scalar.Message, Does.Contain("[3, 2]").And.Contain("[2, 3]"));
        Assert.Throws<ArgumentException>(() => ElementwiseOps.BinaryScalar(host, BinaryOp.Add, V(F, 2, 3), 1, false, V(D, 2, 3)));
        Assert.Throws<NotSupportedException>(() => ElementwiseOps.BinaryScalar(host, BinaryOp.Pow, V(I, 3), 2, false, V(I, 3)));
        Assert.Throws<DivideByZeroException>(() => ElementwiseOps.BinaryScalar(host, BinaryOp.Div, V(I, 3), 0.5, false, V(I, 3)));
        Assert.That(host.Launches, Is.Empty);
    }
}
