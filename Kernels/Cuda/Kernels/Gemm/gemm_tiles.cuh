// Tile loading shared by the SIMT and tensor-core GEMM kernels: C = alpha*A*B + beta*C over a batch,
// A [M, K] and B [K, N] with any strides. A block computes a BM x BN tile of C, walking K in steps of
// BK; tiles of A and B are staged in shared memory "k-major" (As[k][m], Bs[k][n]) so the inner loop
// reads rows of both.
//
// Global loads move groups of 4 consecutive elements along the operand's unit-stride dim:
//   A_MODE 0: A is k-contiguous (row-major A), groups run along k;
//   A_MODE 1: A is m-contiguous (A transposed), groups run along m;
//   B_MODE 0: B is n-contiguous (row-major B), groups run along n;
//   B_MODE 1: B is k-contiguous (B transposed), groups run along k.
// With vec set (host-checked: unit stride, 16-byte aligned rows) an in-bounds group is one or two
// 16-byte loads; otherwise each element is loaded on its own with its real strides and bounds, which
// is also how operands without any unit stride are served.
#pragma once
#include "common.cuh"

struct GemmProblem
{
    int m, n, k;
    long long sam, sak; // A element (m, k) at a[m*sam + k*sak]
    long long sbk, sbn; // B element (k, n) at b[k*sbk + n*sbn]
    long long scm, scn; // C element (m, n) at c[m*scm + n*scn]
    long long batch_count;
    int vec_a, vec_b;
    int splits;              // split-K factor (1: no split)
    int k_chunk;             // K elements per split (multiple of the tile's BK)
    long long c_split_stride; // with splits > 1, split s of a batch writes at c + s*c_split_stride
};

template <typename T>
__device__ __forceinline__ void load4(const T* p, T (&v)[4])
{
    v[0] = p[0]; v[1] = p[1]; v[2] = p[2]; v[3] = p[3];
}

template <>
__device__ __forceinline__ void load4<float>(const float* p, float (&v)[4])
{
    float4 q = *reinterpret_cast<const float4*>(p);
    v[0] = q.x; v[1] = q.y; v[2] = q.z; v[3] = q.w;
}

template <>
__device__ __forceinline__ void load4<double>(const double* p, double (&v)[4])
{
    double2 q0 = reinterpret_cast<const double2*>(p)[0];
    double2 q1 = reinterpret_cast<const double2*>(p)[1];
    v[0] = q0.x; v[1] = q0.y; v[2] = q1.x; v[3] = q1.y;
}

// Loads this thread's groups of the A tile at (m0, k0) into registers. Elements outside
// [0, M) x [k0, k_end) read as zero.
template <typename T, int A_MODE, int BM, int BK, int NT>
__device__ __forceinline__ void load_a_tile(const T* a, const GemmProblem& p, int m0, int k0, int k_end,
                                            T (&regs)[BM * BK / (4 * NT)][4])
{
    const int G = BM * BK / (4 * NT);
#pragma unroll
    for (int g = 0; g < G; ++g)
    {
        int id = threadIdx.x + g * NT;
        if (A_MODE == 0)
        {
            int m = m0 + id / (BK / 4);
            int k = k0 + (id % (BK / 4)) * 4;
            if (p.vec_a && m < p.m && k + 3 < k_end)
            {
                load4(a + m * p.sam + k, regs[g]);
            }
            else
            {
#pragma unroll
                for (int q = 0; q < 4; ++q)
                    regs[g][q] = (m < p.m && k + q < k_end) ? a[m * p.sam + (k + q) * p.sak] : (T)0;
            }
        }
        else
        {
            int k = k0 + id / (BM / 4);
            int m = m0 + (id % (BM / 4)) * 4;
            if (p.vec_a && k < k_end && m + 3 < p.m)
            {
                load4(a + k * p.sak + m, regs[g]);
            }
            else
            {
#pragma unroll
                for (int q = 0; q < 4; ++q)
                    regs[g][q] = (k < k_end && m + q < p.m) ? a[(m + q) * p.sam + k * p.sak] : (T)0;
            }
        }
    }
}

template <typename T, int B_MODE, int BN, int BK, int NT>
__device__ __forceinline__ void load_b_tile(const T* b, const GemmProblem& p, int n0, int k0, int k_end,
                                            T (&regs)[BN * BK / (4 * NT)][4])
{
    const int G = BN * BK / (4 * NT);
#pragma unroll
    for (int g = 0; g < G; ++g)
    {
        int id = threadIdx.x + g * NT;
        if (B_MODE == 0)
        {
            int k = k0 + id / (BN / 4);
            int n = n0 + (id % (BN / 4)) * 4;
            if (p.vec_b && k < k_end && n + 3 < p.n)
            {
                load4(b + k * p.sbk + n, regs[g]);
            }
            else
            {
#pragma unroll
                for (int q = 0; q < 4; ++q)
                    regs[g][q] = (k < k_end && n + q < p.n) ? b[k * p.sbk + (n + q) * p.sbn] : (T)0;
            }
        }
        else
        {
            int n = n0 + id / (BK / 4);
            int k = k0 + (id % (BK / 4)) * 4;
            if (p.vec_b && n < p.n && k + 3 < k_end)
            {
                load4(b + n * p.sbn + k, regs[g]);
            }
            else
            {
#pragma unroll
                for (int q = 0; q < 4; ++q)
                    regs[g][q] = (n < p.n && k + q < k_end) ? b[(k + q) * p.sbk + n * p.sbn] : (T)0;
            }
        }
    }
}

// Converts a staged element on its way to shared memory (identity, or rounding to TF32).
template <typename T, bool TF32>
__device__ __forceinline__ T stage(T x) { return x; }

template <>
__device__ __forceinline__ float stage<float, true>(float x)
{
    uint32_t bits;
#ifdef SCRATCH_EMULATOR
    bits = emulate_cvt_rna_tf32(x);
#else
    asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(bits) : "f"(x));
#endif
    return __uint_as_float(bits);
}

// Writes register groups into the k-major shared tile As[BK][LDA].
template <typename T, int A_MODE, int BM, int BK, int NT, int LDA, bool TF32>
__device__ __forceinline__ void store_a_tile(T* As, const T (&regs)[BM * BK / (4 * NT)][4])
{
    const int G = BM * BK / (4 * NT);
#pragma unroll
    for (int g = 0; g < G; ++g)
    {
        int id = threadIdx.x + g * NT;
        if (A_MODE == 0)
        {
            int m = id / (BK / 4);
            int k = (id % (BK / 4)) * 4;
#pragma unroll
            for (int q = 0; q < 4; ++q) As[(k + q) * LDA + m] = stage<T, TF32>(regs[g][q]);
        }
        else
        {
            int k = id / (BM / 4);
            int m = (id % (BM / 4)) * 4;
#pragma unroll
            for (int q = 0; q < 4; ++q) As[k * LDA + m + q] = stage<T, TF32>(regs[g][q]);
        }
    }
}

template <typename T, int B_MODE, int BN, int BK, int NT, int LDB, bool TF32>
__device__ __forceinline__ void store_b_tile(T* Bs, const T (&regs)[BN * BK / (4 * NT)][4])
{
    const int G = BN * BK / (4 * NT);
#pragma unroll
    for (int g = 0; g < G; ++g)
    {
        int id = threadIdx.x + g * NT;
        if (B_MODE == 0)
        {
            int k = id / (BN / 4);
            int n = (id % (BN / 4)) * 4;
#pragma unroll
            for (int q = 0; q < 4; ++q) Bs[k * LDB + n + q] = stage<T, TF32>(regs[g][q]);
        }
        else
        {
            int n = id / (BK / 4);
            int k = (id % (BK / 4)) * 4;
#pragma unroll
            for (int q = 0; q < 4; ++q) Bs[(k + q) * LDB + n] = stage<T, TF32>(regs[g][q]);
        }
    }
}

// Offsets of batch element `batch` in A, B and C, and the split's K range.
struct GemmBatchOffsets
{
    long long a, b, c;
    int k_begin, k_end;
};

__device__ __forceinline__ GemmBatchOffsets gemm_offsets(const GemmProblem& p, long long z, const Shape& batch,
                                                         const Strides& bsa, const Strides& bsb, const Strides& bsc)
{
    GemmBatchOffsets o;
    long long batch_index = z / p.splits;
    int split = (int)(z - batch_index * p.splits);
    offsets_of(batch_index, batch, bsa, bsb, bsc, o.a, o.b, o.c);
    o.c += split * p.c_split_stride;
    o.k_begin = split * p.k_chunk;
    o.k_end = min(p.k, o.k_begin + p.k_chunk);
    return o;
}

// Final value of one C element: alpha*acc + beta*c, reading c only when beta != 0.
template <typename T>
__device__ __forceinline__ void gemm_store(T* c, long long at, T value, T alpha, T beta)
{
    T result = alpha * value;
    if (beta != (T)0) result += beta * c[at];
    c[at] = result;
}
