using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Gpu.Kernels;
using Scratch.Kernels.Gpu.Ops;
using Scratch.Tests.Support;

namespace Scratch.Tests.Gpu;

/// <summary>
/// The GPU GEMM on the simulator: every kernel configuration forced on shapes with edges that are not
/// multiples of its tile, split-K, transposed/strided/offset/broadcast operands, alpha/beta and NaN in c,
/// against a float64 reference with the rounding bound of a K-term dot product; the plan chooser; bad input.
/// </summary>
public class GemmKernelTests : SimulatedGpuTest
{
    /// <summary>The SIMT tiles by name (GemmTile is internal, test parameters are public).</summary>
    private static readonly string[] SimtTiles = ["Square64x64", "Wide32x128", "Tall128x32", "Large128x128"];

    private static GemmTile TileNamed(string name) => Enum.Parse<GemmTile>(name);

    // Each shape crosses tile edges for the tiles it is run with; K is not a multiple of any depth.
    private static readonly (int[] A, int[] B, Layout La, Layout Lb)[] Problems =
    [
        ([1, 1], [1, 1], Layout.Contiguous, Layout.Contiguous),
        ([33, 19], [19, 130], Layout.Contiguous, Layout.Contiguous),
        ([130, 21], [21, 33], Layout.Transposed, Layout.Contiguous),
        ([65, 23], [23, 66], Layout.Contiguous, Layout.Transposed),
        ([40, 9], [9, 70], Layout.Transposed, Layout.Transposed),
        ([3, 10, 17], [3, 17, 6], Layout.Offset, Layout.Strided),
        ([4, 5, 6], [4, 6, 7], Layout.Contiguous, Layout.Broadcast),
        ([2, 3, 4, 5], [2, 3, 5, 3], Layout.Broadcast, Layout.Transposed),
    ];

    [Test]
    public void EveryTileMatchesTheReference([ValueSource(nameof(SimtTiles))] string tile, [Values(DType.Float32, DType.Float64)] DType dtype)
    {
        foreach (var (aShape, bShape, la, lb) in Problems)
        {
            // The large tile is float32's in plans; float64 runs it here too (the kernel is generic).
            Check(dtype, aShape, bShape, la, lb, 1.5, 0.5, new GemmPlan(TileNamed(tile), 1));
            Check(dtype, aShape, bShape, la, lb, 1, 0, new GemmPlan(TileNamed(tile), 1));
        }
    }

    [Test]
    public void SplitKSumsThePartialsOfEveryTile([ValueSource(nameof(SimtTiles))] string tile,
        [Values(DType.Float32, DType.Float64)] DType dtype)
    {
        // K = 100 in 3 splits (chunks of 48 or 40, the last one short) and 7 splits (several empty-tail cases).
        Check(dtype, [20, 100], [100, 12], Layout.Contiguous, Layout.Transposed, 1.5, 0.5, new GemmPlan(TileNamed(tile), 3));
        Check(dtype, [2, 9, 100], [2, 100, 35], Layout.Transposed, Layout.Broadcast, 1, 0, new GemmPlan(TileNamed(tile), 7));
    }

    [Test]
    public void Tf32FragmentLayoutIsThePtxTable()
    {
        // Spot checks from the PTX ISA's m16n8k8 .tf32 fragment figures (lane 0 and lane 13: group 3, thread 1).
        Assert.That((MmaTf32Layout.ARow(0, 0), MmaTf32Layout.ACol(0, 0)), Is.EqualTo((0, 0)));
        Assert.That((MmaTf32Layout.ARow(13, 1), MmaTf32Layout.ACol(13, 1)), Is.EqualTo((11, 1)));
        Assert.That((MmaTf32Layout.ARow(13, 2), MmaTf32Layout.ACol(13, 2)), Is.EqualTo((3, 5)));
        Assert.That((MmaTf32Layout.ARow(13, 3), MmaTf32Layout.ACol(13, 3)), Is.EqualTo((11, 5)));
        Assert.That((MmaTf32Layout.BRow(13, 1), MmaTf32Layout.BCol(13, 1)), Is.EqualTo((5, 3)));
        Assert.That((MmaTf32Layout.CRow(13, 3), MmaTf32Layout.CCol(13, 3)), Is.EqualTo((11, 3)));
        // Each fragment covers its matrix exactly once, and the owner functions invert it.
        var a = new HashSet<(int, int)>();
        var b = new HashSet<(int, int)>();
        var c = new HashSet<(int, int)>();
        for (int lane = 0; lane < 32; lane++)
        {
            for (int r = 0; r < 4; r++)
            {
                int row = MmaTf32Layout.ARow(lane, r), k = MmaTf32Layout.ACol(lane, r);
                Assert.That(a.Add((row, k)));
                Assert.That((MmaTf32Layout.AOwnerLane(row, k), MmaTf32Layout.AOwnerRegister(row, k)), Is.EqualTo((lane, r)));
                Assert.That(c.Add((MmaTf32Layout.CRow(lane, r), MmaTf32Layout.CCol(lane, r))));
            }
            for (int r = 0; r < 2; r++)
            {
                int k = MmaTf32Layout.BRow(lane, r), n = MmaTf32Layout.BCol(lane, r);
                Assert.That(b.Add((k, n)));
                Assert.That((MmaTf32Layout.BOwnerLane(k, n), MmaTf32Layout.BOwnerRegister(k, n)), Is.EqualTo((lane, r)));
            }
        }
        Assert.That(a.All(e => e.Item1 < 16 && e.Item2 < 8) && a.Count == 128);
        Assert.That(b.All(e => e.Item1 < 8 && e.Item2 < 8) && b.Count == 64);
        Assert.That(c.All(e => e.Item1 < 16 && e.Item2 < 8) && c.Count == 128);
        // cvt.rna.tf32: ties away from zero at 10 mantissa bits.
        Assert.That(MmaTf32Layout.RoundToTf32(BitConverter.SingleToUInt32Bits(1 + MathF.Pow(2, -11))), Is.EqualTo(BitConverter.SingleToUInt32Bits(1 + MathF.Pow(2, -10))));
        Assert.That(MmaTf32Layout.RoundToTf32(BitConverter.SingleToUInt32Bits(1 + MathF.Pow(2, -12))), Is.EqualTo(BitConverter.SingleToUInt32Bits(1)));
        Assert.That(MmaTf32Layout.RoundToTf32(BitConverter.SingleToUInt32Bits(float.NaN)), Is.EqualTo(BitConverter.SingleToUInt32Bits(float.NaN)));
    }

    // The model branch costs 32 warp shuffles per mma on the simulator (about 25 s per group and k-step of 16
    // here), so these are one or two tiles each: ragged edges, transposed, offset/broadcast batch, split-K.
    private static readonly (int[] A, int[] B, Layout La, Layout Lb, int Splits)[] Tf32Problems =
    [
        ([17, 12], [12, 9], Layout.Contiguous, Layout.Contiguous, 1),
        ([2, 5, 9], [2, 9, 7], Layout.Offset, Layout.Broadcast, 1),
        ([20, 24], [24, 12], Layout.Transposed, Layout.Transposed, 2),
    ];

    [Test]
    public void Tf32KernelIsWithinTf32Rounding()
    {
        // The simulator runs the kernel's model branch: the same fragment loads and stores, products from the
        // fragment owners. Operands rounded to TF32 (relative error ≤ 2^-11 each, so ≤ 2^-10 per product), float32 sums.
        foreach (var (aShape, bShape, la, lb, splits) in Tf32Problems)
        {
            var a = TestViews.Make(Gpu, DType.Float32, aShape, la, Noise(1 << 12, 1));
            var b = TestViews.Make(Gpu, DType.Float32, bShape, lb, Noise(1 << 12, 2));
            var cShape = aShape.ToArray();
            cShape[^1] = bShape[^1];
            var c = TestViews.Make(Gpu, DType.Float32, cShape, Layout.Contiguous, Noise(1 << 10, 3));
            var c0 = Read(c);
            GemmOps.Run(Gpu, a, b, c, 1.5, 0.5, new GemmPlan(GemmTile.Tf32, splits));
            var (expected, magnitude) = Reference(Read(a), Read(b), aShape, bShape, 1.5, 0.5, c0);
            int k = aShape[^1];
            TestViews.AssertClose(expected, Read(c), i => (Math.Pow(2, -10) + (k + 3) * U32) * magnitude[i], 0,
                $"tf32 [{string.Join(", ", aShape)}]@[{string.Join(", ", bShape)}] {la}/{lb} splits {splits}");
        }
    }

    [Test]
    public void Tf32RoundingIsVisible()
    {
        // 1 + 2^-12 is not a TF32 number: a float32 product keeps it, the TF32 kernel rounds it to 1.
        var a = TestViews.Make(Gpu, DType.Float32, [1, 1], Layout.Contiguous, [1 + Math.Pow(2, -12)]);
        var b = TestViews.Make(Gpu, DType.Float32, [1, 1], Layout.Contiguous, [1]);
        var c = TestViews.Make(Gpu, DType.Float32, [1, 1], Layout.Contiguous, [0]);
        GemmOps.Run(Gpu, a, b, c, 1, 0, new GemmPlan(GemmTile.Tf32, 1));
        Assert.That(Read(c)[0], Is.EqualTo(1.0));
        GemmOps.Run(Gpu, a, b, c, 1, 0, new GemmPlan(GemmTile.Square64x64, 1));
        Assert.That(Read(c)[0], Is.EqualTo(1 + Math.Pow(2, -12)));
    }

    [Test]
    public void BetaZeroIgnoresNaNInC([Values(DType.Float32, DType.Float64)] DType dtype, [Values(1, 3)] int splits)
    {
        var a = TestViews.Make(Gpu, dtype, [9, 40], Layout.Contiguous, Noise(400, 1));
        var b = TestViews.Make(Gpu, dtype, [40, 7], Layout.Contiguous, Noise(400, 2));
        var c = TestViews.Make(Gpu, dtype, [9, 7], Layout.Transposed, [double.NaN, double.PositiveInfinity]);
        GemmOps.Run(Gpu, a, b, c, 2, 0, new GemmPlan(GemmTile.Square64x64, splits));
        var (expected, _) = Reference(Read(a), Read(b), [9, 40], [40, 7], 2, 0, new double[63]);
        Assert.That(Read(c).All(double.IsFinite), "NaN or infinity in c leaked through beta = 0");
        TestViews.AssertClose(expected, Read(c), _ => 1e-4, 1e-4, "beta 0 over NaN");
    }

    [Test]
    public void EmptyKScalesC([Values(DType.Float32, DType.Float64)] DType dtype)
    {
        var a = TestViews.Make(Gpu, dtype, [3, 0], Layout.Contiguous, [1]);
        var b = TestViews.Make(Gpu, dtype, [0, 4], Layout.Contiguous, [1]);
        var c = TestViews.Make(Gpu, dtype, [3, 4], Layout.Transposed, [2, double.NaN]);
        Gpu.MatMul(a, b, c, 1, 0);
        Assert.That(Read(c), Is.All.EqualTo(0));
        var d = TestViews.Make(Gpu, dtype, [3, 4], Layout.Contiguous, [2]);
        Gpu.MatMul(a, b, d, 1, 0.5);
        Assert.That(Read(d), Is.All.EqualTo(1));
    }

    [Test]
    public void ThePublicEntryMatchesTheCpu([Values(DType.Float32, DType.Float64)] DType dtype)
    {
        // Through IBackend.MatMul with the chosen plans: a Linear layer's product, its weight gradient, a batch.
        foreach (var (aShape, bShape, la, lb) in new (int[], int[], Layout, Layout)[]
                 {
                     ([16, 50], [50, 10], Layout.Contiguous, Layout.Transposed),
                     ([10, 16], [16, 50], Layout.Transposed, Layout.Contiguous),
                     ([3, 20, 30], [3, 30, 25], Layout.Contiguous, Layout.Contiguous),
                 })
        {
            var (ac, ag) = Pair(dtype, aShape, la, Noise(4096, 1));
            var (bc, bg) = Pair(dtype, bShape, lb, Noise(4096, 2));
            var cShape = aShape.ToArray();
            cShape[^1] = bShape[^1];
            var (cc, cg) = Pair(dtype, cShape, Layout.Contiguous, Noise(1024, 3));
            Cpu.MatMul(ac, bc, cc, 0.75, 0.25);
            Gpu.MatMul(ag, bg, cg, 0.75, 0.25);
            // Both are K-term dot products with at most K roundings each: 2·(K + 2)·u·Σ|a||b| bounds their
            // difference; with |a|,|b| ≤ 1 that is below (K + 2)·2u·K.
            int k = aShape[^1];
            double u = dtype == DType.Float32 ? U32 : U64;
            AssertClose(cc, cg, 2 * (k + 2) * u * k, 0, $"matmul {dtype} {string.Join("x", aShape)} @ {string.Join("x", bShape)}");
        }
    }

    [Test]
    public void ThePlanFollowsTheShape()
    {
        // Large float32 products fill the GPU with 128×128 tiles; float64 never uses the 8×8 blocks.
        Assert.That(GemmOps.Choose(4096, 4096, 4096, 1, DType.Float32, false), Is.EqualTo(new GemmPlan(GemmTile.Large128x128, 1)));
        Assert.That(GemmOps.Choose(4096, 4096, 4096, 1, DType.Float64, false), Is.EqualTo(new GemmPlan(GemmTile.Square64x64, 1)));
        // Conv forward of a small CNN: 32 output channels by a wide im2col matrix.
        Assert.That(GemmOps.Choose(32, 50176, 27, 1, DType.Float32, false).Tile, Is.EqualTo(GemmTile.Wide32x128));
        // A Linear layer's 10 outputs at batch 64: tall and thin, K = 128 is short so no split.
        Assert.That(GemmOps.Choose(64, 10, 128, 1, DType.Float32, false), Is.EqualTo(new GemmPlan(GemmTile.Tall128x32, 1)));
        // Conv weight gradient: [32, 27] outputs over K = batch·plane: split-K.
        var weight = GemmOps.Choose(32, 27, 200_704, 1, DType.Float32, false);
        Assert.That(weight.Tile, Is.EqualTo(GemmTile.Square64x64));
        Assert.That(weight.Splits, Is.EqualTo(32));
        // The MLP's first-layer weight gradient [128, 784] over a batch of 64: K too short to split.
        Assert.That(GemmOps.Choose(128, 784, 64, 1, DType.Float32, false).Splits, Is.EqualTo(1));
        Assert.That(GemmOps.Choose(256, 256, 256, 1, DType.Float32, true).Tile, Is.EqualTo(GemmTile.Tf32));
        Assert.That(GemmOps.Choose(256, 256, 256, 1, DType.Float64, true).Tile, Is.Not.EqualTo(GemmTile.Tf32));
    }

    [Test]
    public void BadInputFailsAsOnTheCpu()
    {
        foreach (var backend in new IBackend[] { Cpu, Gpu })
        {
            var a = TestViews.Make(backend, DType.Float32, [2, 3], Layout.Contiguous, [1]);
            var b = TestViews.Make(backend, DType.Float32, [4, 2], Layout.Contiguous, [1]);
            var c = TestViews.Make(backend, DType.Float32, [2, 2], Layout.Contiguous, [1]);
            var e = Assert.Throws<ArgumentException>(() => backend.MatMul(a, b, c));
            Assert.That(e!.Message, Is.EqualTo("matmul: expected a [..., M, K], b [..., K, N], c [..., M, N], got a [2, 3], b [4, 2], c [2, 2]"));
            var d = TestViews.Make(backend, DType.Float64, [3, 2], Layout.Contiguous, [1]);
            Assert.That(() => backend.MatMul(a, d, c), Throws.ArgumentException.With.Message.StartsWith("matmul: dtypes differ"));
            var i = TestViews.Make(backend, DType.Int32, [2, 2], Layout.Contiguous, [1]);
            Assert.That(() => backend.MatMul(i, i, i), Throws.TypeOf<NotSupportedException>().With.Message.EqualTo("matmul: dtype int32 is not supported (float32 and float64 are)"));
            var outside = new BufferView(c.Buffer, 2, [2, 2], [2, 1]);
            Assert.That(() => backend.MatMul(a, TestViews.Make(backend, DType.Float32, [3, 2], Layout.Contiguous, [1]), outside), Throws.TypeOf<ArgumentOutOfRangeException>());
        }
    }

    private static void Check(DType dtype, int[] aShape, int[] bShape, Layout la, Layout lb, double alpha, double beta, GemmPlan plan)
    {
        var a = TestViews.Make(Gpu, dtype, aShape, la, Noise(1 << 12, 1));
        var b = TestViews.Make(Gpu, dtype, bShape, lb, Noise(1 << 12, 2));
        var cShape = aShape.ToArray();
        cShape[^1] = bShape[^1];
        var c = TestViews.Make(Gpu, dtype, cShape, Layout.Contiguous, Noise(1 << 10, 3));
        var c0 = Read(c);
        GemmOps.Run(Gpu, a, b, c, alpha, beta, plan);
        var (expected, magnitude) = Reference(Read(a), Read(b), aShape, bShape, alpha, beta, c0);
        int k = aShape[^1];
        double u = dtype == DType.Float32 ? U32 : U64;
        // Rounding error of a K-term dot product and the alpha/beta steps: ≤ (K + 3)·u·(|alpha|Σ|a||b| + |beta·c|).
        TestViews.AssertClose(expected, Read(c), i => (k + 3) * u * magnitude[i], 0,
            $"{plan} {dtype} [{string.Join(", ", aShape)}]@[{string.Join(", ", bShape)}] {la}/{lb} alpha {alpha} beta {beta}");
    }

    internal static (double[] C, double[] Magnitude) Reference(double[] a, double[] b, int[] aShape, int[] bShape, double alpha, double beta, double[] c0)
    {
        int m = aShape[^2], k = aShape[^1], n = bShape[^1];
        int batch = (int)BufferView.ElementCount(aShape[..^2]);
        var c = new double[batch * m * n];
        var magnitude = new double[c.Length];
        for (int z = 0; z < batch; z++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double sum = 0, abs = 0;
                    for (int p = 0; p < k; p++)
                    {
                        double term = a[(z * m + i) * k + p] * b[(z * k + p) * n + j];
                        sum += term;
                        abs += Math.Abs(term);
                    }
                    int at = (z * m + i) * n + j;
                    c[at] = alpha * sum + (beta == 0 ? 0 : beta * c0[at]);
                    magnitude[at] = Math.Abs(alpha) * abs + Math.Abs(beta * c0[at]);
                }
        return (c, magnitude);
    }
}
