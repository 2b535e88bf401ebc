using Scratch.Kernels;

namespace Scratch;

/// <summary>
/// Adam (Kingma &amp; Ba), exactly as <c>torch.optim.Adam</c>: g = ∇ + λ·p (L2 weight decay);
/// m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g²; with AMSGrad v_max = max(v_max, v) replaces v;
/// p = p − lr·(m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε). Runs on the backend's fused Adam kernel.
/// </summary>
/// <remarks>Hyper-parameters: <c>lr</c>, <c>beta1</c>, <c>beta2</c>, <c>eps</c>, <c>weight_decay</c>, <c>amsgrad</c> (0/1).
/// State: <c>exp_avg</c>, <c>exp_avg_sq</c>, <c>max_exp_avg_sq</c> (AMSGrad), step.</remarks>
public class Adam : Optimizer
{
    private readonly bool _decoupled;

    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0, bool amsgrad = false)
        : this(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad, decoupled: false)
    {
    }

    /// <summary>For <see cref="AdamW"/>: the same algorithm with decoupled weight decay.</summary>
    private protected Adam(IEnumerable<Tensor> parameters, double lr, double beta1, double beta2, double eps,
        double weightDecay, bool amsgrad, bool decoupled)
        : base(parameters, new Dictionary<string, double>
        {
            ["lr"] = lr,
            ["beta1"] = beta1,
            ["beta2"] = beta2,
            ["eps"] = eps,
            ["weight_decay"] = weightDecay,
            ["amsgrad"] = amsgrad ? 1 : 0,
        })
    {
        _decoupled = decoupled;
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
        bool amsgrad = group.Flag("amsgrad");
        var m = state.GetOrCreate("exp_avg", param.ZerosLike);
        var v = state.GetOrCreate("exp_avg_sq", param.ZerosLike);
        var maxV = amsgrad ? state.GetOrCreate("max_exp_avg_sq", param.ZerosLike) : null;
        if (state.Step > int.MaxValue)
            throw new InvalidOperationException($"{Name}: step count {state.Step} exceeds the kernel's limit {int.MaxValue}");
        var p = new AdamUpdateParams(group.Lr, group["beta1"], group["beta2"], group["eps"], group.WeightDecay,
            (int)state.Step, _decoupled, amsgrad);
        var g = grad.Contiguous();
        UpdateContiguous(param, work => NDArray.AdamUpdate(work, g, m, v, maxV, p));
    }
}
