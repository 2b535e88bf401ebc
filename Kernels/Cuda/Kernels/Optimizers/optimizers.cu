// Fused optimizer steps over contiguous parameters (IBackend.SgdUpdate, AdamUpdate), in the element
// type, with the formulas of SgdUpdateParams and AdamUpdateParams.
#include "common.cuh"

template <typename T>
__global__ void sgd_update(T* __restrict__ param, const T* __restrict__ grad, T* __restrict__ momentum_buffer,
                           long long n, double lr, double momentum, double dampening, double weight_decay,
                           int nesterov, int first_step)
{
    T lr_t = (T)lr, mu = (T)momentum, damp = (T)1 - (T)dampening, wd = (T)weight_decay;
    GRID_STRIDE_LOOP(long long, i, n)
    {
        T p = param[i];
        T g = grad[i];
        if (wd != (T)0) g += wd * p;
        if (mu != (T)0)
        {
            T buf = first_step ? g : mu * momentum_buffer[i] + damp * g;
            momentum_buffer[i] = buf;
            g = nesterov ? g + mu * buf : buf;
        }
        param[i] = p - lr_t * g;
    }
}

// bias1 = 1 - beta1^t and bias2 = 1 - beta2^t come from the host (in double).
template <typename T>
__global__ void adam_update(T* __restrict__ param, const T* __restrict__ grad, T* __restrict__ m, T* __restrict__ v,
                            T* __restrict__ max_v, long long n, double lr, double beta1, double beta2, double eps,
                            double weight_decay, double bias1, double bias2, int decoupled, int amsgrad)
{
    T lr_t = (T)lr, b1 = (T)beta1, b2 = (T)beta2, eps_t = (T)eps, wd = (T)weight_decay;
    T c1 = (T)bias1, c2 = (T)bias2;
    GRID_STRIDE_LOOP(long long, i, n)
    {
        T p = param[i];
        T g = grad[i];
        if (wd != (T)0)
        {
            if (decoupled) p -= lr_t * wd * p;
            else g += wd * p;
        }
        T mi = b1 * m[i] + ((T)1 - b1) * g;
        T vi = b2 * v[i] + ((T)1 - b2) * g * g;
        m[i] = mi;
        v[i] = vi;
        T denominator_v = vi;
        if (amsgrad)
        {
            T mx = nan_max(max_v[i], vi);
            max_v[i] = mx;
            denominator_v = mx;
        }
        T m_hat = mi / c1;
        T v_hat = denominator_v / c2;
        param[i] = p - lr_t * m_hat / (m_sqrt(v_hat) + eps_t);
    }
}
