namespace Scratch;

/// <summary>
/// NAdam (Adam with Nesterov momentum, Dozat), exactly as <c>torch.optim.NAdam</c>: with ψ = momentum_decay,
/// μ_t = β1·(1 − ½·0.96^(t·ψ)); m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g²;
/// m̂ = μ_(t+1)·m / (1 − Π_(i≤t+1) μ_i) + (1 − μ_t)·g / (1 − Π_(i≤t) μ_i); v̂ = v / (1 − β2^t);
/// p = p − lr·m̂ / (√v̂ + ε). Weight decay adds λ·p to g, or with <c>decoupled_weight_decay</c>
/// first scales p by (1 − lr·λ) as AdamW does.
/// </summary>
/// <remarks>Hyper-parameters: <c>lr</c>, <c>beta1</c>, <c>beta2</c>, <c>eps</c>, <c>weight_decay</c>, <c>momentum_decay</c>,
/// <c>decoupled_weight_decay</c> (0/1). State: <c>exp_avg</c>, <c>exp_avg_sq</c>, the number <c>mu_product</c>, step.</remarks>
public sealed class NAdam : Optimizer
{
    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    public NAdam(IEnumerable<Tensor> parameters, double lr = 2e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0, double momentumDecay = 4e-3, bool decoupledWeightDecay = false)
        : base(parameters, new Dictionary<string, double>
        {
            ["lr"] = lr,
            ["beta1"] = beta1,
            ["beta2"] = beta2,
            ["eps"] = eps,
            ["weight_decay"] = weightDecay,
            ["momentum_decay"] = momentumDecay,
            ["decoupled_weight_decay"] = decoupledWeightDecay ? 1 : 0,
        })
    {
    }

    /// <inheritdoc/>
    protected override void ValidateOptions(IReadOnlyDictionary<string, double> options)
    {
        base.ValidateOptions(options);
        RequireInRange(options, "beta1", 0, 1);
        RequireInRange(options, "beta2", 0, 1);
        RequireAtLeast(options, "eps", 0);
        RequireAtLeast(options, "momentum_decay", 0);
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, NDArray param, NDArray grad, ParameterState state)
    {
        double lr = group.Lr, beta1 = group["beta1"], beta2 = group["beta2"], wd = group.WeightDecay;
        double psi = group["momentum_decay"];
        long t = state.Step;

        var g = grad;
        if (wd != 0)
        {
            if (group.Flag("decoupled_weight_decay")) param.MulInPlace(1 - lr * wd);
            else g = grad + wd * param;
        }

        double mu = beta1 * (1 - 0.5 * Math.Pow(0.96, t * psi));
        double muNext = beta1 * (1 - 0.5 * Math.Pow(0.96, (t + 1) * psi));
        double muProduct = state.Scalar("mu_product", 1.0) * mu;
        double muProductNext = muProduct * muNext;
        state.SetScalar("mu_product", muProduct);

        var expAvg = state.GetOrCreate("exp_avg", param.ZerosLike);
        var expAvgSq = state.GetOrCreate("exp_avg_sq", param.ZerosLike);
        expAvg.MulInPlace(beta1).AddInPlace((1 - beta1) * g);
        expAvgSq.MulInPlace(beta2).AddInPlace((1 - beta2) * g.Square());

        var denominator = (expAvgSq / (1 - Math.Pow(beta2, t))).Sqrt();
        denominator.AddInPlace(group["eps"]);
        param.SubInPlace(lr * (1 - mu) / (1 - muProduct) * (g / denominator));
        param.SubInPlace(lr * muNext / (1 - muProductNext) * (expAvg / denominator));
    }
}
