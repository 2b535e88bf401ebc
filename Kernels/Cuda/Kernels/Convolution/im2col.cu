// The data rearrangements around the GEMMs of conv2d (IBackend.Conv2dForward/BackwardData/
// BackwardWeight). For a chunk of nc samples, the column matrix has rows r = (c*KH + kh)*KW + kw and
// columns (n, oh*OW + ow): col[r][n][p], contiguous. Forward and backward-weight multiply it with the
// weights; backward-data folds the gradient's column matrix back onto the image (col2im) as a gather
// over the taps, so no atomics are needed and the sum order is fixed.
#include "common.cuh"

struct ConvGeometry
{
    int channels, height, width;   // of the input image
    int kernel_h, kernel_w;
    int out_h, out_w;
    int stride_h, stride_w;
    int pad_h, pad_w;
    int dilation_h, dilation_w;
};

// col[r][n][p] = x[n][c][h][w] (0 outside the image) for samples x[0 .. nc).
template <typename T, typename I>
__global__ void im2col(const T* __restrict__ x, T* __restrict__ col, ConvGeometry g, int nc)
{
    I plane = (I)g.out_h * g.out_w;
    I total = (I)g.channels * g.kernel_h * g.kernel_w * nc * plane;
    GRID_STRIDE_LOOP(I, i, total)
    {
        I p = i % plane;
        I rest = i / plane;
        I n = rest % nc;
        I r = rest / nc;
        int kw = (int)(r % g.kernel_w);
        int kh = (int)((r / g.kernel_w) % g.kernel_h);
        int c = (int)(r / ((I)g.kernel_w * g.kernel_h));
        int oh = (int)(p / g.out_w), ow = (int)(p % g.out_w);
        int h = oh * g.stride_h - g.pad_h + kh * g.dilation_h;
        int w = ow * g.stride_w - g.pad_w + kw * g.dilation_w;
        T value = (T)0;
        if (h >= 0 && h < g.height && w >= 0 && w < g.width)
            value = x[((n * g.channels + c) * g.height + h) * (I)g.width + w];
        col[i] = value;
    }
}

// gx[n][c][h][w] = sum over taps (kh, kw) that read (h, w) of gcol[r][n][p], in tap order.
template <typename T, typename I>
__global__ void col2im(const T* __restrict__ gcol, T* __restrict__ gx, ConvGeometry g, int nc)
{
    I plane = (I)g.out_h * g.out_w;
    I total = (I)nc * g.channels * g.height * g.width;
    GRID_STRIDE_LOOP(I, i, total)
    {
        int w = (int)(i % g.width);
        int h = (int)((i / g.width) % g.height);
        int c = (int)((i / ((I)g.width * g.height)) % g.channels);
        I n = i / ((I)g.width * g.height * g.channels);
        T sum = (T)0;
        for (int kh = 0; kh < g.kernel_h; ++kh)
        {
            int oh_scaled = h + g.pad_h - kh * g.dilation_h;
            if (oh_scaled < 0 || oh_scaled % g.stride_h != 0) continue;
            int oh = oh_scaled / g.stride_h;
            if (oh >= g.out_h) continue;
            for (int kw = 0; kw < g.kernel_w; ++kw)
            {
                int ow_scaled = w + g.pad_w - kw * g.dilation_w;
                if (ow_scaled < 0 || ow_scaled % g.stride_w != 0) continue;
                int ow = ow_scaled / g.stride_w;
                if (ow >= g.out_w) continue;
                I r = ((I)c * g.kernel_h + kh) * g.kernel_w + kw;
                sum += gcol[(r * nc + n) * plane + (I)oh * g.out_w + ow];
            }
        }
        gx[i] = sum;
    }
}
