// Elementwise functions y = f(x) and their backward gx = gy * f'(x) (IBackend.Unary, UnaryBackward).
// The op is a runtime argument (uniform across the grid, so the branch costs nothing measurable in
// these memory-bound kernels); its values are those of Scratch.Kernels.UnaryOp.
#include "common.cuh"

#define OP_NEG 0
#define OP_ABS 1
#define OP_SIGN 2
#define OP_EXP 3
#define OP_LOG 4
#define OP_SQRT 5
#define OP_SIN 6
#define OP_COS 7
#define OP_TANH 8
#define OP_SIGMOID 9
#define OP_RELU 10
#define OP_LEAKY_RELU 11
#define OP_ELU 12
#define OP_SELU 13
#define OP_SILU 14
#define OP_GELU 15
#define OP_SOFTPLUS 16
#define OP_POW_SCALAR 17
#define OP_CLAMP 18
#define OP_RECIPROCAL 19
#define OP_SQUARE 20

#define SELU_ALPHA 1.6732632423543772
#define SELU_SCALE 1.0507009873554805
#define INV_SQRT2 0.70710678118654752440
#define INV_SQRT_2PI 0.39894228040143267794

// 1 / (1 + e^-x) without overflow: e^-|x| never exceeds 1.
template <typename T>
__device__ __forceinline__ T sigmoid_of(T x)
{
    if (x >= (T)0)
    {
        T e = m_exp(-x);
        return (T)1 / ((T)1 + e);
    }
    T e = m_exp(x);
    return e / ((T)1 + e);
}

template <typename T>
__device__ __forceinline__ T sign_of(T x)
{
    // 0, -0 and NaN map to themselves.
    return x > (T)0 ? (T)1 : (x < (T)0 ? (T)-1 : x);
}

template <typename T>
__device__ __forceinline__ T unary_value(int op, T x, T alpha, T beta)
{
    switch (op)
    {
    case OP_NEG: return -x;
    case OP_ABS: return m_abs(x);
    case OP_SIGN: return sign_of(x);
    case OP_EXP: return m_exp(x);
    case OP_LOG: return m_log(x);
    case OP_SQRT: return m_sqrt(x);
    case OP_SIN: return m_sin(x);
    case OP_COS: return m_cos(x);
    case OP_TANH: return m_tanh(x);
    case OP_SIGMOID: return sigmoid_of(x);
    case OP_RELU: return x > (T)0 ? x : (m_isnan(x) ? x : (T)0);
    case OP_LEAKY_RELU: return x > (T)0 ? x : alpha * x;
    case OP_ELU: return x > (T)0 ? x : alpha * m_expm1(x);
    case OP_SELU: return (T)SELU_SCALE * (x > (T)0 ? x : (T)SELU_ALPHA * m_expm1(x));
    case OP_SILU: return x * sigmoid_of(x);
    case OP_GELU: return (T)0.5 * x * ((T)1 + m_erf(x * (T)INV_SQRT2));
    case OP_SOFTPLUS: return alpha * x > beta ? x : m_log1p(m_exp(alpha * x)) / alpha;
    case OP_POW_SCALAR: return m_pow(x, alpha);
    case OP_CLAMP: return nan_min(nan_max(x, alpha), beta); // NaN (in x or a bound) propagates
    case OP_RECIPROCAL: return (T)1 / x;
    case OP_SQUARE: return x * x;
    default: return x;
    }
}

// Int32 supports Neg, Abs, Sign, Square and Clamp (the host rejects the others).
__device__ __forceinline__ int unary_value(int op, int x, int alpha, int beta)
{
    switch (op)
    {
    case OP_NEG: return (int)(0u - (unsigned)x);
    case OP_ABS: return x < 0 ? (int)(0u - (unsigned)x) : x;
    case OP_SIGN: return x > 0 ? 1 : (x < 0 ? -1 : 0);
    case OP_CLAMP: { int low = x > alpha ? x : alpha; return low < beta ? low : beta; } // bounds rounded inwards by the host
    case OP_SQUARE: return (int)((unsigned)x * (unsigned)x);
    default: return x;
    }
}

template <typename T>
__device__ __forceinline__ T unary_derivative_times(int op, T x, T gy, T alpha, T beta)
{
    switch (op)
    {
    case OP_NEG: return -gy;
    case OP_ABS: return gy * sign_of(x);
    case OP_SIGN: return (T)0;
    case OP_EXP: return gy * m_exp(x);
    case OP_LOG: return gy / x;
    case OP_SQRT: return gy / ((T)2 * m_sqrt(x));
    case OP_SIN: return gy * m_cos(x);
    case OP_COS: return -gy * m_sin(x);
    case OP_TANH: { T t = m_tanh(x); return gy * ((T)1 - t * t); }
    case OP_SIGMOID: { T s = sigmoid_of(x); return gy * s * ((T)1 - s); }
    case OP_RELU: return x <= (T)0 ? (T)0 : gy; // NaN passes gy through, as PyTorch's threshold_backward
    case OP_LEAKY_RELU: return x > (T)0 ? gy : gy * alpha;
    case OP_ELU: return x > (T)0 ? gy : gy * alpha * m_exp(x);
    case OP_SELU: return x > (T)0 ? gy * (T)SELU_SCALE : gy * (T)(SELU_SCALE * SELU_ALPHA) * m_exp(x);
    case OP_SILU: { T s = sigmoid_of(x); return gy * s * ((T)1 + x * ((T)1 - s)); }
    case OP_GELU:
    {
        T cdf = (T)0.5 * ((T)1 + m_erf(x * (T)INV_SQRT2));
        T pdf = (T)INV_SQRT_2PI * m_exp((T)-0.5 * x * x);
        return gy * (cdf + x * pdf);
    }
    case OP_SOFTPLUS: return alpha * x > beta ? gy : gy * sigmoid_of(alpha * x);
    case OP_POW_SCALAR: return alpha == (T)0 ? (T)0 : gy * alpha * m_pow(x, alpha - (T)1);
    case OP_CLAMP: return (x >= alpha && x <= beta) ? gy : (T)0;
    case OP_RECIPROCAL: return -gy / (x * x);
    case OP_SQUARE: return (T)2 * x * gy;
    default: return gy;
    }
}

// ---- forward -----------------------------------------------------------------------------------

template <typename T>
__global__ void unary_contig(int op, const T* x, T* y, long long n, double alpha, double beta)
{
    T a = (T)alpha, b = (T)beta;
    contiguous_loop(n, [=](long long i) { return x[i]; },
                    [=](long long i, T v) { y[i] = unary_value(op, v, a, b); });
}

template <typename T, typename I>
__global__ void unary_strided(int op, const T* x, Strides sx, T* y, Strides sy, Shape shape, long long n,
                              double alpha, double beta)
{
    T a = (T)alpha, b = (T)beta;
    GRID_STRIDE_LOOP(I, i, n)
    {
        long long ox, oy;
        offsets_of(i, shape, sx, sy, ox, oy);
        y[oy] = unary_value(op, x[ox], a, b);
    }
}

// ---- backward ----------------------------------------------------------------------------------

template <typename T>
__global__ void unary_backward_contig(int op, const T* x, const T* gy, T* gx, long long n, double alpha, double beta)
{
    struct Operands
    {
        T x, gy;
    };
    T a = (T)alpha, b = (T)beta;
    contiguous_loop(n, [=](long long i) { return Operands{x[i], gy[i]}; },
                    [=](long long i, Operands v) { gx[i] = unary_derivative_times(op, v.x, v.gy, a, b); });
}

template <typename T, typename I>
__global__ void unary_backward_strided(int op, const T* x, Strides sx, const T* gy, Strides sgy, T* gx, Strides sgx,
                                       Shape shape, long long n, double alpha, double beta)
{
    T a = (T)alpha, b = (T)beta;
    GRID_STRIDE_LOOP(I, i, n)
    {
        long long ox, ogy, ogx;
        offsets_of(i, shape, sx, sgy, sgx, ox, ogy, ogx);
        gx[ogx] = unary_derivative_times(op, x[ox], gy[ogy], a, b);
    }
}
