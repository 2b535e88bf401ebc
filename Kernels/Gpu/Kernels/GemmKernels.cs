using System.Numerics;
using System.Runtime.InteropServices;
using ILGPU;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu.Kernels;

/// <summary>
/// One matrix product of a batch, passed by value: C = alpha·A·B + beta·C with A [M, K], B [K, N], C [M, N]
/// at any strides. Element (m, k) of batch member z's A is at <c>a[ABase + batchA(z) + m·Sam + k·Sak]</c>
/// (absolute offsets into the whole buffer, so negative strides never index below 0); likewise B and C.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GemmProblem
{
    public int M, N, K;
    public long Sam, Sak, Sbk, Sbn, Scm, Scn;
    public long ABase, BBase, CBase;

    /// <summary>Members of the batch (product of the batch dims).</summary>
    public long BatchCount;

    /// <summary>Split-K factor (1: no split). With splits, member z's split s writes its partial at C + s·CSplitStride.</summary>
    public int Splits;

    /// <summary>K elements per split (a multiple of the tile's depth).</summary>
    public int KChunk;

    public long CSplitStride;

    /// <summary>1 when A's tile is loaded with consecutive threads walking k (A row-major: Sak == 1), 0 walking m.</summary>
    public int AAlongK;

    /// <summary>1 when B's tile is loaded with consecutive threads walking n (B row-major: Sbn == 1), 0 walking k.</summary>
    public int BAlongN;
}

/// <summary>Four consecutive values of one row of a register tile.</summary>
internal struct V4<T> where T : unmanaged, INumber<T>
{
    public T X, Y, Z, W;

    /// <summary>Reads s[at..at+4).</summary>
    public static V4<T> Load(ArrayView<T> s, int at) => new() { X = s[at], Y = s[at + 1], Z = s[at + 2], W = s[at + 3] };

    /// <summary>this + a·b, lane by lane.</summary>
    public readonly V4<T> Fma(T a, V4<T> b) => new() { X = X + a * b.X, Y = Y + a * b.Y, Z = Z + a * b.Z, W = W + a * b.W };
}

/// <summary>A 4×4 register tile of accumulators (rows R0..R3).</summary>
internal struct Acc4x4<T> where T : unmanaged, INumber<T>
{
    public V4<T> R0, R1, R2, R3;

    /// <summary>The rank-1 update this += a·bᵀ for a column a and a row b.</summary>
    public readonly Acc4x4<T> Update(V4<T> a, V4<T> b) => new()
    {
        R0 = R0.Fma(a.X, b),
        R1 = R1.Fma(a.Y, b),
        R2 = R2.Fma(a.Z, b),
        R3 = R3.Fma(a.W, b),
    };
}

/// <summary>
/// Tile shapes of <see cref="GemmKernels.Tiled4x4{T, TTile}"/>: 256 threads as a ThreadsM × ThreadsN grid, each
/// computing a 4×4 block, so a group computes a (4·ThreadsM) × (4·ThreadsN) tile of C, walking K in steps of Depth.
/// A warp covers a WarpM × (32 / WarpM) block of threads, so its A and B reads from shared memory are a few
/// broadcast addresses and 32 consecutive words (no bank conflicts).
/// </summary>
internal interface IGemmTile
{
    int ThreadsM { get; }
    int ThreadsN { get; }
    int Depth { get; }
    int WarpM { get; }
}

/// <summary>64×64 tile, depth 16: the general case with too few outputs for 128×128 tiles, and float64.</summary>
internal struct Tile64x64 : IGemmTile
{
    public readonly int ThreadsM => 16;
    public readonly int ThreadsN => 16;
    public readonly int Depth => 16;
    public readonly int WarpM => 4;
}

/// <summary>32×128 tile, depth 16: few rows (conv forward's output channels, a Linear's small batch).</summary>
internal struct Tile32x128 : IGemmTile
{
    public readonly int ThreadsM => 8;
    public readonly int ThreadsN => 32;
    public readonly int Depth => 16;
    public readonly int WarpM => 1;
}

/// <summary>128×32 tile, depth 16: few columns (a Linear layer's 10 outputs, conv weight gradients' kernel taps).</summary>
internal struct Tile128x32 : IGemmTile
{
    public readonly int ThreadsM => 32;
    public readonly int ThreadsN => 8;
    public readonly int Depth => 16;
    public readonly int WarpM => 4;
}

/// <summary>
/// The SIMT GEMM kernels (float32 and float64) and their helpers. Every kernel is explicitly grouped: grid
/// (ceil(N / tileN), ceil(M / tileM), z) with z walking batch members × splits in a grid-stride loop;
/// 256 threads per group. Each group stages BM×Depth of A and Depth×BN of B in shared memory "k-major"
/// (As[k][m], Bs[k][n]), then each thread accumulates its register block from them.
/// </summary>
internal static class GemmKernels
{
    public const int Threads = 256;

    /// <summary>Pad of the shared rows (keeps 16-byte alignment, spreads the transposing stores over banks).</summary>
    private const int Pad = 4;

    /// <summary>Offsets of member z (batch index · splits + split) and the split's K range.</summary>
    internal static void Locate(in GemmProblem p, long z, in KernelShape batch, in KernelStrides sa, in KernelStrides sb, in KernelStrides sc,
        out long aOff, out long bOff, out long cOff, out int kBegin, out int kEnd)
    {
        long member = z / p.Splits;
        int split = (int)(z - member * p.Splits);
        aOff = p.ABase + sa.OffsetOf(member, batch);
        bOff = p.BBase + sb.OffsetOf(member, batch);
        cOff = p.CBase + sc.OffsetOf(member, batch) + split * p.CSplitStride;
        kBegin = split * p.KChunk;
        kEnd = Math.Min(p.K, kBegin + p.KChunk);
    }

    /// <summary>Element (m, k) of A, or zero outside [0, M) × [.., kEnd).</summary>
    private static T LoadA<T>(ArrayView<T> a, long aOff, in GemmProblem p, int m, int k, int kEnd) where T : unmanaged, INumber<T>
        => m < p.M && k < kEnd ? a[aOff + m * p.Sam + k * p.Sak] : T.Zero;

    private static T LoadB<T>(ArrayView<T> b, long bOff, in GemmProblem p, int k, int n, int kEnd) where T : unmanaged, INumber<T>
        => k < kEnd && n < p.N ? b[bOff + k * p.Sbk + n * p.Sbn] : T.Zero;

    /// <summary>
    /// Stages the bm×depth tile of A at (m0, k0) into As[k·lda + m], each thread moving bm·depth/256 elements;
    /// consecutive threads walk A's unit-stride dim so global reads coalesce.
    /// </summary>
    internal static void StageA<T>(ArrayView<T> a, long aOff, in GemmProblem p, ArrayView<T> As, int bm, int depth, int lda, int m0, int k0, int kEnd)
        where T : unmanaged, INumber<T>
    {
        int tid = Group.IdxX;
        int count = bm * depth / Threads;
        for (int g = 0; g < count; g++)
        {
            int id = tid + g * Threads;
            int m, k;
            if (p.AAlongK != 0) { m = id / depth; k = id - m * depth; }
            else { k = id / bm; m = id - k * bm; }
            As[k * lda + m] = LoadA(a, aOff, p, m0 + m, k0 + k, kEnd);
        }
    }

    internal static void StageB<T>(ArrayView<T> b, long bOff, in GemmProblem p, ArrayView<T> Bs, int bn, int depth, int ldb, int n0, int k0, int kEnd)
        where T : unmanaged, INumber<T>
    {
        int tid = Group.IdxX;
        int count = bn * depth / Threads;
        for (int g = 0; g < count; g++)
        {
            int id = tid + g * Threads;
            int n, k;
            if (p.BAlongN != 0) { k = id / bn; n = id - k * bn; }
            else { n = id / depth; k = id - n * depth; }
            Bs[k * ldb + n] = LoadB(b, bOff, p, k0 + k, n0 + n, kEnd);
        }
    }

    /// <summary>Writes alpha·v + beta·C for the four columns n..n+3 of row m that lie inside C (reads C only when beta ≠ 0).</summary>
    private static void StoreRow<T>(ArrayView<T> c, long cOff, in GemmProblem p, int m, int n, V4<T> v, T alpha, T beta) where T : unmanaged, INumber<T>
    {
        if (m >= p.M) return;
        long row = cOff + m * p.Scm;
        Store(c, row, p, n, v.X, alpha, beta);
        Store(c, row, p, n + 1, v.Y, alpha, beta);
        Store(c, row, p, n + 2, v.Z, alpha, beta);
        Store(c, row, p, n + 3, v.W, alpha, beta);
    }

    internal static void Store<T>(ArrayView<T> c, long row, in GemmProblem p, int n, T value, T alpha, T beta) where T : unmanaged, INumber<T>
    {
        if (n >= p.N) return;
        long at = row + n * p.Scn;
        T result = alpha * value;
        if (beta != T.Zero) result += beta * c[at];
        c[at] = result;
    }

    private static void StoreBlock<T>(ArrayView<T> c, long cOff, in GemmProblem p, int m, int n, Acc4x4<T> acc, T alpha, T beta) where T : unmanaged, INumber<T>
    {
        StoreRow(c, cOff, p, m, n, acc.R0, alpha, beta);
        StoreRow(c, cOff, p, m + 1, n, acc.R1, alpha, beta);
        StoreRow(c, cOff, p, m + 2, n, acc.R2, alpha, beta);
        StoreRow(c, cOff, p, m + 3, n, acc.R3, alpha, beta);
    }

    /// <summary>
    /// Register-blocked GEMM with 4×4 blocks per thread and the tile shape <typeparamref name="TTile"/>
    /// (<see cref="Tile64x64"/>, <see cref="Tile32x128"/>, <see cref="Tile128x32"/>).
    /// </summary>
    public static void Tiled4x4<T, TTile>(ArrayView<T> a, ArrayView<T> b, ArrayView<T> c, GemmProblem p,
        KernelShape batch, KernelStrides sa, KernelStrides sb, KernelStrides sc, T alpha, T beta)
        where T : unmanaged, INumber<T> where TTile : struct, IGemmTile
    {
        TTile tile = default;
        int bm = tile.ThreadsM * 4, bn = tile.ThreadsN * 4, depth = tile.Depth;
        int lda = bm + Pad, ldb = bn + Pad;
        var As = SharedMemory.Allocate<T>(16 * (128 + Pad));
        var Bs = SharedMemory.Allocate<T>(16 * (128 + Pad));

        // Thread (tm, tn) of the ThreadsM × ThreadsN grid: warps cover WarpM × (32 / WarpM) blocks of it.
        int tid = Group.IdxX, warp = tid / 32, lane = tid - warp * 32;
        int warpN = 32 / tile.WarpM, warpsAlongN = tile.ThreadsN / warpN;
        int warpRow = warp / warpsAlongN;
        int tm = warpRow * tile.WarpM + lane / warpN;
        int tn = (warp - warpRow * warpsAlongN) * warpN + lane % warpN;
        int m0 = Grid.IdxY * bm, n0 = Grid.IdxX * bn;

        long members = p.BatchCount * p.Splits;
        for (long z = Grid.IdxZ; z < members; z += Grid.DimZ)
        {
            Locate(p, z, batch, sa, sb, sc, out long aOff, out long bOff, out long cOff, out int kBegin, out int kEnd);
            Acc4x4<T> acc = default;
            for (int k0 = kBegin; k0 < kEnd; k0 += depth)
            {
                StageA(a, aOff, p, As, bm, depth, lda, m0, k0, kEnd);
                StageB(b, bOff, p, Bs, bn, depth, ldb, n0, k0, kEnd);
                Group.Barrier();
                // Unrolled by 4 by hand (ILGPU left this loop rolled): depth is a multiple of 4 in every tile.
                for (int kk = 0; kk < depth; kk += 4)
                {
                    acc = acc.Update(V4<T>.Load(As, kk * lda + tm * 4), V4<T>.Load(Bs, kk * ldb + tn * 4));
                    acc = acc.Update(V4<T>.Load(As, (kk + 1) * lda + tm * 4), V4<T>.Load(Bs, (kk + 1) * ldb + tn * 4));
                    acc = acc.Update(V4<T>.Load(As, (kk + 2) * lda + tm * 4), V4<T>.Load(Bs, (kk + 2) * ldb + tn * 4));
                    acc = acc.Update(V4<T>.Load(As, (kk + 3) * lda + tm * 4), V4<T>.Load(Bs, (kk + 3) * ldb + tn * 4));
                }
                Group.Barrier();
            }
            StoreBlock(c, cOff, p, m0 + tm * 4, n0 + tn * 4, acc, alpha, beta);
        }
    }

    /// <summary>
    /// Register-blocked, warp-tiled GEMM for large float32 products: 128×128 tile, depth 8, each thread an 8×8
    /// block made of four 4×4 quarters 32 rows and 16 columns apart. Warps are arranged 2 (M) × 4 (N), each
    /// covering 64×32 of C with its lanes as 8 × 4; a lane's four quarters make its shared reads two broadcast
    /// groups of A and 16 consecutive words of B.
    /// </summary>
    public static void Tiled8x8<T>(ArrayView<T> a, ArrayView<T> b, ArrayView<T> c, GemmProblem p,
        KernelShape batch, KernelStrides sa, KernelStrides sb, KernelStrides sc, T alpha, T beta)
        where T : unmanaged, INumber<T>
    {
        const int Bm = 128, Bn = 128, Depth = 8, Ld = 128 + Pad;
        var As = SharedMemory.Allocate<T>(Depth * Ld);
        var Bs = SharedMemory.Allocate<T>(Depth * Ld);

        int tid = Group.IdxX, warp = tid / 32, lane = tid - warp * 32;
        int wm = warp / 4, wn = warp - wm * 4;
        int lm = lane / 4, ln = lane - lm * 4;
        int row = wm * 64 + lm * 4, col = wn * 32 + ln * 4;
        int m0 = Grid.IdxY * Bm, n0 = Grid.IdxX * Bn;

        long members = p.BatchCount * p.Splits;
        for (long z = Grid.IdxZ; z < members; z += Grid.DimZ)
        {
            Locate(p, z, batch, sa, sb, sc, out long aOff, out long bOff, out long cOff, out int kBegin, out int kEnd);
            Acc4x4<T> topLeft = default, topRight = default, bottomLeft = default, bottomRight = default;
            for (int k0 = kBegin; k0 < kEnd; k0 += Depth)
            {
                StageA(a, aOff, p, As, Bm, Depth, Ld, m0, k0, kEnd);
                StageB(b, bOff, p, Bs, Bn, Depth, Ld, n0, k0, kEnd);
                Group.Barrier();
                // Unrolled by 2 by hand (ILGPU left this loop rolled).
                for (int kk = 0; kk < Depth; kk += 2)
                {
                    Step(As, Bs, kk * Ld + row, kk * Ld + col, ref topLeft, ref topRight, ref bottomLeft, ref bottomRight);
                    Step(As, Bs, (kk + 1) * Ld + row, (kk + 1) * Ld + col, ref topLeft, ref topRight, ref bottomLeft, ref bottomRight);
                }
                Group.Barrier();
            }
            StoreBlock(c, cOff, p, m0 + row, n0 + col, topLeft, alpha, beta);
            StoreBlock(c, cOff, p, m0 + row, n0 + col + 16, topRight, alpha, beta);
            StoreBlock(c, cOff, p, m0 + row + 32, n0 + col, bottomLeft, alpha, beta);
            StoreBlock(c, cOff, p, m0 + row + 32, n0 + col + 16, bottomRight, alpha, beta);
        }
    }

    /// <summary>One k step of the 8×8 block: two 4-row slices of A (32 apart), two 4-column slices of B (16 apart).</summary>
    private static void Step<T>(ArrayView<T> As, ArrayView<T> Bs, int aAt, int bAt,
        ref Acc4x4<T> topLeft, ref Acc4x4<T> topRight, ref Acc4x4<T> bottomLeft, ref Acc4x4<T> bottomRight) where T : unmanaged, INumber<T>
    {
        var aTop = V4<T>.Load(As, aAt);
        var aBottom = V4<T>.Load(As, aAt + 32);
        var bLeft = V4<T>.Load(Bs, bAt);
        var bRight = V4<T>.Load(Bs, bAt + 16);
        topLeft = topLeft.Update(aTop, bLeft);
        topRight = topRight.Update(aTop, bRight);
        bottomLeft = bottomLeft.Update(aBottom, bLeft);
        bottomRight = bottomRight.Update(aBottom, bRight);
    }

    /// <summary>
    /// Split-K epilogue: C = alpha·Σₛ partial[z, s] + beta·C, the splits summed in order s = 0, 1, … (deterministic),
    /// one thread per element of C in a grid-stride loop. partials is contiguous [batch, splits, M, N].
    /// </summary>
    public static void SplitKReduce<T>(ArrayView<T> partials, ArrayView<T> c, GemmProblem p, KernelShape batch, KernelStrides sc, T alpha, T beta)
        where T : unmanaged, INumber<T>
    {
        long plane = (long)p.M * p.N;
        long total = p.BatchCount * plane;
        for (long i = CopyKernels.Start; i < total; i += CopyKernels.Step)
        {
            long member = i / plane;
            long within = i - member * plane;
            int m = (int)(within / p.N), n = (int)(within - (long)m * p.N);
            long from = member * p.Splits * plane + within;
            T sum = partials[from];
            for (int s = 1; s < p.Splits; s++) sum += partials[from + s * plane];
            long at = p.CBase + sc.OffsetOf(member, batch) + m * p.Scm + n * p.Scn;
            T result = alpha * sum;
            if (beta != T.Zero) result += beta * c[at];
            c[at] = result;
        }
    }

    /// <summary>K = 0: C = beta·C (exactly zero when beta is 0, whatever C held).</summary>
    public static void Scale<T>(ArrayView<T> c, KernelStrides cs, KernelShape shape, long n, T beta) where T : unmanaged, INumber<T>
    {
        for (long i = CopyKernels.Start; i < n; i += CopyKernels.Step)
        {
            long at = cs.OffsetOf(i, shape);
            c[at] = beta == T.Zero ? T.Zero : beta * c[at];
        }
    }
}
