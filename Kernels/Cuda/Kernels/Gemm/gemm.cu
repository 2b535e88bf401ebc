// SIMT GEMM for float and double (IBackend.MatMul): shared-memory tiles, double-buffered with a
// register prefetch of the next tile, and a TM x TN register block of C per thread.
#include "Gemm/gemm_tiles.cuh"

// Tile configurations: 0 = float 128x128x8 with 8x8 per thread; 1 = 64x64x16 with 4x4 per thread
// (small problems, and double, whose accumulators take twice the registers).
template <typename T, int CONFIG> struct GemmConfig;
template <> struct GemmConfig<float, 0> { enum { BM = 128, BN = 128, BK = 8, TM = 8, TN = 8, PAD = 4 }; };
template <> struct GemmConfig<float, 1> { enum { BM = 64, BN = 64, BK = 16, TM = 4, TN = 4, PAD = 4 }; };
template <> struct GemmConfig<double, 1> { enum { BM = 64, BN = 64, BK = 16, TM = 4, TN = 4, PAD = 2 }; };

template <typename T, int CONFIG, int A_MODE, int B_MODE>
__global__ void __launch_bounds__(256, 2)
gemm_tiled(const T* __restrict__ a, const T* __restrict__ b, T* __restrict__ c, GemmProblem p,
           Shape batch, Strides bsa, Strides bsb, Strides bsc, T alpha, T beta)
{
    typedef GemmConfig<T, CONFIG> C;
    const int BM = C::BM, BN = C::BN, BK = C::BK, TM = C::TM, TN = C::TN;
    const int NT = (BM / TM) * (BN / TN);
    const int LDA = BM + C::PAD, LDB = BN + C::PAD;
    const int GA = BM * BK / (4 * NT), GB = BN * BK / (4 * NT);

    __shared__ __align__(16) T As[2][BK * LDA];
    __shared__ __align__(16) T Bs[2][BK * LDB];

    const int tx = threadIdx.x % (BN / TN);
    const int ty = threadIdx.x / (BN / TN);
    const int m0 = blockIdx.y * BM;
    const int n0 = blockIdx.x * BN;

    for (long long z = blockIdx.z; z < p.batch_count * p.splits; z += gridDim.z)
    {
        GemmBatchOffsets o = gemm_offsets(p, z, batch, bsa, bsb, bsc);
        const T* ab = a + o.a;
        const T* bb = b + o.b;

        T acc[TM][TN];
#pragma unroll
        for (int i = 0; i < TM; ++i)
#pragma unroll
            for (int j = 0; j < TN; ++j) acc[i][j] = (T)0;

        T ra[GA][4], rb[GB][4];
        int tiles = (o.k_end - o.k_begin + BK - 1) / BK;
        __syncthreads(); // the previous batch element's last tile reads are done
        if (tiles > 0)
        {
            load_a_tile<T, A_MODE, BM, BK, NT>(ab, p, m0, o.k_begin, o.k_end, ra);
            load_b_tile<T, B_MODE, BN, BK, NT>(bb, p, n0, o.k_begin, o.k_end, rb);
            store_a_tile<T, A_MODE, BM, BK, NT, LDA, false>(As[0], ra);
            store_b_tile<T, B_MODE, BN, BK, NT, LDB, false>(Bs[0], rb);
        }
        __syncthreads();

        for (int t = 0; t < tiles; ++t)
        {
            int cur = t & 1;
            bool more = t + 1 < tiles;
            if (more)
            {
                int k_next = o.k_begin + (t + 1) * BK;
                load_a_tile<T, A_MODE, BM, BK, NT>(ab, p, m0, k_next, o.k_end, ra);
                load_b_tile<T, B_MODE, BN, BK, NT>(bb, p, n0, k_next, o.k_end, rb);
            }
            const T* as = As[cur];
            const T* bs = Bs[cur];
#pragma unroll
            for (int kk = 0; kk < BK; ++kk)
            {
                T af[TM], bf[TN];
#pragma unroll
                for (int i = 0; i < TM; ++i) af[i] = as[kk * LDA + ty * TM + i];
#pragma unroll
                for (int j = 0; j < TN; ++j) bf[j] = bs[kk * LDB + tx * TN + j];
#pragma unroll
                for (int i = 0; i < TM; ++i)
#pragma unroll
                    for (int j = 0; j < TN; ++j) acc[i][j] += af[i] * bf[j];
            }
            if (more)
            {
                store_a_tile<T, A_MODE, BM, BK, NT, LDA, false>(As[cur ^ 1], ra);
                store_b_tile<T, B_MODE, BN, BK, NT, LDB, false>(Bs[cur ^ 1], rb);
            }
            __syncthreads();
        }

        T* cb = c + o.c;
#pragma unroll
        for (int i = 0; i < TM; ++i)
        {
            int m = m0 + ty * TM + i;
            if (m >= p.m) continue;
#pragma unroll
            for (int j = 0; j < TN; ++j)
            {
                int n = n0 + tx * TN + j;
                if (n < p.n) gemm_store(cb, m * p.scm + n * p.scn, acc[i][j], alpha, beta);
            }
        }
    }
}

// Sums the split-K partials ws [batch, splits, M, N] in split order and applies alpha, beta into C.
template <typename T>
__global__ void gemm_splitk_reduce(const T* __restrict__ ws, int splits, int m, int n, long long batch_count,
                                   T* __restrict__ c, long long scm, long long scn, Shape batch, Strides bsc,
                                   T alpha, T beta)
{
    long long per_batch = (long long)m * n;
    GRID_STRIDE_LOOP(long long, i, batch_count * per_batch)
    {
        long long bi = i / per_batch;
        long long rest = i - bi * per_batch;
        int row = (int)(rest / n), col = (int)(rest - (long long)row * n);
        const T* part = ws + bi * splits * per_batch + rest;
        T sum = part[0];
        for (int s = 1; s < splits; ++s) sum += part[s * per_batch];
        long long at = offset_of(bi, batch, bsc) + row * scm + col * scn;
        gemm_store(c, at, sum, alpha, beta);
    }
}

// C = beta*C (or 0 when beta is 0) for K = 0, where the product is empty.
template <typename T>
__global__ void gemm_scale(T* c, Strides sc, Shape shape, long long count, T beta)
{
    GRID_STRIDE_LOOP(long long, i, count)
    {
        long long at = offset_of(i, shape, sc);
        c[at] = beta == (T)0 ? (T)0 : beta * c[at];
    }
}
