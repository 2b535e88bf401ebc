using System.Runtime.InteropServices;
using Scratch.Kernels.Cuda.Runtime;
using static Scratch.Kernels.Cuda.Ops.ViewChecks;

namespace Scratch.Kernels.Cuda.Ops;

/// <summary>Convolution geometry passed by value to im2col.cu (struct ConvGeometry: 13 ints).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ConvGeometry
{
    public int Channels, Height, Width;
    public int KernelH, KernelW;
    public int OutH, OutW;
    public int StrideH, StrideW;
    public int PadH, PadW;
    public int DilationH, DilationW;
}

/// <summary>
/// Launchers of conv2d forward / backward-data / backward-weight as im2col (or col2im) plus the GEMM
/// kernels. Samples are processed in chunks whose column matrix fits a fixed workspace budget. For a
/// chunk of nc samples the column matrix is col[C·KH·KW][nc][OH·OW], so that per group
///   forward:          Y[Og][nc·P]    = W[Og][Cg·KK] · col[Cg·KK][nc·P], then Y is permuted into y (+ bias);
///   backward-data:    gcol[Cg·KK][nc·P] = Wᵀ · gYᵀ, then col2im sums the taps into gx;
///   backward-weight:  gW[Og][Cg·KK] += gYᵀ[Og][nc·P] · colᵀ, chunks accumulated in order.
/// 1×1 convolutions with stride 1 and no padding skip im2col: forward and backward-data are one
/// batched GEMM over (sample, group) straight on x / gx.
/// </summary>
internal static class ConvolutionOps
{
    private const long WorkspaceBudgetBytes = 256L << 20;

    private sealed record Geometry(int N, int C, int H, int W, int O, int Groups, int Cg, int Og, int KH, int KW, int OH, int OW, Conv2dParams P)
    {
        public int Kk => KH * KW;
        public long Plane => (long)OH * OW;
        public bool IsPointwise => KH == 1 && KW == 1 && P.StrideH == 1 && P.StrideW == 1 && P.PadH == 0 && P.PadW == 0;

        public ConvGeometry Kernel => new()
        {
            Channels = C, Height = H, Width = W, KernelH = KH, KernelW = KW, OutH = OH, OutW = OW,
            StrideH = P.StrideH, StrideW = P.StrideW, PadH = P.PadH, PadW = P.PadW, DilationH = P.DilationH, DilationW = P.DilationW,
        };
    }

    public static void Forward(IKernelHost backend, BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dParams p)
    {
        var g = Check("conv2d", x, w, y, "y", p);
        if (bias is { } b)
        {
            SameDType("conv2d", x, "x", b, "bias");
            if (b.Rank != 1 || b.Shape[0] != g.O) throw new ArgumentException($"conv2d: bias {Describe(b.Shape)} must be [{g.O}] (one per output channel)");
        }
        if (y.Count == 0) return;
        if (g.Cg * g.Kk == 0)
        {
            // No taps: y is the bias (or 0).
            FillWithBias(backend, y, bias, g, 0, g.N);
            return;
        }

        if (g.IsPointwise)
        {
            // y[n, g] = W[g] · x[n, g] for all (n, g) at once.
            long hw = g.Plane;
            var wv = View(w, [g.N, g.Groups, g.Og, g.Cg], [0, (long)g.Og * g.Cg, g.Cg, 1]);
            var xv = View(x, [g.N, g.Groups, g.Cg, (int)hw], [(long)g.C * hw, g.Cg * hw, hw, 1]);
            var yv = View(y, [g.N, g.Groups, g.Og, (int)hw], [(long)g.O * hw, g.Og * hw, hw, 1]);
            GemmOps.MatMul(backend, wv, xv, yv, 1, 0);
            AddBiasInPlace(backend, y, bias, g, 0, g.N);
            return;
        }

        int chunk = ChunkSize(g, x.DType, g.C * g.Kk + g.O);
        var col = backend.Workspace(x.DType, (long)g.C * g.Kk * chunk * g.Plane);
        var product = chunk > 1 ? backend.Workspace(x.DType, (long)g.O * chunk * g.Plane) : null;
        try
        {
            for (int n0 = 0; n0 < g.N; n0 += chunk)
            {
                int nc = Math.Min(chunk, g.N - n0);
                long columns = nc * g.Plane;
                Im2Col(backend, x, col, g, n0, nc);
                var wv = View(w, [g.Groups, g.Og, g.Cg * g.Kk], [(long)g.Og * g.Cg * g.Kk, g.Cg * g.Kk, 1]);
                var colv = View(col, [g.Groups, g.Cg * g.Kk, (int)columns], [g.Cg * g.Kk * columns, columns, 1]);
                if (nc == 1)
                {
                    // One sample: [O][P] is y's own layout.
                    var yv = new BufferView(y.Buffer, y.Offset + (long)n0 * g.O * g.Plane, [g.Groups, g.Og, (int)columns], [g.Og * columns, columns, 1]);
                    GemmOps.MatMul(backend, wv, colv, yv, 1, 0);
                    AddBiasInPlace(backend, y, bias, g, n0, 1);
                    continue;
                }
                var pv = View(product!, [g.Groups, g.Og, (int)columns], [g.Og * columns, columns, 1]);
                GemmOps.MatMul(backend, wv, colv, pv, 1, 0);
                // product is [O][nc][P]; y's chunk is [nc][O][P].
                var from = View(product!, [nc, g.O, (int)g.Plane], [g.Plane, nc * g.Plane, 1]);
                var to = new BufferView(y.Buffer, y.Offset + (long)n0 * g.O * g.Plane, [nc, g.O, (int)g.Plane], [g.O * g.Plane, g.Plane, 1]);
                if (bias is { } biasView)
                    ElementwiseOps.Binary(backend, BinaryOp.Add, from, BiasView(biasView, nc, g), to);
                else
                    ElementwiseOps.Copy(backend, from, to);
            }
        }
        finally
        {
            col.Release();
            product?.Release();
        }
    }

    public static void BackwardData(IKernelHost backend, BufferView gy, BufferView w, BufferView gx, Conv2dParams p)
    {
        var g = Check("conv2d backward data", gx, w, gy, "gy", p);
        if (gx.Count == 0) return;
        if (gy.Count == 0 || g.Cg * g.Kk == 0)
        {
            ElementwiseOps.Fill(backend, gx, 0);
            return;
        }
        if (g.IsPointwise)
        {
            long hw = g.Plane;
            var wt = View(w, [g.N, g.Groups, g.Cg, g.Og], [0, (long)g.Og * g.Cg, 1, g.Cg]);
            var gyv = View(gy, [g.N, g.Groups, g.Og, (int)hw], [(long)g.O * hw, g.Og * hw, hw, 1]);
            var gxv = View(gx, [g.N, g.Groups, g.Cg, (int)hw], [(long)g.C * hw, g.Cg * hw, hw, 1]);
            GemmOps.MatMul(backend, wt, gyv, gxv, 1, 0);
            return;
        }

        int chunk = ChunkSize(g, gx.DType, g.C * g.Kk + g.O);
        var gcol = backend.Workspace(gx.DType, (long)g.C * g.Kk * chunk * g.Plane);
        var gyT = chunk > 1 ? backend.Workspace(gx.DType, (long)g.O * chunk * g.Plane) : null;
        try
        {
            for (int n0 = 0; n0 < g.N; n0 += chunk)
            {
                int nc = Math.Min(chunk, g.N - n0);
                long columns = nc * g.Plane;
                var gyChunk = GradientColumns(backend, gy, gyT, g, n0, nc);
                var wt = View(w, [g.Groups, g.Cg * g.Kk, g.Og], [(long)g.Og * g.Cg * g.Kk, 1, g.Cg * g.Kk]);
                var gcolv = View(gcol, [g.Groups, g.Cg * g.Kk, (int)columns], [g.Cg * g.Kk * columns, columns, 1]);
                GemmOps.MatMul(backend, wt, gyChunk, gcolv, 1, 0);
                Col2Im(backend, gcol, gx, g, n0, nc);
            }
        }
        finally
        {
            gcol.Release();
            gyT?.Release();
        }
    }

    public static void BackwardWeight(IKernelHost backend, BufferView x, BufferView gy, BufferView gw, Conv2dParams p)
    {
        var g = Check("conv2d backward weight", x, gw, gy, "gy", p);
        if (gw.Count == 0) return;
        if (g.N == 0 || g.Plane == 0)
        {
            ElementwiseOps.Fill(backend, gw, 0);
            return;
        }
        int chunk = ChunkSize(g, x.DType, g.C * g.Kk + g.O);
        var col = backend.Workspace(x.DType, (long)g.C * g.Kk * chunk * g.Plane);
        var gyT = chunk > 1 ? backend.Workspace(x.DType, (long)g.O * chunk * g.Plane) : null;
        try
        {
            for (int n0 = 0; n0 < g.N; n0 += chunk)
            {
                int nc = Math.Min(chunk, g.N - n0);
                long columns = nc * g.Plane;
                Im2Col(backend, x, col, g, n0, nc);
                var gyChunk = GradientColumns(backend, gy, gyT, g, n0, nc);
                var colT = View(col, [g.Groups, (int)columns, g.Cg * g.Kk], [g.Cg * g.Kk * columns, 1, columns]);
                var gwv = View(gw, [g.Groups, g.Og, g.Cg * g.Kk], [(long)g.Og * g.Cg * g.Kk, g.Cg * g.Kk, 1]);
                // Chunks add up in order, so the sum is deterministic.
                GemmOps.MatMul(backend, gyChunk, colT, gwv, 1, n0 == 0 ? 0 : 1);
            }
        }
        finally
        {
            col.Release();
            gyT?.Release();
        }
    }

    // gy's chunk as [groups][Og][nc·P]: gy itself when nc = 1, else a transposed copy into gyT.
    private static BufferView GradientColumns(IKernelHost backend, BufferView gy, DeviceBuffer? gyT, Geometry g, int n0, int nc)
    {
        long columns = nc * g.Plane;
        if (nc == 1)
            return new BufferView(gy.Buffer, gy.Offset + (long)n0 * g.O * g.Plane, [g.Groups, g.Og, (int)columns], [g.Og * columns, columns, 1]);
        var from = new BufferView(gy.Buffer, gy.Offset + (long)n0 * g.O * g.Plane, [g.O, nc, (int)g.Plane], [g.Plane, g.O * g.Plane, 1]);
        var to = View(gyT!, [g.O, nc, (int)g.Plane], [nc * g.Plane, g.Plane, 1]);
        ElementwiseOps.Copy(backend, from, to);
        return View(gyT!, [g.Groups, g.Og, (int)columns], [g.Og * columns, columns, 1]);
    }

    private static void Im2Col(IKernelHost backend, BufferView x, DeviceBuffer col, Geometry g, int n0, int nc)
    {
        long total = (long)g.C * g.Kk * nc * g.Plane;
        var args = new KernelArguments();
        args.Add(backend.Address(x.Buffer, x.Offset + (long)n0 * g.C * g.H * g.W));
        args.Add(backend.Address(col, 0));
        args.Add(g.Kernel);
        args.Add(nc);
        backend.Launch(KernelCatalog.Im2Col, KernelName.Of("im2col", KernelName.CppType(x.DType), KernelName.IndexType(total <= uint.MaxValue)),
            ElementwiseOps.Linear(backend, total), ref args);
    }

    private static void Col2Im(IKernelHost backend, DeviceBuffer gcol, BufferView gx, Geometry g, int n0, int nc)
    {
        long total = (long)nc * g.C * g.H * g.W;
        long columnTotal = (long)g.C * g.Kk * nc * g.Plane;
        var args = new KernelArguments();
        args.Add(backend.Address(gcol, 0));
        args.Add(backend.Address(gx.Buffer, gx.Offset + (long)n0 * g.C * g.H * g.W));
        args.Add(g.Kernel);
        args.Add(nc);
        backend.Launch(KernelCatalog.Im2Col,
            KernelName.Of("col2im", KernelName.CppType(gx.DType), KernelName.IndexType(Math.Max(total, columnTotal) <= uint.MaxValue)),
            ElementwiseOps.Linear(backend, total), ref args);
    }

    private static void AddBiasInPlace(IKernelHost backend, BufferView y, BufferView? bias, Geometry g, int n0, int nc)
    {
        if (bias is not { } b) return;
        var yv = new BufferView(y.Buffer, y.Offset + (long)n0 * g.O * g.Plane, [nc, g.O, (int)g.Plane], [g.O * g.Plane, g.Plane, 1]);
        ElementwiseOps.Binary(backend, BinaryOp.Add, yv, BiasView(b, nc, g), yv);
    }

    private static void FillWithBias(IKernelHost backend, BufferView y, BufferView? bias, Geometry g, int n0, int nc)
    {
        if (bias is not { } b)
        {
            ElementwiseOps.Fill(backend, y, 0);
            return;
        }
        var yv = new BufferView(y.Buffer, y.Offset + (long)n0 * g.O * g.Plane, [nc, g.O, (int)g.Plane], [g.O * g.Plane, g.Plane, 1]);
        ElementwiseOps.Copy(backend, BiasView(b, nc, g), yv);
    }

    // The bias broadcast over [nc, O, P].
    private static BufferView BiasView(BufferView bias, int nc, Geometry g)
        => new(bias.Buffer, bias.Offset, [nc, g.O, (int)g.Plane], [0, bias.Strides[0], 0]);

    private static BufferView View(DeviceBuffer buffer, int[] shape, long[] strides) => new(buffer, 0, shape, strides);

    private static BufferView View(BufferView view, int[] shape, long[] strides) => new(view.Buffer, view.Offset, shape, strides);

    // Samples per chunk so that the per-sample workspace (floatsPerPixel × OH·OW elements) fits the budget.
    private static int ChunkSize(Geometry g, DType dtype, long floatsPerPixel)
    {
        long perSample = Math.Max(1, floatsPerPixel * g.Plane * dtype.SizeInBytes());
        return (int)Math.Clamp(WorkspaceBudgetBytes / perSample, 1, Math.Max(1, g.N));
    }

    // Validates x [N, C, H, W], w [O, C/groups, KH, KW] and the output-side view [N, O, OH, OW].
    private static Geometry Check(string op, BufferView x, BufferView w, BufferView y, string yName, Conv2dParams p)
    {
        SameDType(op, x, "x", w, "w");
        SameDType(op, x, "x", y, yName);
        Floating(op, x, "x");
        Rank(op, x, "x", 4);
        Rank(op, w, "w", 4);
        Rank(op, y, yName, 4);
        Contiguous(op, x, "x");
        Contiguous(op, w, "w");
        Contiguous(op, y, yName);
        if (p.Groups < 1 || p.StrideH < 1 || p.StrideW < 1 || p.DilationH < 1 || p.DilationW < 1 || p.PadH < 0 || p.PadW < 0)
            throw new ArgumentException($"{op}: invalid parameters {p}");
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
        int o = w.Shape[0], cg = w.Shape[1], kh = w.Shape[2], kw = w.Shape[3];
        if (c % p.Groups != 0 || o % p.Groups != 0)
            throw new ArgumentException($"{op}: {p.Groups} groups must divide x's {c} channels and w's {o} output channels");
        if (cg != c / p.Groups)
            throw new ArgumentException($"{op}: weight {Describe(w.Shape)} expects {cg * p.Groups} input channels, x {Describe(x.Shape)} has {c}");
        int oh = p.OutputHeight(h, kh), ow = p.OutputWidth(wd, kw);
        if (oh < 1 || ow < 1)
            throw new ArgumentException($"{op}: kernel {kh}×{kw} (dilation {p.DilationH}×{p.DilationW}, padding {p.PadH}×{p.PadW}) does not fit x {Describe(x.Shape)}");
        int[] expected = [n, o, oh, ow];
        if (!y.Shape.AsSpan().SequenceEqual(expected))
            throw new ArgumentException($"{op}: {yName} {Describe(y.Shape)} should be {Describe(expected)} for x {Describe(x.Shape)} and w {Describe(w.Shape)}");
        return new Geometry(n, c, h, wd, o, p.Groups, cg, o / p.Groups, kh, kw, oh, ow, p);
    }
}
