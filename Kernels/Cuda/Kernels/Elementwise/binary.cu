// Elementwise y = f(a, b) with broadcasting through strides, y = f(a, s) or f(s, a) with a scalar s
// passed by value, and y = condition ? a : b (IBackend.Binary, IBackend.BinaryScalar, IBackend.Where).
// Op values are those of Scratch.Kernels.BinaryOp.
#include "common.cuh"

#define OP_ADD 0
#define OP_SUB 1
#define OP_MUL 2
#define OP_DIV 3
#define OP_POW 4
#define OP_MAXIMUM 5
#define OP_MINIMUM 6
#define OP_EQUAL 7
#define OP_NOT_EQUAL 8
#define OP_LESS 9
#define OP_LESS_EQUAL 10
#define OP_GREATER 11
#define OP_GREATER_EQUAL 12

template <typename T>
__device__ __forceinline__ T binary_value(int op, T a, T b, int* error)
{
    switch (op)
    {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_MUL: return a * b;
    case OP_DIV: return a / b;
    case OP_POW: return m_pow(a, b);
    case OP_MAXIMUM: return nan_max(a, b);
    case OP_MINIMUM: return nan_min(a, b);
    case OP_EQUAL: return a == b ? (T)1 : (T)0;
    case OP_NOT_EQUAL: return a != b ? (T)1 : (T)0;
    case OP_LESS: return a < b ? (T)1 : (T)0;
    case OP_LESS_EQUAL: return a <= b ? (T)1 : (T)0;
    case OP_GREATER: return a > b ? (T)1 : (T)0;
    case OP_GREATER_EQUAL: return a >= b ? (T)1 : (T)0;
    default: return a;
    }
}

// Int32: division truncates like C#; division by zero (which throws in C#) is reported through the
// error word and the host throws DivideByZeroException at the next synchronisation. Pow is rejected
// by the host. int.MinValue / -1 wraps instead of throwing OverflowException.
__device__ __forceinline__ int binary_value(int op, int a, int b, int* error)
{
    switch (op)
    {
    case OP_ADD: return (int)((unsigned)a + (unsigned)b);
    case OP_SUB: return (int)((unsigned)a - (unsigned)b);
    case OP_MUL: return (int)((unsigned)a * (unsigned)b);
    case OP_DIV:
        if (b == 0)
        {
            report_error(error, SCRATCH_ERROR_DIVIDE_BY_ZERO, SCRATCH_OP_INT_DIVIDE, a, 0);
            return 0;
        }
        return (b == -1) ? (int)(0u - (unsigned)a) : a / b;
    case OP_MAXIMUM: return a > b ? a : b;
    case OP_MINIMUM: return a < b ? a : b;
    case OP_EQUAL: return a == b;
    case OP_NOT_EQUAL: return a != b;
    case OP_LESS: return a < b;
    case OP_LESS_EQUAL: return a <= b;
    case OP_GREATER: return a > b;
    case OP_GREATER_EQUAL: return a >= b;
    default: return a;
    }
}

// Contiguous y; each input either contiguous (step 1) or a broadcast scalar (step 0).
template <typename T>
__global__ void binary_contig(int op, const T* a, int step_a, const T* b, int step_b, T* y, long long n, int* error)
{
    struct Operands
    {
        T a, b;
    };
    contiguous_loop(n, [=](long long i) { return Operands{a[i * step_a], b[i * step_b]}; },
                    [=](long long i, Operands v) { y[i] = binary_value(op, v.a, v.b, error); });
}

template <typename T, typename I>
__global__ void binary_strided(int op, const T* a, Strides sa, const T* b, Strides sb, T* y, Strides sy,
                               Shape shape, long long n, int* error)
{
    GRID_STRIDE_LOOP(I, i, n)
    {
        long long oa, ob, oy;
        offsets_of(i, shape, sa, sb, sy, oa, ob, oy);
        y[oy] = binary_value(op, a[oa], b[ob], error);
    }
}

// y = f(a, s), or f(s, a) when scalar_first: s arrives as a kernel argument (already converted to T by
// the host, as a fill would store it), so no device operand is uploaded or read.
template <typename T>
__device__ __forceinline__ T binary_scalar_value(int op, T a, T s, int scalar_first, int* error)
{
    return scalar_first ? binary_value(op, s, a, error) : binary_value(op, a, s, error);
}

// Contiguous a and y.
template <typename T>
__global__ void binary_scalar_contig(int op, const T* a, T s, int scalar_first, T* y, long long n, int* error)
{
    contiguous_loop(n, [=](long long i) { return a[i]; },
                    [=](long long i, T v) { y[i] = binary_scalar_value(op, v, s, scalar_first, error); });
}

template <typename T, typename I>
__global__ void binary_scalar_strided(int op, const T* a, Strides sa, T s, int scalar_first, T* y, Strides sy,
                                      Shape shape, long long n, int* error)
{
    GRID_STRIDE_LOOP(I, i, n)
    {
        long long oa, oy;
        offsets_of(i, shape, sa, sy, oa, oy);
        y[oy] = binary_scalar_value(op, a[oa], s, scalar_first, error);
    }
}

template <typename TC, typename T, typename I>
__global__ void where_strided(const TC* condition, Strides sc, const T* a, Strides sa, const T* b, Strides sb,
                              T* y, Strides sy, Shape shape, long long n)
{
    GRID_STRIDE_LOOP(I, i, n)
    {
        long long oc, oa, ob, oy;
        offsets_of(i, shape, sc, sa, sb, sy, oc, oa, ob, oy);
        y[oy] = condition[oc] != (TC)0 ? a[oa] : b[ob];
    }
}
