// Gather, scatter-add, index-select, index-add and one-hot over contiguous [outer, n, inner] views
// (IBackend.Gather, ScatterAdd, IndexSelect, IndexAdd, OneHot). An index outside [0, n) is reported
// through the error word (the host throws IndexOutOfRangeException at the next synchronisation) and
// the element is skipped.
//
// The accumulating ops are deterministic without atomics: one thread owns each (outer, inner) column
// of the output and adds the sources in j order, the same order as the CPU reference.
#include "common.cuh"

__device__ __forceinline__ bool index_ok(int k, int n, int* error, int op)
{
    if (k >= 0 && k < n) return true;
    report_error(error, SCRATCH_ERROR_INDEX, op, k, n);
    return false;
}

// y[o, j, i] = x[o, index[o, j, i], i]
template <typename T>
__global__ void gather(const T* __restrict__ x, const int* __restrict__ index, T* __restrict__ y,
                       long long outer, int n, int m, long long inner, int* error)
{
    GRID_STRIDE_LOOP(long long, e, outer * m * inner)
    {
        long long i = e % inner;
        long long o = e / (inner * m);
        int k = index[e];
        y[e] = index_ok(k, n, error, SCRATCH_OP_GATHER) ? x[(o * n + k) * inner + i] : (T)0;
    }
}

// y[o, index[o, j, i], i] += src[o, j, i]
template <typename T>
__global__ void scatter_add(const T* __restrict__ src, const int* __restrict__ index, T* __restrict__ y,
                            long long outer, int n, int m, long long inner, int* error)
{
    GRID_STRIDE_LOOP(long long, column, outer * inner)
    {
        long long o = column / inner, i = column - o * inner;
        for (int j = 0; j < m; ++j)
        {
            long long e = (o * m + j) * inner + i;
            int k = index[e];
            if (index_ok(k, n, error, SCRATCH_OP_SCATTER_ADD)) y[(o * n + k) * inner + i] += src[e];
        }
    }
}

// y[o, j, i] = x[o, index[j], i]
template <typename T>
__global__ void index_select(const T* __restrict__ x, const int* __restrict__ index, T* __restrict__ y,
                             long long outer, int n, int m, long long inner, int* error)
{
    GRID_STRIDE_LOOP(long long, e, outer * m * inner)
    {
        long long i = e % inner;
        long long rest = e / inner;
        int j = (int)(rest % m);
        long long o = rest / m;
        int k = index[j];
        y[e] = index_ok(k, n, error, SCRATCH_OP_INDEX_SELECT) ? x[(o * n + k) * inner + i] : (T)0;
    }
}

// y[o, index[j], i] += src[o, j, i]
template <typename T>
__global__ void index_add(const T* __restrict__ src, const int* __restrict__ index, T* __restrict__ y,
                          long long outer, int n, int m, long long inner, int* error)
{
    GRID_STRIDE_LOOP(long long, column, outer * inner)
    {
        long long o = column / inner, i = column - o * inner;
        for (int j = 0; j < m; ++j)
        {
            int k = index[j];
            if (index_ok(k, n, error, SCRATCH_OP_INDEX_ADD)) y[(o * n + k) * inner + i] += src[(o * m + j) * inner + i];
        }
    }
}

// y[r, c] = (index[r] == c)
template <typename T>
__global__ void one_hot(const int* __restrict__ index, T* __restrict__ y, long long rows, int classes, int* error)
{
    GRID_STRIDE_LOOP(long long, e, rows * classes)
    {
        long long r = e / classes;
        int c = (int)(e - r * classes);
        int k = index[r];
        if (c == 0 && (k < 0 || k >= classes)) report_error(error, SCRATCH_ERROR_INDEX, SCRATCH_OP_ONE_HOT, k, classes);
        y[e] = k == c ? (T)1 : (T)0;
    }
}
