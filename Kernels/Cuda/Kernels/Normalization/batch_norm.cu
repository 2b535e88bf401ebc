// Batch normalisation over contiguous x [N, C, S] (IBackend.BatchNorm*). Per-channel statistics are
// reduced in two steps: blocks of (channel, split) write partial sums, then one thread per channel
// combines the splits in order, so the result is deterministic.
//
// Statistics use shifted sums in double: with K the channel's first element, sum (x - K) and
// sum (x - K)^2 are additive (any fixed tree gives the same answer up to rounding) and, K being a sample
// of the data, free of the cancellation that plain sum x^2 suffers.
#include "common.cuh"

struct BnSums
{
    double a; // sum (x - K), or sum gy in the backward pass
    double b; // sum (x - K)^2, or sum gy*(x - mu)
};

__device__ __forceinline__ BnSums bn_block_sum(BnSums v, double* scratch)
{
    v.a = block_sum(v.a, scratch);
    v.b = block_sum(v.b, scratch);
    return v;
}

// partial[c*splits + s] = sums over elements [s*chunk, (s+1)*chunk) of channel c (element e is
// x[(e / S)*C*S + c*S + e % S]).
template <typename T>
__global__ void bn_partial_stats(const T* __restrict__ x, int n, int channels, long long spatial, long long chunk,
                                 BnSums* __restrict__ partial)
{
    __shared__ double scratch[32];
    int c = blockIdx.x, s = blockIdx.y, splits = gridDim.y;
    long long count = (long long)n * spatial;
    long long e0 = s * chunk, e1 = min(count, e0 + chunk);
    double shift = (double)x[(long long)c * spatial];
    BnSums sums = {0.0, 0.0};
    for (long long e = e0 + threadIdx.x; e < e1; e += blockDim.x)
    {
        long long sample = e / spatial;
        double d = (double)x[(sample * channels + c) * spatial + (e - sample * spatial)] - shift;
        sums.a += d;
        sums.b += d * d;
    }
    sums = bn_block_sum(sums, scratch);
    if (threadIdx.x == 0) partial[c * splits + s] = sums;
}

// Per channel: mu, 1/sqrt(sigma^2 + eps), and the running statistics (unbiased variance) when given.
template <typename T>
__global__ void bn_finalize_stats(const T* __restrict__ x, const BnSums* __restrict__ partial, int splits,
                                  int channels, long long spatial, long long count, double eps, double momentum,
                                  T* __restrict__ save_mean, T* __restrict__ save_inv_std,
                                  T* __restrict__ running_mean, T* __restrict__ running_var)
{
    GRID_STRIDE_LOOP(int, c, channels)
    {
        double a = 0.0, b = 0.0;
        for (int s = 0; s < splits; ++s)
        {
            a += partial[c * splits + s].a;
            b += partial[c * splits + s].b;
        }
        double shift = (double)x[(long long)c * spatial];
        double n = (double)count;
        double mean = shift + a / n;
        double var = (b - a * a / n) / n;
        if (var < 0.0) var = 0.0;
        save_mean[c] = (T)mean;
        save_inv_std[c] = (T)(1.0 / sqrt(var + eps));
        if (running_mean != 0)
            running_mean[c] = (T)((1.0 - momentum) * (double)running_mean[c] + momentum * mean);
        if (running_var != 0)
            running_var[c] = (T)((1.0 - momentum) * (double)running_var[c] + momentum * var * n / (n - 1.0));
    }
}

// y = (x - mean)*inv_std*weight + bias; weight/bias may be null (1 and 0).
template <typename T>
__global__ void bn_normalize(const T* __restrict__ x, T* __restrict__ y, const T* __restrict__ mean,
                             const T* __restrict__ inv_std, const T* __restrict__ weight, const T* __restrict__ bias,
                             int channels, long long spatial, long long total)
{
    GRID_STRIDE_LOOP(long long, e, total)
    {
        int c = (int)((e / spatial) % channels);
        T v = (x[e] - mean[c]) * inv_std[c];
        if (weight != 0) v *= weight[c];
        if (bias != 0) v += bias[c];
        y[e] = v;
    }
}

// Inference: y = (x - mean)/sqrt(var + eps)*weight + bias.
template <typename T>
__global__ void bn_inference(const T* __restrict__ x, T* __restrict__ y, const T* __restrict__ mean,
                             const T* __restrict__ var, const T* __restrict__ weight, const T* __restrict__ bias,
                             int channels, long long spatial, long long total, double eps)
{
    GRID_STRIDE_LOOP(long long, e, total)
    {
        int c = (int)((e / spatial) % channels);
        T v = (x[e] - mean[c]) / m_sqrt(var[c] + (T)eps);
        if (weight != 0) v *= weight[c];
        if (bias != 0) v += bias[c];
        y[e] = v;
    }
}

// Backward, step 1: partial sum gy and sum gy*(x - mu) per (channel, split).
template <typename T>
__global__ void bn_backward_partial(const T* __restrict__ x, const T* __restrict__ gy, const T* __restrict__ mean,
                                    int n, int channels, long long spatial, long long chunk, BnSums* __restrict__ partial)
{
    __shared__ double scratch[32];
    int c = blockIdx.x, s = blockIdx.y, splits = gridDim.y;
    long long count = (long long)n * spatial;
    long long e0 = s * chunk, e1 = min(count, e0 + chunk);
    double mu = (double)mean[c];
    BnSums sums = {0.0, 0.0};
    for (long long e = e0 + threadIdx.x; e < e1; e += blockDim.x)
    {
        long long sample = e / spatial;
        long long at = (sample * channels + c) * spatial + (e - sample * spatial);
        double g = (double)gy[at];
        sums.a += g;
        sums.b += g * ((double)x[at] - mu);
    }
    sums = bn_block_sum(sums, scratch);
    if (threadIdx.x == 0) partial[c * splits + s] = sums;
}

// Backward, step 2: per channel totals (kept in totals[c] for step 3), gWeight = sum gy*x_hat, gBias = sum gy.
template <typename T>
__global__ void bn_backward_finalize(const BnSums* __restrict__ partial, int splits, int channels,
                                     const T* __restrict__ inv_std, BnSums* __restrict__ totals,
                                     T* __restrict__ grad_weight, T* __restrict__ grad_bias)
{
    GRID_STRIDE_LOOP(int, c, channels)
    {
        BnSums t = {0.0, 0.0};
        for (int s = 0; s < splits; ++s)
        {
            t.a += partial[c * splits + s].a;
            t.b += partial[c * splits + s].b;
        }
        totals[c] = t;
        if (grad_weight != 0) grad_weight[c] = (T)(t.b * (double)inv_std[c]);
        if (grad_bias != 0) grad_bias[c] = (T)t.a;
    }
}

// Backward, step 3: gx = w/sigma*(gy - sum(gy)/NS - (x - mu)/sigma^2*sum(gy*(x - mu))/NS).
template <typename T>
__global__ void bn_backward_input(const T* __restrict__ x, const T* __restrict__ gy, const T* __restrict__ mean,
                                  const T* __restrict__ inv_std, const T* __restrict__ weight,
                                  const BnSums* __restrict__ totals, T* __restrict__ gx,
                                  int channels, long long spatial, long long total, long long count)
{
    GRID_STRIDE_LOOP(long long, e, total)
    {
        int c = (int)((e / spatial) % channels);
        T is = inv_std[c];
        T w = weight != 0 ? weight[c] : (T)1;
        T mean_gy = (T)(totals[c].a / (double)count);
        T mean_gy_xmu = (T)(totals[c].b / (double)count);
        gx[e] = w * is * (gy[e] - mean_gy - (x[e] - mean[c]) * is * is * mean_gy_xmu);
    }
}
