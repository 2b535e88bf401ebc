using ILGPU;
using ILGPU.Runtime.Cuda;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu.Kernels;

/// <summary>
/// Which lane holds which element of the fragments of <c>mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32</c>
/// (PTX ISA, "Matrix fragments for mma.m16n8k8" with .tf32): with group g = lane / 4 and t = lane % 4,
/// A (16×8) a0..a3 hold (g, t), (g + 8, t), (g, t + 4), (g + 8, t + 4); B (8×8, k × n) b0, b1 hold (t, g), (t + 4, g);
/// C/D (16×8) c0..c3 hold (g, 2t), (g, 2t + 1), (g + 8, 2t), (g + 8, 2t + 1). The kernel's fragment loads and
/// stores and the simulator's model of the instruction use these functions; a CPU test checks them against the
/// table and that the model reproduces a product.
/// </summary>
internal static class MmaTf32Layout
{
    public static int ARow(int lane, int r) => lane / 4 + 8 * (r % 2);
    public static int ACol(int lane, int r) => lane % 4 + 4 * (r / 2);
    public static int BRow(int lane, int r) => lane % 4 + 4 * r;
    public static int BCol(int lane, int r) => lane / 4;
    public static int CRow(int lane, int r) => lane / 4 + 8 * (r / 2);
    public static int CCol(int lane, int r) => 2 * (lane % 4) + r % 2;

    /// <summary>The lane and register that hold A(row, k): the inverse of (ARow, ACol).</summary>
    public static int AOwnerLane(int row, int k) => row % 8 * 4 + k % 4;
    public static int AOwnerRegister(int row, int k) => row / 8 + 2 * (k / 4);

    /// <summary>The lane and register that hold B(k, n): the inverse of (BRow, BCol).</summary>
    public static int BOwnerLane(int k, int n) => n * 4 + k % 4;
    public static int BOwnerRegister(int k, int n) => k / 4;

    /// <summary>cvt.rna.tf32.f32 as bits: round to 10 mantissa bits, ties away from zero; NaN and infinities unchanged.</summary>
    public static uint RoundToTf32(uint bits) => (bits & 0x7F800000u) == 0x7F800000u ? bits : (bits + 0x1000u) & 0xFFFFE000u;
}

/// <summary>A fragment of A: a0..a3 as TF32 bit patterns.</summary>
internal struct FragmentA
{
    public uint A0, A1, A2, A3;
}

/// <summary>A fragment of B: b0, b1 as TF32 bit patterns.</summary>
internal struct FragmentB
{
    public uint B0, B1;
}

/// <summary>
/// The TF32 tensor-core GEMM (float32 only, used when <see cref="GpuBackend.AllowTf32"/>): 128×64 tiles, depth 16,
/// 256 threads; tiles are staged as in the SIMT kernels, then each of the 8 warps (4 along M × 2 along N) computes a
/// 32×32 block as 2 × 4 m16n8k8 products per k step of 8, from fragments read out of shared memory (conflict-free:
/// the padded row lengths 132 and 68 are 4 mod 32, so a fragment load's 32 lanes hit 32 banks). Operands are rounded
/// to TF32 (cvt.rna) as fragments are loaded; accumulation is float32. On the CPU accelerator
/// <see cref="CudaAsm.IsSupported"/> is false and <see cref="Mma"/> runs a model of the instruction that fetches
/// each product's operands from the lanes that own them (warp shuffles): the fragments the kernel loads are used
/// exactly as the instruction would use them, so a wrong fragment index gives a wrong product in the tests.
/// </summary>
internal static class GemmTf32Kernels
{
    public const int TileM = 128, TileN = 64, Depth = 16;
    private const int LdA = TileM + 4, LdB = TileN + 4;

    private static uint ToTf32(float value)
    {
        if (CudaAsm.IsSupported)
        {
            Output<uint> rounded = default;
            Input<float> input = value;
            CudaAsm.EmitRef("cvt.rna.tf32.f32 %0, %1;", ref rounded, ref input);
            return rounded.Value;
        }
        return MmaTf32Layout.RoundToTf32(Interop.FloatAsInt(value));
    }

    private static FragmentA LoadA(ArrayView<float> As, int k0, int m0, int lane) => new()
    {
        A0 = ToTf32(As[(k0 + MmaTf32Layout.ACol(lane, 0)) * LdA + m0 + MmaTf32Layout.ARow(lane, 0)]),
        A1 = ToTf32(As[(k0 + MmaTf32Layout.ACol(lane, 1)) * LdA + m0 + MmaTf32Layout.ARow(lane, 1)]),
        A2 = ToTf32(As[(k0 + MmaTf32Layout.ACol(lane, 2)) * LdA + m0 + MmaTf32Layout.ARow(lane, 2)]),
        A3 = ToTf32(As[(k0 + MmaTf32Layout.ACol(lane, 3)) * LdA + m0 + MmaTf32Layout.ARow(lane, 3)]),
    };

    private static FragmentB LoadB(ArrayView<float> Bs, int k0, int n0, int lane) => new()
    {
        B0 = ToTf32(Bs[(k0 + MmaTf32Layout.BRow(lane, 0)) * LdB + n0 + MmaTf32Layout.BCol(lane, 0)]),
        B1 = ToTf32(Bs[(k0 + MmaTf32Layout.BRow(lane, 1)) * LdB + n0 + MmaTf32Layout.BCol(lane, 1)]),
    };

    /// <summary>d = a·b + c for one m16n8k8 tile (c, d as c0..c3 in X..W). Every lane of the warp must call it.</summary>
    internal static V4<float> Mma(V4<float> c, FragmentA a, FragmentB b)
    {
        if (CudaAsm.IsSupported)
        {
            Output<float> d0 = default, d1 = default, d2 = default, d3 = default;
            Input<uint> a0 = a.A0, a1 = a.A1, a2 = a.A2, a3 = a.A3, b0 = b.B0, b1 = b.B1;
            Input<float> c0 = c.X, c1 = c.Y, c2 = c.Z, c3 = c.W;
            CudaAsm.EmitRef("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%10, %11, %12, %13};",
                ref d0, ref d1, ref d2, ref d3, ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref c0, ref c1, ref c2, ref c3);
            return new V4<float> { X = d0.Value, Y = d1.Value, Z = d2.Value, W = d3.Value };
        }
        return Model(c, a, b);
    }

    /// <summary>
    /// The instruction's semantics from its fragment layout: this lane's c0..c3 are C(g, 2t), C(g, 2t + 1),
    /// C(g + 8, 2t), C(g + 8, 2t + 1); for each k the A and B operands are shuffled in from their owners.
    /// </summary>
    private static V4<float> Model(V4<float> c, FragmentA a, FragmentB b)
    {
        int lane = Warp.LaneIdx;
        int top = MmaTf32Layout.CRow(lane, 0), bottom = MmaTf32Layout.CRow(lane, 2);
        int left = MmaTf32Layout.CCol(lane, 0), right = MmaTf32Layout.CCol(lane, 1);
        for (int k = 0; k < 8; k++)
        {
            // The register index depends only on k (uniform over the warp), as a shuffle needs.
            uint aTopOwner = Pick(a, MmaTf32Layout.AOwnerRegister(top, k));
            uint aBottomOwner = Pick(a, MmaTf32Layout.AOwnerRegister(bottom, k));
            uint bOwner = MmaTf32Layout.BOwnerRegister(k, left) == 0 ? b.B0 : b.B1;
            float aTop = Interop.IntAsFloat(Warp.Shuffle(aTopOwner, MmaTf32Layout.AOwnerLane(top, k)));
            float aBottom = Interop.IntAsFloat(Warp.Shuffle(aBottomOwner, MmaTf32Layout.AOwnerLane(bottom, k)));
            float bLeft = Interop.IntAsFloat(Warp.Shuffle(bOwner, MmaTf32Layout.BOwnerLane(k, left)));
            float bRight = Interop.IntAsFloat(Warp.Shuffle(bOwner, MmaTf32Layout.BOwnerLane(k, right)));
            c.X += aTop * bLeft;
            c.Y += aTop * bRight;
            c.Z += aBottom * bLeft;
            c.W += aBottom * bRight;
        }
        return c;
    }

    private static uint Pick(FragmentA a, int r) => r == 0 ? a.A0 : r == 1 ? a.A1 : r == 2 ? a.A2 : a.A3;

    private static void StoreTile(ArrayView<float> c, long cOff, in GemmProblem p, int m0, int n0, int lane, V4<float> d, float alpha, float beta)
    {
        int col = n0 + MmaTf32Layout.CCol(lane, 0);
        int top = m0 + MmaTf32Layout.CRow(lane, 0), bottom = m0 + MmaTf32Layout.CRow(lane, 2);
        if (top < p.M)
        {
            GemmKernels.Store(c, cOff + top * p.Scm, p, col, d.X, alpha, beta);
            GemmKernels.Store(c, cOff + top * p.Scm, p, col + 1, d.Y, alpha, beta);
        }
        if (bottom < p.M)
        {
            GemmKernels.Store(c, cOff + bottom * p.Scm, p, col, d.Z, alpha, beta);
            GemmKernels.Store(c, cOff + bottom * p.Scm, p, col + 1, d.W, alpha, beta);
        }
    }

    public static void Tf32(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmProblem p,
        KernelShape batch, KernelStrides sa, KernelStrides sb, KernelStrides sc, float alpha, float beta)
    {
        var As = SharedMemory.Allocate<float>(Depth * LdA);
        var Bs = SharedMemory.Allocate<float>(Depth * LdB);
        int tid = Group.IdxX, warp = tid / 32, lane = tid - warp * 32;
        int wm = (warp / 2) * 32, wn = (warp % 2) * 32;
        int m0 = Grid.IdxY * TileM, n0 = Grid.IdxX * TileN;

        long members = p.BatchCount * p.Splits;
        for (long z = Grid.IdxZ; z < members; z += Grid.DimZ)
        {
            GemmKernels.Locate(p, z, batch, sa, sb, sc, out long aOff, out long bOff, out long cOff, out int kBegin, out int kEnd);
            V4<float> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default;
            for (int k0 = kBegin; k0 < kEnd; k0 += Depth)
            {
                GemmKernels.StageA(a, aOff, p, As, TileM, Depth, LdA, m0, k0, kEnd);
                GemmKernels.StageB(b, bOff, p, Bs, TileN, Depth, LdB, n0, k0, kEnd);
                Group.Barrier();
                for (int kk = 0; kk < Depth; kk += 8)
                {
                    var a0 = LoadA(As, kk, wm, lane);
                    var a1 = LoadA(As, kk, wm + 16, lane);
                    var b0 = LoadB(Bs, kk, wn, lane);
                    var b1 = LoadB(Bs, kk, wn + 8, lane);
                    var b2 = LoadB(Bs, kk, wn + 16, lane);
                    var b3 = LoadB(Bs, kk, wn + 24, lane);
                    c00 = Mma(c00, a0, b0);
                    c01 = Mma(c01, a0, b1);
                    c02 = Mma(c02, a0, b2);
                    c03 = Mma(c03, a0, b3);
                    c10 = Mma(c10, a1, b0);
                    c11 = Mma(c11, a1, b1);
                    c12 = Mma(c12, a1, b2);
                    c13 = Mma(c13, a1, b3);
                }
                Group.Barrier();
            }
            StoreTile(c, cOff, p, m0 + wm, n0 + wn, lane, c00, alpha, beta);
            StoreTile(c, cOff, p, m0 + wm, n0 + wn + 8, lane, c01, alpha, beta);
            StoreTile(c, cOff, p, m0 + wm, n0 + wn + 16, lane, c02, alpha, beta);
            StoreTile(c, cOff, p, m0 + wm, n0 + wn + 24, lane, c03, alpha, beta);
            StoreTile(c, cOff, p, m0 + wm + 16, n0 + wn, lane, c10, alpha, beta);
            StoreTile(c, cOff, p, m0 + wm + 16, n0 + wn + 8, lane, c11, alpha, beta);
            StoreTile(c, cOff, p, m0 + wm + 16, n0 + wn + 16, lane, c12, alpha, beta);
            StoreTile(c, cOff, p, m0 + wm + 16, n0 + wn + 24, lane, c13, alpha, beta);
        }
    }
}
