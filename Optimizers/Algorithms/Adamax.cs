using Scratch.Kernels;

namespace Scratch;

/// <summary>
/// Adamax (Adam with the infinity norm), exactly as <c>torch.optim.Adamax</c>: g = ∇ + λ·p;
/// m = β1·m + (1 − β1)·g; u = max(β2·u, |g| + ε); p = p − lr·m / ((1 − β1^t)·u).
/// </summary>
/// <remarks>Hyper-parameters: <c>lr</c>, <c>beta1</c>, <c>beta2</c>, <c>eps</c>, <c>weight_decay</c>. State: <c>exp_avg</c>, <c>exp_inf</c>, step.</remarks>
public sealed class Adamax : Optimizer
{
    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    public Adamax(IEnumerable<Tensor> parameters, double lr = 2e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0)
        : base(parameters, new Dictionary<string, double>
        {
            ["lr"] = lr,
            ["beta1"] = beta1,
            ["beta2"] = beta2,
            ["eps"] = eps,
            ["weight_decay"] = weightDecay,
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
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, NDArray param, NDArray grad, ParameterState state)
    {
        double beta1 = group["beta1"], beta2 = group["beta2"], wd = group.WeightDecay;
        var g = wd != 0 ? grad + wd * param : grad;

        var expAvg = state.GetOrCreate("exp_avg", param.ZerosLike);
        var expInf = state.GetOrCreate("exp_inf", param.ZerosLike);
        expAvg.MulInPlace(beta1).AddInPlace((1 - beta1) * g);
        var norm = g.Abs();
        norm.AddInPlace(group["eps"]);
        expInf.MulInPlace(beta2).ApplyInPlace(BinaryOp.Maximum, norm);

        double stepSize = group.Lr / (1 - Math.Pow(beta1, state.Step));
        param.SubInPlace(stepSize * (expAvg / expInf));
    }
}
