// Counter-based random numbers (IBackend.Random), reproducing exactly the stream documented on
// Scratch.Kernels.RandomDistribution: Philox4x32-10 (Random123) with key = (lo32(seed), hi32(seed))
// and counter (lo32(block), hi32(block), 0, 0).
//
// The arithmetic after the 32-bit draw is done in double with explicit round-to-nearest intrinsics
// (__dmul_rn, __dadd_rn, ...) so the compiler cannot contract it into fused multiply-adds: uniform
// and Bernoulli values are then bit-identical to the CPU's. Normal values go through log, sqrt and
// cos, whose last-bit rounding may differ between CUDA's libdevice and .NET's libm.
#include "common.cuh"

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

#define DIST_UNIFORM 0
#define DIST_NORMAL 1
#define DIST_BERNOULLI 2

struct Philox4
{
    uint32_t x, y, z, w;
};

__device__ __forceinline__ Philox4 philox4x32_10(unsigned long long block, unsigned long long seed)
{
    uint32_t c0 = (uint32_t)block, c1 = (uint32_t)(block >> 32), c2 = 0u, c3 = 0u;
    uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
#pragma unroll
    for (int round = 0; round < 10; ++round)
    {
        if (round > 0)
        {
            k0 += PHILOX_W0;
            k1 += PHILOX_W1;
        }
        uint32_t hi0 = __umulhi(PHILOX_M0, c0), lo0 = PHILOX_M0 * c0;
        uint32_t hi1 = __umulhi(PHILOX_M1, c2), lo1 = PHILOX_M1 * c2;
        uint32_t n0 = hi1 ^ c1 ^ k0;
        uint32_t n2 = hi0 ^ c3 ^ k1;
        c0 = n0;
        c1 = lo1;
        c2 = n2;
        c3 = lo0;
    }
    Philox4 r = {c0, c1, c2, c3};
    return r;
}

__device__ __forceinline__ uint32_t word(const Philox4& r, int k)
{
    return k == 0 ? r.x : (k == 1 ? r.y : (k == 2 ? r.z : r.w));
}

// (r + 0.5)*2^-32 in (0, 1); both operations are exact in double.
__device__ __forceinline__ double unit(uint32_t r)
{
    return __dmul_rn(__dadd_rn((double)r, 0.5), 2.3283064365386963e-10);
}

__device__ __forceinline__ double draw(int distribution, const Philox4& r, int k, double a, double b)
{
    switch (distribution)
    {
    case DIST_UNIFORM: return __dadd_rn(a, __dmul_rn(__dsub_rn(b, a), unit(word(r, k))));
    case DIST_BERNOULLI: return unit(word(r, k)) < a ? 1.0 : 0.0;
    default:
    {
        // Element k of a normal pair uses words 2k and 2k + 1.
        double u1 = unit(word(r, 2 * k)), u2 = unit(word(r, 2 * k + 1));
        double radius = __dsqrt_rn(__dmul_rn(-2.0, log(u1)));
        double z = __dmul_rn(radius, cos(__dmul_rn(6.283185307179586, u2)));
        return __dadd_rn(a, __dmul_rn(b, z));
    }
    }
}

// One thread per Philox block: 4 elements (uniform, Bernoulli) or 2 (normal), written through y's
// strides; element i is the row-major index over y's shape.
template <typename T>
__global__ void philox_fill(int distribution, T* y, Strides sy, Shape shape, long long n,
                            unsigned long long seed, unsigned long long offset, double a, double b)
{
    int per_block = distribution == DIST_NORMAL ? 2 : 4;
    long long blocks = (n + per_block - 1) / per_block;
    GRID_STRIDE_LOOP(long long, blk, blocks)
    {
        Philox4 r = philox4x32_10(offset + (unsigned long long)blk, seed);
        for (int k = 0; k < per_block; ++k)
        {
            long long i = blk * per_block + k;
            if (i >= n) break;
            y[offset_of(i, shape, sy)] = (T)draw(distribution, r, k, a, b);
        }
    }
}

// The raw 32-bit words of blocks [offset, offset + blocks): for testing the stream bit for bit.
__global__ void philox_words(uint32_t* out, long long blocks, unsigned long long seed, unsigned long long offset)
{
    GRID_STRIDE_LOOP(long long, blk, blocks)
    {
        Philox4 r = philox4x32_10(offset + (unsigned long long)blk, seed);
        out[4 * blk] = r.x;
        out[4 * blk + 1] = r.y;
        out[4 * blk + 2] = r.z;
        out[4 * blk + 3] = r.w;
    }
}
