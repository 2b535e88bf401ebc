namespace Scratch;

/// <summary>
/// RMSprop, exactly as <c>torch.optim.RMSprop</c>: g = ∇ + λ·p; v = α·v + (1 − α)·g²; centered:
/// ḡ = α·ḡ + (1 − α)·g and the denominator is √(v − ḡ²) + ε, else √v + ε; with momentum μ > 0,
/// b = μ·b + g / denominator and p = p − lr·b, else p = p − lr·g / denominator.
/// </summary>
/// <remarks>Hyper-parameters: <c>lr</c>, <c>alpha</c>, <c>eps</c>, <c>weight_decay</c>, <c>momentum</c>, <c>centered</c> (0/1).
/// State: <c>square_avg</c>, <c>grad_avg</c> (centered), <c>momentum_buffer</c> (momentum), step.</remarks>
public sealed class RMSprop : Optimizer
{
    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    public RMSprop(IEnumerable<Tensor> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
        double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(parameters, new Dictionary<string, double>
        {
            ["lr"] = lr,
            ["alpha"] = alpha,
            ["eps"] = eps,
            ["weight_decay"] = weightDecay,
            ["momentum"] = momentum,
            ["centered"] = centered ? 1 : 0,
        })
    {
    }

    /// <inheritdoc/>
    protected override void ValidateOptions(IReadOnlyDictionary<string, double> options)
    {
        base.ValidateOptions(options);
        RequireAtLeast(options, "alpha", 0);
        RequireAtLeast(options, "eps", 0);
        RequireAtLeast(options, "momentum", 0);
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, NDArray param, NDArray grad, ParameterState state)
    {
        double lr = group.Lr, alpha = group["alpha"], eps = group["eps"], wd = group.WeightDecay, momentum = group["momentum"];
        var g = wd != 0 ? grad + wd * param : grad;

        var squareAvg = state.GetOrCreate("square_avg", param.ZerosLike);
        squareAvg.MulInPlace(alpha).AddInPlace((1 - alpha) * g.Square());

        NDArray denominator;
        if (group.Flag("centered"))
        {
            var gradAvg = state.GetOrCreate("grad_avg", param.ZerosLike);
            gradAvg.MulInPlace(alpha).AddInPlace((1 - alpha) * g);
            denominator = (squareAvg - gradAvg.Square()).Sqrt();
        }
        else
        {
            denominator = squareAvg.Sqrt();
        }
        denominator.AddInPlace(eps);

        if (momentum > 0)
        {
            var buffer = state.GetOrCreate("momentum_buffer", param.ZerosLike);
            buffer.MulInPlace(momentum).AddInPlace(g / denominator);
            param.SubInPlace(lr * buffer);
        }
        else
        {
            param.SubInPlace(lr * (g / denominator));
        }
    }
}
