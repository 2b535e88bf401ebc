namespace Scratch.Kernels;

/// <summary>
/// The sizes of one 2-D convolution, read from the views' shapes and checked against each other and
/// against <see cref="Conv2dParams"/>.
/// </summary>
internal readonly record struct ConvGeometry(
    int Batch, int Channels, int Height, int Width,
    int Outputs, int KernelH, int KernelW, int OutHeight, int OutWidth, Conv2dParams P)
{
    /// <summary>Input channels per group.</summary>
    public int GroupChannels => Channels / P.Groups;

    /// <summary>Output channels per group.</summary>
    public int GroupOutputs => Outputs / P.Groups;

    /// <summary>Rows of the im2col matrix of one group: GroupChannels·KH·KW (the GEMM depth).</summary>
    public int ColumnRows => GroupChannels * KernelH * KernelW;

    /// <summary>Pixels of one output plane: OH·OW (columns of the im2col matrix).</summary>
    public int OutputPlane => OutHeight * OutWidth;

    /// <summary>Pixels of one input plane: H·W.</summary>
    public int InputPlane => Height * Width;

    /// <summary>A 1×1 kernel at stride 1 without padding: the im2col matrix is the input itself.</summary>
    public bool IsPointwise => KernelH == 1 && KernelW == 1 && P.StrideH == 1 && P.StrideW == 1 && P.PadH == 0 && P.PadW == 0;

    /// <summary>
    /// Reads and checks the geometry. <paramref name="x"/>, <paramref name="w"/>, <paramref name="y"/> play
    /// the roles of input, weight and output (or their gradients, named by <paramref name="names"/>).
    /// </summary>
    public static ConvGeometry Create(string op, BufferView x, BufferView w, BufferView y, (string X, string W, string Y) names, Conv2dParams p)
    {
        if (p.StrideH < 1 || p.StrideW < 1 || p.DilationH < 1 || p.DilationW < 1 || p.PadH < 0 || p.PadW < 0 || p.Groups < 1)
            throw new ArgumentException($"{op}: invalid parameters {p} (strides, dilations and groups must be >= 1, padding >= 0)");
        RequireContiguous(op, x, names.X, 4);
        RequireContiguous(op, w, names.W, 4);
        RequireContiguous(op, y, names.Y, 4);
        if (w.DType != x.DType || y.DType != x.DType)
            throw new ArgumentException($"{op}: dtypes differ: {names.X} {x.DType.Name()}, {names.W} {w.DType.Name()}, {names.Y} {y.DType.Name()}");
        if (!x.DType.IsFloatingPoint())
            throw new NotSupportedException($"{op}: dtype {x.DType.Name()} is not supported (float32 and float64 are)");

        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], width = x.Shape[3];
        int o = w.Shape[0], kh = w.Shape[2], kw = w.Shape[3];
        if (c % p.Groups != 0 || o % p.Groups != 0)
            throw new ArgumentException($"{op}: {p.Groups} groups must divide the {c} input channels of {names.X} {Describe(x)} and the {o} output channels of {names.W} {Describe(w)}");
        if (w.Shape[1] * p.Groups != c)
            throw new ArgumentException($"{op}: {names.W} {Describe(w)} expects {w.Shape[1] * p.Groups} input channels, {names.X} {Describe(x)} has {c}");
        int oh = p.OutputHeight(h, kh), ow = p.OutputWidth(width, kw);
        if (kh < 1 || kw < 1 || oh < 1 || ow < 1)
            throw new ArgumentException($"{op}: kernel {kh}x{kw} with {p} does not fit {names.X} {Describe(x)}");
        if (y.Shape[0] != n || y.Shape[1] != o || y.Shape[2] != oh || y.Shape[3] != ow)
            throw new ArgumentException($"{op}: {names.Y} {Describe(y)} should be [{n}, {o}, {oh}, {ow}] for {names.X} {Describe(x)} and {names.W} {Describe(w)}");
        return new ConvGeometry(n, c, h, width, o, kh, kw, oh, ow, p);
    }

    /// <summary>Throws unless <paramref name="view"/> is a contiguous rank-<paramref name="rank"/> view inside its buffer.</summary>
    public static void RequireContiguous(string op, BufferView view, string name, int rank)
    {
        if (view.Rank != rank)
            throw new ArgumentException($"{op}: {name} must have rank {rank}, got {Describe(view)}");
        if (!view.IsContiguous)
            throw new ArgumentException($"{op}: {name} must be contiguous, got {view}");
        ViewBounds.Check(view, op, name);
    }

    /// <summary>The shape as <c>[a, b, …]</c>.</summary>
    public static string Describe(BufferView view) => $"[{string.Join(", ", view.Shape)}]";
}
