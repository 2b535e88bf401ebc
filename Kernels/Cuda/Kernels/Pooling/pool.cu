// Max and average pooling over contiguous NCHW (IBackend.MaxPool2d*, AvgPool2d*). Backward passes
// are gathers: each input element sums the gradients of the windows that cover it, in output order,
// so there are no atomics and the result is deterministic.
#include "common.cuh"

struct PoolGeometry
{
    int height, width;      // input plane
    int out_h, out_w;
    int kernel_h, kernel_w;
    int stride_h, stride_w;
    int pad_h, pad_w;
    int count_include_pad;
};

// The outputs whose windows cover input row h: [first, last] (empty when first > last).
__device__ __forceinline__ void covering(int h, int pad, int kernel, int stride, int out, int& first, int& last)
{
    int top = h + pad - kernel + 1; // smallest window start that still covers h
    first = top <= 0 ? 0 : (top + stride - 1) / stride;
    last = min((h + pad) / stride, out - 1);
}

// Output element i of a forward pass: its plane and the top-left corner (h0, w0) of its window,
// which may lie in the padding.
struct OutputSite
{
    long long plane;
    int oh, ow, h0, w0;
};

__device__ __forceinline__ OutputSite output_site(long long i, const PoolGeometry& g)
{
    long long per_plane = (long long)g.out_h * g.out_w;
    OutputSite s;
    s.plane = i / per_plane;
    int p = (int)(i - s.plane * per_plane);
    s.oh = p / g.out_w;
    s.ow = p % g.out_w;
    s.h0 = s.oh * g.stride_h - g.pad_h;
    s.w0 = s.ow * g.stride_w - g.pad_w;
    return s;
}

// Input element i of a backward pass: its plane, its position `at` in the plane, and the outputs
// [oh0, oh1] x [ow0, ow1] whose windows cover it.
struct InputSite
{
    long long plane;
    int at, oh0, oh1, ow0, ow1;
};

__device__ __forceinline__ InputSite input_site(long long i, const PoolGeometry& g)
{
    long long per_plane = (long long)g.height * g.width;
    InputSite s;
    s.plane = i / per_plane;
    s.at = (int)(i - s.plane * per_plane);
    covering(s.at / g.width, g.pad_h, g.kernel_h, g.stride_h, g.out_h, s.oh0, s.oh1);
    covering(s.at % g.width, g.pad_w, g.kernel_w, g.stride_w, g.out_w, s.ow0, s.ow1);
    return s;
}

template <typename T>
__global__ void max_pool_forward(const T* __restrict__ x, T* __restrict__ y, int* __restrict__ indices,
                                 PoolGeometry g, long long planes)
{
    GRID_STRIDE_LOOP(long long, i, planes * g.out_h * g.out_w)
    {
        OutputSite site = output_site(i, g);
        const T* xp = x + site.plane * g.height * g.width;
        int h0 = site.h0, w0 = site.w0;
        T best = (T)0;
        int best_index = -1;
        for (int kh = 0; kh < g.kernel_h; ++kh)
        {
            int h = h0 + kh;
            if (h < 0 || h >= g.height) continue;
            for (int kw = 0; kw < g.kernel_w; ++kw)
            {
                int w = w0 + kw;
                if (w < 0 || w >= g.width) continue;
                T v = xp[h * g.width + w];
                // First maximum wins ties; the first NaN beats every number.
                if (best_index < 0 || v > best || (m_isnan(v) && !m_isnan(best)))
                {
                    best = v;
                    best_index = h * g.width + w;
                }
            }
        }
        y[i] = best_index < 0 ? -m_infinity<T>() : best;
        indices[i] = best_index;
    }
}

template <typename T>
__global__ void max_pool_backward(const T* __restrict__ gy, const int* __restrict__ indices, T* __restrict__ gx,
                                  PoolGeometry g, long long planes)
{
    GRID_STRIDE_LOOP(long long, i, planes * g.height * g.width)
    {
        InputSite site = input_site(i, g);
        long long out_base = site.plane * g.out_h * g.out_w;
        T sum = (T)0;
        for (int oh = site.oh0; oh <= site.oh1; ++oh)
            for (int ow = site.ow0; ow <= site.ow1; ++ow)
            {
                long long o = out_base + oh * g.out_w + ow;
                if (indices[o] == site.at) sum += gy[o];
            }
        gx[i] = sum;
    }
}

__device__ __forceinline__ int avg_divisor(const PoolGeometry& g, int oh, int ow)
{
    if (g.count_include_pad) return g.kernel_h * g.kernel_w;
    int h0 = oh * g.stride_h - g.pad_h, w0 = ow * g.stride_w - g.pad_w;
    int h1 = min(h0 + g.kernel_h, g.height), w1 = min(w0 + g.kernel_w, g.width);
    return (h1 - max(h0, 0)) * (w1 - max(w0, 0));
}

template <typename T>
__global__ void avg_pool_forward(const T* __restrict__ x, T* __restrict__ y, PoolGeometry g, long long planes)
{
    GRID_STRIDE_LOOP(long long, i, planes * g.out_h * g.out_w)
    {
        OutputSite site = output_site(i, g);
        const T* xp = x + site.plane * g.height * g.width;
        int h0 = site.h0, w0 = site.w0;
        T sum = (T)0;
        for (int h = max(h0, 0); h < min(h0 + g.kernel_h, g.height); ++h)
            for (int w = max(w0, 0); w < min(w0 + g.kernel_w, g.width); ++w) sum += xp[h * g.width + w];
        y[i] = sum / (T)avg_divisor(g, site.oh, site.ow);
    }
}

template <typename T>
__global__ void avg_pool_backward(const T* __restrict__ gy, T* __restrict__ gx, PoolGeometry g, long long planes)
{
    GRID_STRIDE_LOOP(long long, i, planes * g.height * g.width)
    {
        InputSite site = input_site(i, g);
        const T* gyp = gy + site.plane * g.out_h * g.out_w;
        T sum = (T)0;
        for (int oh = site.oh0; oh <= site.oh1; ++oh)
            for (int ow = site.ow0; ow <= site.ow1; ++ow) sum += gyp[oh * g.out_w + ow] / (T)avg_divisor(g, oh, ow);
        gx[i] = sum;
    }
}
