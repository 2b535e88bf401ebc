using static Scratch.Kernels.Cuda.Runtime.KernelName;

namespace Scratch.Kernels.Cuda.Runtime;

/// <summary>
/// Every kernel source with every instantiation the backend launches. Each source is compiled once
/// per process (and cached on disk as PTX) the first time one of its kernels is needed.
/// </summary>
internal static class KernelCatalog
{
    /// <summary>NVRTC options besides the architecture. No -lineinfo: NVRTC 11.8 crashes on it with sm_90.</summary>
    public static readonly IReadOnlyList<string> CompileOptions = ["-default-device", "--std=c++17"];

    private static readonly string[] Modes = ["0", "1"];

    public static readonly KernelSource FillCopy = new("Elementwise/fill_copy.cu",
        Product("fill_contig", AllTypes)
            .Concat(Product("fill_strided", AllTypes, IndexTypes))
            .Concat(Product("copy_contig", AllTypes, AllTypes))
            .Concat(Product("copy_strided", AllTypes, AllTypes, IndexTypes)));

    public static readonly KernelSource Unary = new("Elementwise/unary.cu",
        Product("unary_contig", AllTypes)
            .Concat(Product("unary_strided", AllTypes, IndexTypes))
            .Concat(Product("unary_backward_contig", FloatTypes))
            .Concat(Product("unary_backward_strided", FloatTypes, IndexTypes)));

    public static readonly KernelSource Binary = new("Elementwise/binary.cu",
        Product("binary_contig", AllTypes)
            .Concat(Product("binary_strided", AllTypes, IndexTypes))
            .Concat(Product("binary_scalar_contig", AllTypes))
            .Concat(Product("binary_scalar_strided", AllTypes, IndexTypes))
            .Concat(Product("where_strided", AllTypes, AllTypes, IndexTypes)));

    public static readonly KernelSource Reduce = new("Reduction/reduce.cu",
        Product("reduce_rows_warp", AllTypes)
            .Concat(Product("reduce_rows_block", AllTypes))
            .Concat(Product("reduce_columns", AllTypes))
            .Concat(Product("reduce_finalize", AllTypes)));

    public static readonly KernelSource Softmax = new("Softmax/softmax.cu",
        new[] { "softmax_rows_warp", "softmax_rows_block", "softmax_columns",
                "softmax_backward_rows_warp", "softmax_backward_rows_block", "softmax_backward_columns" }
            .SelectMany(kernel => Product(kernel, FloatTypes)));

    public static readonly KernelSource Gemm = new("Gemm/gemm.cu",
        Product("gemm_tiled", ["float"], ["0", "1"], Modes, Modes)
            .Concat(Product("gemm_tiled", ["double"], ["1"], Modes, Modes))
            .Concat(Product("gemm_splitk_reduce", FloatTypes))
            .Concat(Product("gemm_scale", FloatTypes)));

    public static readonly KernelSource GemmTf32 = new("Gemm/gemm_tf32.cu", Product("gemm_tf32", Modes, Modes), minimumArchitecture: 80);

    public static readonly KernelSource Im2Col = new("Convolution/im2col.cu",
        Product("im2col", FloatTypes, IndexTypes).Concat(Product("col2im", FloatTypes, IndexTypes)));

    public static readonly KernelSource Pooling = new("Pooling/pool.cu",
        new[] { "max_pool_forward", "max_pool_backward", "avg_pool_forward", "avg_pool_backward" }
            .SelectMany(kernel => Product(kernel, FloatTypes)));

    public static readonly KernelSource Indexing = new("Indexing/indexing.cu",
        new[] { "gather", "scatter_add", "index_select", "index_add", "one_hot" }
            .SelectMany(kernel => Product(kernel, AllTypes)));

    public static readonly KernelSource BatchNorm = new("Normalization/batch_norm.cu",
        new[] { "bn_partial_stats", "bn_finalize_stats", "bn_normalize", "bn_inference",
                "bn_backward_partial", "bn_backward_finalize", "bn_backward_input" }
            .SelectMany(kernel => Product(kernel, FloatTypes)));

    public static readonly KernelSource Random = new("Random/philox.cu",
        Product("philox_fill", FloatTypes).Append("philox_words"));

    public static readonly KernelSource Optimizers = new("Optimizers/optimizers.cu",
        Product("sgd_update", FloatTypes).Concat(Product("adam_update", FloatTypes)));

    /// <summary>Every source, for compile checks.</summary>
    public static IReadOnlyList<KernelSource> Sources() =>
        [FillCopy, Unary, Binary, Reduce, Softmax, Gemm, GemmTf32, Im2Col, Pooling, Indexing, BatchNorm, Random, Optimizers];
}
