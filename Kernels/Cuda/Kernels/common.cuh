// Shared definitions for every Scratch kernel source. NVRTC compiles these without any CUDA header
// (NVRTC 11.8 ships none), so the few types and constants needed are defined here.
#pragma once

typedef unsigned int uint32_t;

#define SCRATCH_MAX_RANK 8

// Sizes of an n-d iteration space, outermost first (matches Scratch.Kernels.Cuda.Runtime.KernelShape).
struct Shape
{
    int rank;
    int size[SCRATCH_MAX_RANK];
};

// Element strides of one operand over a Shape (matches KernelStrides).
struct Strides
{
    long long s[SCRATCH_MAX_RANK];
};

// Error word shared with the host (index 0: code, 1: op, 2: offending value, 3: bound). The first
// writer wins; the host reads it at the next synchronisation and throws.
#define SCRATCH_ERROR_INDEX 1
#define SCRATCH_ERROR_DIVIDE_BY_ZERO 2

// Which primitive reported (matches DeviceErrorWord.OperationName on the host).
#define SCRATCH_OP_GATHER 1
#define SCRATCH_OP_SCATTER_ADD 2
#define SCRATCH_OP_INDEX_SELECT 3
#define SCRATCH_OP_INDEX_ADD 4
#define SCRATCH_OP_ONE_HOT 5
#define SCRATCH_OP_INT_DIVIDE 6

__device__ __forceinline__ void report_error(int* error, int code, int op, long long value, long long bound)
{
    if (atomicCAS(error, 0, code) == 0)
    {
        error[1] = op;
        error[2] = (int)value;
        error[3] = (int)bound;
    }
}

// ---- index arithmetic ------------------------------------------------------------------------

// Element offset of row-major linear index i over shape with strides st.
template <typename I>
__device__ __forceinline__ long long offset_of(I i, const Shape& shape, const Strides& st)
{
    long long offset = 0;
#pragma unroll
    for (int d = SCRATCH_MAX_RANK - 1; d >= 0; --d)
    {
        if (d < shape.rank)
        {
            I size = (I)shape.size[d];
            I coordinate = i % size;
            i /= size;
            offset += (long long)coordinate * st.s[d];
        }
    }
    return offset;
}

// Offsets of the same linear index in two operands (one division chain).
template <typename I>
__device__ __forceinline__ void offsets_of(I i, const Shape& shape, const Strides& s0, const Strides& s1,
                                           long long& o0, long long& o1)
{
    o0 = 0;
    o1 = 0;
#pragma unroll
    for (int d = SCRATCH_MAX_RANK - 1; d >= 0; --d)
    {
        if (d < shape.rank)
        {
            I size = (I)shape.size[d];
            I coordinate = i % size;
            i /= size;
            o0 += (long long)coordinate * s0.s[d];
            o1 += (long long)coordinate * s1.s[d];
        }
    }
}

// Offsets of the same linear index in three operands.
template <typename I>
__device__ __forceinline__ void offsets_of(I i, const Shape& shape, const Strides& s0, const Strides& s1,
                                           const Strides& s2, long long& o0, long long& o1, long long& o2)
{
    o0 = 0;
    o1 = 0;
    o2 = 0;
#pragma unroll
    for (int d = SCRATCH_MAX_RANK - 1; d >= 0; --d)
    {
        if (d < shape.rank)
        {
            I size = (I)shape.size[d];
            I coordinate = i % size;
            i /= size;
            o0 += (long long)coordinate * s0.s[d];
            o1 += (long long)coordinate * s1.s[d];
            o2 += (long long)coordinate * s2.s[d];
        }
    }
}

// Offsets of the same linear index in four operands.
template <typename I>
__device__ __forceinline__ void offsets_of(I i, const Shape& shape, const Strides& s0, const Strides& s1,
                                           const Strides& s2, const Strides& s3,
                                           long long& o0, long long& o1, long long& o2, long long& o3)
{
    o0 = 0;
    o1 = 0;
    o2 = 0;
    o3 = 0;
#pragma unroll
    for (int d = SCRATCH_MAX_RANK - 1; d >= 0; --d)
    {
        if (d < shape.rank)
        {
            I size = (I)shape.size[d];
            I coordinate = i % size;
            i /= size;
            o0 += (long long)coordinate * s0.s[d];
            o1 += (long long)coordinate * s1.s[d];
            o2 += (long long)coordinate * s2.s[d];
            o3 += (long long)coordinate * s3.s[d];
        }
    }
}

// Contiguous elementwise loop over [0, n): store(i, load(i)) for every i. Each thread first issues
// the loads of four elements (a grid stride apart), then computes and stores them, so four memory
// requests per thread are in flight. Explicit ordering instead of __restrict__ keeps in-place calls
// (x == y) well defined. The tail runs one element at a time.
template <typename Load, typename Store>
__device__ __forceinline__ void contiguous_loop(long long n, Load load, Store store)
{
    long long stride = (long long)blockDim.x * gridDim.x;
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    for (; i + 3 * stride < n; i += 4 * stride)
    {
        auto v0 = load(i);
        auto v1 = load(i + stride);
        auto v2 = load(i + 2 * stride);
        auto v3 = load(i + 3 * stride);
        store(i, v0);
        store(i + stride, v1);
        store(i + 2 * stride, v2);
        store(i + 3 * stride, v3);
    }
    for (; i < n; i += stride) store(i, load(i));
}

// Grid-stride loop over [0, n) with index type I.
#define GRID_STRIDE_LOOP(I, i, n)                                                           \
    for (I i = (I)blockIdx.x * blockDim.x + threadIdx.x; i < (I)(n); i += (I)blockDim.x * gridDim.x)

// ---- math on float / double / int ------------------------------------------------------------

__device__ __forceinline__ float  m_exp(float x)  { return expf(x); }
__device__ __forceinline__ double m_exp(double x) { return exp(x); }
__device__ __forceinline__ float  m_expm1(float x)  { return expm1f(x); }
__device__ __forceinline__ double m_expm1(double x) { return expm1(x); }
__device__ __forceinline__ float  m_log(float x)  { return logf(x); }
__device__ __forceinline__ double m_log(double x) { return log(x); }
__device__ __forceinline__ float  m_log1p(float x)  { return log1pf(x); }
__device__ __forceinline__ double m_log1p(double x) { return log1p(x); }
__device__ __forceinline__ float  m_sqrt(float x)  { return sqrtf(x); }
__device__ __forceinline__ double m_sqrt(double x) { return sqrt(x); }
__device__ __forceinline__ float  m_sin(float x)  { return sinf(x); }
__device__ __forceinline__ double m_sin(double x) { return sin(x); }
__device__ __forceinline__ float  m_cos(float x)  { return cosf(x); }
__device__ __forceinline__ double m_cos(double x) { return cos(x); }
__device__ __forceinline__ float  m_tanh(float x)  { return tanhf(x); }
__device__ __forceinline__ double m_tanh(double x) { return tanh(x); }
__device__ __forceinline__ float  m_erf(float x)  { return erff(x); }
__device__ __forceinline__ double m_erf(double x) { return erf(x); }
__device__ __forceinline__ float  m_pow(float x, float y)   { return powf(x, y); }
__device__ __forceinline__ double m_pow(double x, double y) { return pow(x, y); }
__device__ __forceinline__ float  m_abs(float x)  { return fabsf(x); }
__device__ __forceinline__ double m_abs(double x) { return fabs(x); }
__device__ __forceinline__ int    m_abs(int x)    { return x < 0 ? -x : x; }

__device__ __forceinline__ bool m_isnan(float x)  { return x != x; }
__device__ __forceinline__ bool m_isnan(double x) { return x != x; }
__device__ __forceinline__ bool m_isnan(int)      { return false; }
__device__ __forceinline__ bool m_isnan(long long) { return false; }

template <typename T> __device__ __forceinline__ T m_nan();
template <> __device__ __forceinline__ float  m_nan<float>()  { return __int_as_float(0x7fc00000); }
template <> __device__ __forceinline__ double m_nan<double>() { return __longlong_as_double(0x7ff8000000000000LL); }

template <typename T> __device__ __forceinline__ T m_infinity();
template <> __device__ __forceinline__ float  m_infinity<float>()  { return __int_as_float(0x7f800000); }
template <> __device__ __forceinline__ double m_infinity<double>() { return __longlong_as_double(0x7ff0000000000000LL); }

// max / min that return NaN when either operand is NaN (PyTorch's maximum/minimum).
// (When only b is NaN, a > b is false and b is returned.)
template <typename T>
__device__ __forceinline__ T nan_max(T a, T b) { return (a > b || m_isnan(a)) ? a : b; }
template <typename T>
__device__ __forceinline__ T nan_min(T a, T b) { return (a < b || m_isnan(a)) ? a : b; }

// Accumulator type for sums: float sums are carried in double (the GPU is memory-bound on these
// kernels, so the wider accumulator is free and keeps float32 error far below the CPU's).
template <typename T> struct Acc { typedef T type; };
template <> struct Acc<float> { typedef double type; };
template <> struct Acc<int> { typedef long long type; };

// ---- warp and block reductions ---------------------------------------------------------------

#define FULL_MASK 0xffffffffu

template <typename T>
__device__ __forceinline__ T shfl_down(T value, int delta) { return __shfl_down_sync(FULL_MASK, value, delta); }

template <typename T>
__device__ __forceinline__ T shfl_xor(T value, int mask) { return __shfl_xor_sync(FULL_MASK, value, mask); }

// Sum over the 32 lanes of a warp with a fixed butterfly, so every lane gets the same bits.
template <typename T>
__device__ __forceinline__ T warp_sum(T value)
{
#pragma unroll
    for (int mask = 16; mask > 0; mask >>= 1) value += shfl_xor(value, mask);
    return value;
}

template <typename T>
__device__ __forceinline__ T warp_max(T value)
{
#pragma unroll
    for (int mask = 16; mask > 0; mask >>= 1) value = nan_max(value, shfl_xor(value, mask));
    return value;
}

// Sum over a block (blockDim.x a multiple of 32, at most 1024); every thread gets the result.
// scratch needs 32 elements of shared memory. The combination order is fixed.
template <typename T>
__device__ __forceinline__ T block_sum(T value, T* scratch)
{
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    int warps = blockDim.x >> 5;
    value = warp_sum(value);
    __syncthreads(); // scratch may still be read by a previous call
    if (lane == 0) scratch[warp] = value;
    __syncthreads();
    value = lane < warps ? scratch[lane] : (T)0;
    return warp_sum(value);
}

template <typename T>
__device__ __forceinline__ T block_max(T value, T* scratch)
{
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    int warps = blockDim.x >> 5;
    value = warp_max(value);
    __syncthreads();
    if (lane == 0) scratch[warp] = value;
    __syncthreads();
    value = lane < warps ? scratch[lane] : -m_infinity<T>();
    return warp_max(value);
}
