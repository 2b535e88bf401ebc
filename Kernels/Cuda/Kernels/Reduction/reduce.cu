// Reductions over the last dims of a strided view (IBackend.Reduce). Op values are those of
// Scratch.Kernels.ReduceOp. Every variant assigns elements to threads by position only and combines
// partial states in a fixed tree, so results are the same bits on every run.
#include "common.cuh"

#define R_SUM 0
#define R_MEAN 1
#define R_MAX 2
#define R_MIN 3
#define R_ARGMAX 4
#define R_ARGMIN 5
#define R_LOGSUMEXP 6

#define NO_INDEX 0x7fffffffffffffffLL

// Partial state of every reduction: v is the sum, running max/min, or LogSumExp's running max;
// s is LogSumExp's sum e^(x - v); i the arg index.
template <typename T>
struct RState
{
    typename Acc<T>::type v;
    typename Acc<T>::type s;
    long long i;
};

template <typename A> __device__ __forceinline__ A lowest();
template <> __device__ __forceinline__ double lowest<double>() { return -m_infinity<double>(); }
template <> __device__ __forceinline__ long long lowest<long long>() { return -0x7fffffffffffffffLL - 1; }
template <typename A> __device__ __forceinline__ A highest();
template <> __device__ __forceinline__ double highest<double>() { return m_infinity<double>(); }
template <> __device__ __forceinline__ long long highest<long long>() { return 0x7fffffffffffffffLL; }

template <typename T>
__device__ __forceinline__ RState<T> r_init(int op)
{
    typedef typename Acc<T>::type A;
    RState<T> st;
    st.s = (A)0;
    st.i = NO_INDEX;
    switch (op)
    {
    case R_MAX: case R_ARGMAX: case R_LOGSUMEXP: st.v = lowest<A>(); break;
    case R_MIN: case R_ARGMIN: st.v = highest<A>(); break;
    default: st.v = (A)0; break;
    }
    return st;
}

// e^(m_part - m) scaled into a LogSumExp sum, with the infinities handled: a part that holds no
// finite mass contributes 0, and equal (possibly infinite) maxima give factor 1.
template <typename A>
__device__ __forceinline__ A lse_rescale(A s, A m_part, A m)
{
    if (s == (A)0) return (A)0;
    return m_part == m ? s : s * m_exp(m_part - m);
}

// Online LogSumExp: the state (v, s) stands for v + log s. NaN poisons both fields; -inf adds nothing.
template <typename T>
__device__ __forceinline__ void lse_accumulate(RState<T>& st, typename Acc<T>::type value)
{
    typedef typename Acc<T>::type A;
    if (m_isnan(value) || m_isnan(st.v)) { st.v = value + st.v; st.s = st.v; }
    else if (value == -m_infinity<A>()) { }
    else if (value > st.v) { st.s = lse_rescale(st.s, st.v, value) + (A)1; st.v = value; }
    else { st.s += value == st.v ? (A)1 : m_exp(value - st.v); }
}

template <typename T>
__device__ __forceinline__ void lse_combine(RState<T>& a, const RState<T>& b)
{
    typedef typename Acc<T>::type A;
    A m = nan_max(a.v, b.v);
    a.s = lse_rescale(a.s, a.v, m) + lse_rescale(b.s, b.v, m);
    if (m_isnan(m)) a.s = m;
    a.v = m;
}

// Int32 has no LogSumExp (the host rejects it).
template <> __device__ __forceinline__ void lse_accumulate<int>(RState<int>&, long long) { }
template <> __device__ __forceinline__ void lse_combine<int>(RState<int>&, const RState<int>&) { }

// a is better than b for ArgMax (larger; NaN beats numbers; ties go to the smaller index).
template <typename A>
__device__ __forceinline__ bool arg_better(bool want_max, A av, long long ai, A bv, long long bi)
{
    bool a_nan = m_isnan(av), b_nan = m_isnan(bv);
    if (a_nan || b_nan)
    {
        if (a_nan && b_nan) return ai < bi;
        return a_nan;
    }
    if (av == bv) return ai < bi;
    return want_max ? av > bv : av < bv;
}

template <typename T>
__device__ __forceinline__ void r_accumulate(int op, RState<T>& st, T x, long long j)
{
    typedef typename Acc<T>::type A;
    A value = (A)x;
    switch (op)
    {
    case R_SUM: case R_MEAN: st.v += value; break;
    case R_MAX: st.v = nan_max(st.v, value); break;
    case R_MIN: st.v = nan_min(st.v, value); break;
    case R_ARGMAX:
        if (arg_better(true, value, j, st.v, st.i)) { st.v = value; st.i = j; }
        break;
    case R_ARGMIN:
        if (arg_better(false, value, j, st.v, st.i)) { st.v = value; st.i = j; }
        break;
    case R_LOGSUMEXP: lse_accumulate(st, value); break;
    }
}

template <typename T>
__device__ __forceinline__ RState<T> r_combine(int op, RState<T> a, const RState<T>& b)
{
    typedef typename Acc<T>::type A;
    switch (op)
    {
    case R_SUM: case R_MEAN: a.v += b.v; break;
    case R_MAX: a.v = nan_max(a.v, b.v); break;
    case R_MIN: a.v = nan_min(a.v, b.v); break;
    case R_ARGMAX: if (arg_better(true, b.v, b.i, a.v, a.i)) { a.v = b.v; a.i = b.i; } break;
    case R_ARGMIN: if (arg_better(false, b.v, b.i, a.v, a.i)) { a.v = b.v; a.i = b.i; } break;
    case R_LOGSUMEXP: lse_combine(a, b); break;
    }
    return a;
}

template <typename T>
__device__ __forceinline__ RState<T> r_shuffle_xor(RState<T> st, int mask)
{
    RState<T> other;
    other.v = shfl_xor(st.v, mask);
    other.s = shfl_xor(st.s, mask);
    other.i = shfl_xor(st.i, mask);
    return other;
}

template <typename T>
__device__ __forceinline__ RState<T> r_warp_combine(int op, RState<T> st)
{
#pragma unroll
    for (int mask = 16; mask > 0; mask >>= 1) st = r_combine(op, st, r_shuffle_xor(st, mask));
    return st;
}

template <typename T>
__device__ __forceinline__ void r_write(int op, const RState<T>& st, long long n, void* y, long long row)
{
    typedef typename Acc<T>::type A;
    switch (op)
    {
    case R_ARGMAX: case R_ARGMIN: ((int*)y)[row] = (int)st.i; break;
    case R_MEAN: ((T*)y)[row] = (T)(st.v / (A)n); break;
    case R_LOGSUMEXP:
        ((T*)y)[row] = (T)(st.s == (A)0 ? -m_infinity<A>() : (m_isnan(st.s) ? st.s : st.v + m_log(st.s)));
        break;
    default: ((T*)y)[row] = (T)st.v; break;
    }
}

// Int32 rows: the same, without NaN and LogSumExp (rejected by the host); Mean truncates.
template <>
__device__ __forceinline__ void r_write<int>(int op, const RState<int>& st, long long n, void* y, long long row)
{
    switch (op)
    {
    case R_ARGMAX: case R_ARGMIN: ((int*)y)[row] = (int)st.i; break;
    case R_MEAN: ((int*)y)[row] = (int)(st.v / n); break;
    default: ((int*)y)[row] = (int)st.v; break;
    }
}

template <typename T>
__device__ __forceinline__ T r_load(const T* base, long long j, int contiguous, const Shape& red, const Strides& red_st)
{
    return contiguous ? base[j] : base[offset_of(j, red, red_st)];
}

// One warp per row, 8 rows per block: for rows of at most a few thousand elements.
template <typename T>
__global__ void reduce_rows_warp(int op, const T* x, Shape lead, Strides lead_st, Shape red, Strides red_st,
                                 int red_contiguous, long long outer, long long inner, void* y)
{
    int lane = threadIdx.x & 31;
    int warps = blockDim.x >> 5;
    for (long long row = (long long)blockIdx.x * warps + (threadIdx.x >> 5); row < outer; row += (long long)gridDim.x * warps)
    {
        const T* base = x + offset_of(row, lead, lead_st);
        RState<T> st = r_init<T>(op);
        for (long long j = lane; j < inner; j += 32) r_accumulate(op, st, r_load(base, j, red_contiguous, red, red_st), j);
        st = r_warp_combine(op, st);
        if (lane == 0) r_write(op, st, inner, y, row);
    }
}

// One block per (row, split): the split covers reduced elements [split*chunk, (split+1)*chunk).
// With one split the result is written; otherwise the partial state goes to partial[row*splits + split].
template <typename T>
__global__ void reduce_rows_block(int op, const T* x, Shape lead, Strides lead_st, Shape red, Strides red_st,
                                  int red_contiguous, long long outer, long long inner, long long chunk,
                                  void* y, RState<T>* partial)
{
    __shared__ RState<T> scratch[32];
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    int warps = blockDim.x >> 5;
    int splits = gridDim.y;
    long long j0 = (long long)blockIdx.y * chunk;
    long long j1 = min(inner, j0 + chunk);
    for (long long row = blockIdx.x; row < outer; row += gridDim.x)
    {
        const T* base = x + offset_of(row, lead, lead_st);
        RState<T> st = r_init<T>(op);
        for (long long j = j0 + threadIdx.x; j < j1; j += blockDim.x)
            r_accumulate(op, st, r_load(base, j, red_contiguous, red, red_st), j);
        st = r_warp_combine(op, st);
        __syncthreads(); // the previous row's scratch reads are done
        if (lane == 0) scratch[warp] = st;
        __syncthreads();
        if (warp == 0)
        {
            st = lane < warps ? scratch[lane] : r_init<T>(op);
            st = r_warp_combine(op, st);
            if (lane == 0)
            {
                if (splits == 1) r_write(op, st, inner, y, row);
                else partial[row * splits + blockIdx.y] = st;
            }
        }
    }
}

// Reduced elements strided, rows adjacent in memory: a (32, 8) block serves 32 consecutive rows,
// threadIdx.y takes every 8th reduced element of the split, and the 8 partial states are combined
// in order. Splits work as in reduce_rows_block.
template <typename T>
__global__ void reduce_columns(int op, const T* x, Shape lead, Strides lead_st, Shape red, Strides red_st,
                               long long outer, long long inner, long long chunk, void* y, RState<T>* partial)
{
    __shared__ RState<T> scratch[8][33];
    int splits = gridDim.y;
    long long j0 = (long long)blockIdx.y * chunk;
    long long j1 = min(inner, j0 + chunk);
    for (long long first = (long long)blockIdx.x * 32; first < outer; first += (long long)gridDim.x * 32)
    {
        long long row = first + threadIdx.x;
        RState<T> st = r_init<T>(op);
        if (row < outer)
        {
            const T* base = x + offset_of(row, lead, lead_st);
            for (long long j = j0 + threadIdx.y; j < j1; j += 8)
                r_accumulate(op, st, base[offset_of(j, red, red_st)], j);
        }
        __syncthreads();
        scratch[threadIdx.y][threadIdx.x] = st;
        __syncthreads();
        if (threadIdx.y == 0 && row < outer)
        {
            for (int k = 1; k < 8; ++k) st = r_combine(op, st, scratch[k][threadIdx.x]);
            if (splits == 1) r_write(op, st, inner, y, row);
            else partial[row * splits + blockIdx.y] = st;
        }
    }
}

// Combines the split partial states of each row in split order.
template <typename T>
__global__ void reduce_finalize(int op, const RState<T>* partial, int splits, long long outer, long long inner, void* y)
{
    GRID_STRIDE_LOOP(long long, row, outer)
    {
        RState<T> st = partial[row * splits];
        for (int k = 1; k < splits; ++k) st = r_combine(op, st, partial[row * splits + k]);
        r_write(op, st, inner, y, row);
    }
}
