// Softmax and log-softmax along the middle dim of contiguous [outer, n, inner] (IBackend.Softmax,
// SoftmaxBackward). Rows (inner = 1) are served by a warp or a block; inner > 1 by one thread per
// (outer, inner) column walking n, which keeps loads coalesced across threads.
#include "common.cuh"

// ---- forward -----------------------------------------------------------------------------------

template <typename T>
__device__ __forceinline__ T softmax_out(T x, T m, typename Acc<T>::type sum, T log_sum, int log)
{
    typedef typename Acc<T>::type A;
    return log ? x - m - log_sum : (T)((A)m_exp(x - m) / sum);
}

template <typename T>
__global__ void softmax_rows_warp(const T* x, T* y, long long outer, int n, int log)
{
    typedef typename Acc<T>::type A;
    int lane = threadIdx.x & 31;
    int warps = blockDim.x >> 5;
    for (long long row = (long long)blockIdx.x * warps + (threadIdx.x >> 5); row < outer; row += (long long)gridDim.x * warps)
    {
        const T* xr = x + row * n;
        T* yr = y + row * n;
        T m = -m_infinity<T>();
        for (int j = lane; j < n; j += 32) m = nan_max(m, xr[j]);
        m = warp_max(m);
        A sum = 0;
        for (int j = lane; j < n; j += 32) sum += (A)m_exp(xr[j] - m);
        sum = warp_sum(sum);
        T log_sum = (T)m_log(sum);
        for (int j = lane; j < n; j += 32) yr[j] = softmax_out(xr[j], m, sum, log_sum, log);
    }
}

template <typename T>
__global__ void softmax_rows_block(const T* x, T* y, long long outer, int n, int log)
{
    typedef typename Acc<T>::type A;
    __shared__ T max_scratch[32];
    __shared__ A sum_scratch[32];
    for (long long row = blockIdx.x; row < outer; row += gridDim.x)
    {
        const T* xr = x + row * n;
        T* yr = y + row * n;
        T m = -m_infinity<T>();
        for (int j = threadIdx.x; j < n; j += blockDim.x) m = nan_max(m, xr[j]);
        m = block_max(m, max_scratch);
        A sum = 0;
        for (int j = threadIdx.x; j < n; j += blockDim.x) sum += (A)m_exp(xr[j] - m);
        sum = block_sum(sum, sum_scratch);
        T log_sum = (T)m_log(sum);
        for (int j = threadIdx.x; j < n; j += blockDim.x) yr[j] = softmax_out(xr[j], m, sum, log_sum, log);
    }
}

template <typename T>
__global__ void softmax_columns(const T* x, T* y, long long outer, int n, long long inner, int log)
{
    typedef typename Acc<T>::type A;
    GRID_STRIDE_LOOP(long long, column, outer * inner)
    {
        long long o = column / inner, i = column - o * inner;
        const T* xc = x + o * n * inner + i;
        T* yc = y + o * n * inner + i;
        T m = -m_infinity<T>();
        for (int j = 0; j < n; ++j) m = nan_max(m, xc[j * inner]);
        A sum = 0;
        for (int j = 0; j < n; ++j) sum += (A)m_exp(xc[j * inner] - m);
        T log_sum = (T)m_log(sum);
        for (int j = 0; j < n; ++j) yc[j * inner] = softmax_out(xc[j * inner], m, sum, log_sum, log);
    }
}

// ---- backward ----------------------------------------------------------------------------------
// softmax: gx = y*(gy - sum gy*y); log-softmax: gx = gy - e^y*sum gy.

template <typename T>
__device__ __forceinline__ typename Acc<T>::type softmax_term(T y, T gy, int log)
{
    typedef typename Acc<T>::type A;
    return log ? (A)gy : (A)gy * (A)y;
}

template <typename T>
__device__ __forceinline__ T softmax_grad(T y, T gy, T total, int log)
{
    return log ? gy - m_exp(y) * total : y * (gy - total);
}

template <typename T>
__global__ void softmax_backward_rows_warp(const T* y, const T* gy, T* gx, long long outer, int n, int log)
{
    typedef typename Acc<T>::type A;
    int lane = threadIdx.x & 31;
    int warps = blockDim.x >> 5;
    for (long long row = (long long)blockIdx.x * warps + (threadIdx.x >> 5); row < outer; row += (long long)gridDim.x * warps)
    {
        long long base = row * n;
        A sum = 0;
        for (int j = lane; j < n; j += 32) sum += softmax_term(y[base + j], gy[base + j], log);
        T total = (T)warp_sum(sum);
        for (int j = lane; j < n; j += 32) gx[base + j] = softmax_grad(y[base + j], gy[base + j], total, log);
    }
}

template <typename T>
__global__ void softmax_backward_rows_block(const T* y, const T* gy, T* gx, long long outer, int n, int log)
{
    typedef typename Acc<T>::type A;
    __shared__ A scratch[32];
    for (long long row = blockIdx.x; row < outer; row += gridDim.x)
    {
        long long base = row * n;
        A sum = 0;
        for (int j = threadIdx.x; j < n; j += blockDim.x) sum += softmax_term(y[base + j], gy[base + j], log);
        T total = (T)block_sum(sum, scratch);
        for (int j = threadIdx.x; j < n; j += blockDim.x) gx[base + j] = softmax_grad(y[base + j], gy[base + j], total, log);
    }
}

template <typename T>
__global__ void softmax_backward_columns(const T* y, const T* gy, T* gx, long long outer, int n, long long inner, int log)
{
    typedef typename Acc<T>::type A;
    GRID_STRIDE_LOOP(long long, column, outer * inner)
    {
        long long o = column / inner, i = column - o * inner;
        long long base = o * n * inner + i;
        A sum = 0;
        for (int j = 0; j < n; ++j) sum += softmax_term(y[base + j * inner], gy[base + j * inner], log);
        T total = (T)sum;
        for (int j = 0; j < n; ++j)
            gx[base + j * inner] = softmax_grad(y[base + j * inner], gy[base + j * inner], total, log);
    }
}
