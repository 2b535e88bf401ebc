// Fused optimizer steps over contiguous parameters (IBackend.SgdUpdate, AdamUpdate), in the element
// type, with the formulas of SgdUpdateParams and AdamUpdateParams. Constants that combine several
// hyper-parameters (1 - dampening, lr / (1 - beta1^t), ...) are computed once on the host in double,
// as the CPU backend does, so both round the same way.
#include "common.cuh"

template <typename T>
__global__ void sgd_update(T* __restrict__ param, const T* __restrict__ grad, T* __restrict__ momentum_buffer,
                           long long n, double lr, double momentum, double one_minus_dampening, double weight_decay,
                           int nesterov, int first_step)
{
    T lr_t = (T)lr, mu = (T)momentum, keep = (T)one_minus_dampening, wd = (T)weight_decay;
    GRID_STRIDE_LOOP(long long, i, n)
    {
        T p = param[i];
        T g = grad[i];
        if (weight_decay != 0.0) g += wd * p;
        if (momentum_buffer != 0)
        {
            T buf = first_step ? g : mu * momentum_buffer[i] + keep * g;
            momentum_buffer[i] = buf;
            g = nesterov ? g + mu * buf : buf;
        }
        param[i] = p - lr_t * g;
    }
}

// decay: 0 none, 1 L2 (g += wd*p), 2 decoupled (p *= 1 - lr*wd).
// p -= step_size * m / (sqrt(v) / correction2_sqrt + eps), step_size = lr / (1 - beta1^t),
// correction2_sqrt = sqrt(1 - beta2^t): Adam's m_hat / (sqrt(v_hat) + eps) rearranged as PyTorch does.
template <typename T>
__global__ void adam_update(T* __restrict__ param, const T* __restrict__ grad, T* __restrict__ m, T* __restrict__ v,
                            T* __restrict__ max_v, long long n, double beta1, double beta2, double one_minus_beta1,
                            double one_minus_beta2, double eps, double weight_decay, double decay_factor,
                            double step_size, double correction2_sqrt, int decay, int amsgrad)
{
    T b1 = (T)beta1, b2 = (T)beta2, c1 = (T)one_minus_beta1, c2 = (T)one_minus_beta2, eps_t = (T)eps;
    T wd = (T)weight_decay, factor = (T)decay_factor, step = (T)step_size, corr = (T)correction2_sqrt;
    GRID_STRIDE_LOOP(long long, i, n)
    {
        T p = param[i];
        T g = grad[i];
        if (decay == 2) p *= factor;
        else if (decay == 1) g += wd * p;
        T mi = b1 * m[i] + c1 * g;
        T vi = b2 * v[i] + c2 * (g * g);
        m[i] = mi;
        v[i] = vi;
        if (amsgrad)
        {
            vi = nan_max(max_v[i], vi);
            max_v[i] = vi;
        }
        param[i] = p - step * (mi / (m_sqrt(vi) / corr + eps_t));
    }
}
