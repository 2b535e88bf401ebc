namespace Scratch;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter), exactly as <c>torch.optim.AdamW</c>: Adam with decoupled weight decay,
/// p = p − lr·λ·p before the Adam step, instead of adding λ·p to the gradient. Default λ is 1e-2.
/// Runs on the backend's fused Adam kernel.
/// </summary>
/// <remarks>Hyper-parameters and state as <see cref="Adam"/>.</remarks>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 1e-2, bool amsgrad = false)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad, decoupled: true)
    {
    }
}
