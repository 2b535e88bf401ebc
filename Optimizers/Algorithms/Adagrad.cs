namespace Scratch;

/// <summary>
/// Adagrad, exactly as <c>torch.optim.Adagrad</c>: lr_t = lr / (1 + (t − 1)·lr_decay); g = ∇ + λ·p;
/// s = s + g² (s starts at <c>initial_accumulator_value</c>); p = p − lr_t·g / (√s + ε).
/// </summary>
/// <remarks>Hyper-parameters: <c>lr</c>, <c>lr_decay</c>, <c>weight_decay</c>, <c>initial_accumulator_value</c>, <c>eps</c>.
/// State: <c>sum</c>, step.</remarks>
public sealed class Adagrad : Optimizer
{
    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    public Adagrad(IEnumerable<Tensor> parameters, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0,
        double initialAccumulatorValue = 0, double eps = 1e-10)
        : base(parameters, new Dictionary<string, double>
        {
            ["lr"] = lr,
            ["lr_decay"] = lrDecay,
            ["weight_decay"] = weightDecay,
            ["initial_accumulator_value"] = initialAccumulatorValue,
            ["eps"] = eps,
        })
    {
    }

    /// <inheritdoc/>
    protected override void ValidateOptions(IReadOnlyDictionary<string, double> options)
    {
        base.ValidateOptions(options);
        RequireAtLeast(options, "lr_decay", 0);
        RequireAtLeast(options, "initial_accumulator_value", 0);
        RequireAtLeast(options, "eps", 0);
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, NDArray param, NDArray grad, ParameterState state)
    {
        double wd = group.WeightDecay, initial = group["initial_accumulator_value"];
        double clr = group.Lr / (1 + (state.Step - 1) * group["lr_decay"]);
        var g = wd != 0 ? grad + wd * param : grad;

        var sum = state.GetOrCreate("sum", () => NDArray.Full(param.ShapeArray(), initial, param.DType, param.Device));
        sum.AddInPlace(g.Square());
        var std = sum.Sqrt();
        std.AddInPlace(group["eps"]);
        param.SubInPlace(clr * (g / std));
    }
}
