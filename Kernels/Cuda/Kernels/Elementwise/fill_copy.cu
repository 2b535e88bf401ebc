// Fill and dtype-converting copy (IBackend.Fill, IBackend.Copy).
#include "common.cuh"

template <typename T>
__global__ void fill_contig(T* y, long long n, T value)
{
    GRID_STRIDE_LOOP(long long, i, n) y[i] = value;
}

template <typename T, typename I>
__global__ void fill_strided(T* y, Strides sy, Shape shape, long long n, T value)
{
    GRID_STRIDE_LOOP(I, i, n) y[offset_of(i, shape, sy)] = value;
}

// float -> int truncates toward zero; PTX's cvt.rzi saturates out-of-range values and maps NaN to 0,
// which is what .NET's saturating conversion does too.
template <typename TOut, typename TIn>
__device__ __forceinline__ TOut convert(TIn x) { return (TOut)x; }

template <typename TIn, typename TOut>
__global__ void copy_contig(const TIn* x, TOut* y, long long n)
{
    contiguous_loop(n, [=](long long i) { return x[i]; }, [=](long long i, TIn v) { y[i] = convert<TOut>(v); });
}

template <typename TIn, typename TOut, typename I>
__global__ void copy_strided(const TIn* x, Strides sx, TOut* y, Strides sy, Shape shape, long long n)
{
    GRID_STRIDE_LOOP(I, i, n)
    {
        long long ox, oy;
        offsets_of(i, shape, sx, sy, ox, oy);
        y[oy] = convert<TOut>(x[ox]);
    }
}
