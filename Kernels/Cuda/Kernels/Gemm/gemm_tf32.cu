// Float32 GEMM on tensor cores with TF32 inputs (sm_80+): mma.sync.aligned.m16n8k8 through inline
// PTX (NVRTC 11.8 has no mma.h). Operands are rounded to TF32 (cvt.rna) when staged in shared
// memory; products accumulate in float32. Used only when CudaBackend.AllowTf32 is set, like
// PyTorch's allow_tf32.
//
// Block tile 128 x 128 x 16, 8 warps in a 2 x 4 grid, each warp a 64 x 32 tile = 4 x 4 mma tiles.
// Fragment layouts (PTX ISA, mma.m16n8k8 .tf32; g = lane / 4, t = lane % 4):
//   A (16 x 8, row): a0 (g, t), a1 (g + 8, t), a2 (g, t + 4), a3 (g + 8, t + 4)
//   B (8 x 8, col):  b0 (t, g), b1 (t + 4, g)
//   C (16 x 8):      c0 (g, 2t), c1 (g, 2t + 1), c2 (g + 8, 2t), c3 (g + 8, 2t + 1)
#include "Gemm/gemm_tiles.cuh"

#define TF_BM 128
#define TF_BN 128
#define TF_BK 16
#define TF_NT 256
#define TF_LDA (TF_BM + 8) // padding makes the fragment reads below conflict-free
#define TF_LDB (TF_BN + 8)

__device__ __forceinline__ void mma_tf32(float (&d)[4], const uint32_t (&a)[4], const uint32_t (&b)[2])
{
#ifdef SCRATCH_EMULATOR
    // The test emulator (no PTX) computes the same warp-wide product from the fragment layouts.
    emulate_mma_m16n8k8_tf32(d, a, b);
#else
    asm volatile(
        "mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 "
        "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
#endif
}

template <int A_MODE, int B_MODE>
__global__ void __launch_bounds__(TF_NT, 2)
gemm_tf32(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c, GemmProblem p,
          Shape batch, Strides bsa, Strides bsb, Strides bsc, float alpha, float beta)
{
    const int GA = TF_BM * TF_BK / (4 * TF_NT), GB = TF_BN * TF_BK / (4 * TF_NT);
    __shared__ __align__(16) float As[2][TF_BK * TF_LDA];
    __shared__ __align__(16) float Bs[2][TF_BK * TF_LDB];

    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int g = lane >> 2, t = lane & 3;
    const int wm = (warp >> 2) * 64; // warp's rows within the block tile
    const int wn = (warp & 3) * 32;  // warp's columns
    const int m0 = blockIdx.y * TF_BM;
    const int n0 = blockIdx.x * TF_BN;

    for (long long z = blockIdx.z; z < p.batch_count * p.splits; z += gridDim.z)
    {
        GemmBatchOffsets o = gemm_offsets(p, z, batch, bsa, bsb, bsc);
        const float* ab = a + o.a;
        const float* bb = b + o.b;

        float acc[4][4][4];
#pragma unroll
        for (int i = 0; i < 4; ++i)
#pragma unroll
            for (int j = 0; j < 4; ++j)
#pragma unroll
                for (int r = 0; r < 4; ++r) acc[i][j][r] = 0.0f;

        float ra[GA][4], rb[GB][4];
        int tiles = (o.k_end - o.k_begin + TF_BK - 1) / TF_BK;
        __syncthreads();
        if (tiles > 0)
        {
            load_a_tile<float, A_MODE, TF_BM, TF_BK, TF_NT>(ab, p, m0, o.k_begin, o.k_end, ra);
            load_b_tile<float, B_MODE, TF_BN, TF_BK, TF_NT>(bb, p, n0, o.k_begin, o.k_end, rb);
            store_a_tile<float, A_MODE, TF_BM, TF_BK, TF_NT, TF_LDA, true>(As[0], ra);
            store_b_tile<float, B_MODE, TF_BN, TF_BK, TF_NT, TF_LDB, true>(Bs[0], rb);
        }
        __syncthreads();

        for (int tile = 0; tile < tiles; ++tile)
        {
            int cur = tile & 1;
            bool more = tile + 1 < tiles;
            if (more)
            {
                int k_next = o.k_begin + (tile + 1) * TF_BK;
                load_a_tile<float, A_MODE, TF_BM, TF_BK, TF_NT>(ab, p, m0, k_next, o.k_end, ra);
                load_b_tile<float, B_MODE, TF_BN, TF_BK, TF_NT>(bb, p, n0, k_next, o.k_end, rb);
            }
            const float* as = As[cur];
            const float* bs = Bs[cur];
#pragma unroll
            for (int ks = 0; ks < TF_BK; ks += 8)
            {
                uint32_t af[4][4], bf[4][2];
#pragma unroll
                for (int i = 0; i < 4; ++i)
                {
                    int row = wm + i * 16 + g;
                    af[i][0] = __float_as_uint(as[(ks + t) * TF_LDA + row]);
                    af[i][1] = __float_as_uint(as[(ks + t) * TF_LDA + row + 8]);
                    af[i][2] = __float_as_uint(as[(ks + t + 4) * TF_LDA + row]);
                    af[i][3] = __float_as_uint(as[(ks + t + 4) * TF_LDA + row + 8]);
                }
#pragma unroll
                for (int j = 0; j < 4; ++j)
                {
                    int col = wn + j * 8 + g;
                    bf[j][0] = __float_as_uint(bs[(ks + t) * TF_LDB + col]);
                    bf[j][1] = __float_as_uint(bs[(ks + t + 4) * TF_LDB + col]);
                }
#pragma unroll
                for (int i = 0; i < 4; ++i)
#pragma unroll
                    for (int j = 0; j < 4; ++j) mma_tf32(acc[i][j], af[i], bf[j]);
            }
            if (more)
            {
                store_a_tile<float, A_MODE, TF_BM, TF_BK, TF_NT, TF_LDA, true>(As[cur ^ 1], ra);
                store_b_tile<float, B_MODE, TF_BN, TF_BK, TF_NT, TF_LDB, true>(Bs[cur ^ 1], rb);
            }
            __syncthreads();
        }

        float* cb = c + o.c;
#pragma unroll
        for (int i = 0; i < 4; ++i)
#pragma unroll
            for (int j = 0; j < 4; ++j)
#pragma unroll
                for (int r = 0; r < 4; ++r)
                {
                    int m = m0 + wm + i * 16 + g + (r >= 2 ? 8 : 0);
                    int n = n0 + wn + j * 8 + 2 * t + (r & 1);
                    if (m < p.m && n < p.n) gemm_store(cb, m * p.scm + n * p.scn, acc[i][j][r], alpha, beta);
                }
    }
}
