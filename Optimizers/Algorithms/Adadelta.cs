namespace Scratch;

/// <summary>
/// Adadelta (Zeiler), exactly as <c>torch.optim.Adadelta</c>: g = ∇ + λ·p; v = ρ·v + (1 − ρ)·g²;
/// Δ = √(u + ε) / √(v + ε)·g; u = ρ·u + (1 − ρ)·Δ²; p = p − lr·Δ.
/// </summary>
/// <remarks>Hyper-parameters: <c>lr</c>, <c>rho</c>, <c>eps</c>, <c>weight_decay</c>. State: <c>square_avg</c>, <c>acc_delta</c>, step.</remarks>
public sealed class Adadelta : Optimizer
{
    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    public Adadelta(IEnumerable<Tensor> parameters, double lr = 1.0, double rho = 0.9, double eps = 1e-6, double weightDecay = 0)
        : base(parameters, new Dictionary<string, double>
        {
            ["lr"] = lr,
            ["rho"] = rho,
            ["eps"] = eps,
            ["weight_decay"] = weightDecay,
        })
    {
    }

    /// <inheritdoc/>
    protected override void ValidateOptions(IReadOnlyDictionary<string, double> options)
    {
        base.ValidateOptions(options);
        if (!(options["rho"] >= 0 && options["rho"] <= 1))
            throw new ArgumentOutOfRangeException("rho", options["rho"], $"{Name}: rho must be in [0, 1], got {options["rho"]}");
        RequireAtLeast(options, "eps", 0);
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, NDArray param, NDArray grad, ParameterState state)
    {
        double rho = group["rho"], eps = group["eps"], wd = group.WeightDecay;
        var g = wd != 0 ? grad + wd * param : grad;

        var squareAvg = state.GetOrCreate("square_avg", param.ZerosLike);
        var accDelta = state.GetOrCreate("acc_delta", param.ZerosLike);
        squareAvg.MulInPlace(rho).AddInPlace((1 - rho) * g.Square());
        var std = (squareAvg + eps).Sqrt();
        var delta = (accDelta + eps).Sqrt();
        delta.DivInPlace(std).MulInPlace(g);
        accDelta.MulInPlace(rho).AddInPlace((1 - rho) * delta.Square());
        param.SubInPlace(group.Lr * delta);
    }
}
