using Scratch.Kernels;

namespace Scratch;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay,
/// exactly as <c>torch.optim.SGD</c>: g = ∇ + λ·p; with momentum μ, b = g on the first step, else
/// b = μ·b + (1 − dampening)·g, then g = g + μ·b (Nesterov) or g = b; finally p = p − lr·g.
/// Classical momentum is <c>new SGD(ps, lr, momentum: 0.9)</c>; Nesterov adds <c>nesterov: true</c>.
/// Runs on the backend's fused SGD kernel.
/// </summary>
/// <remarks>Hyper-parameters: <c>lr</c>, <c>momentum</c>, <c>dampening</c>, <c>weight_decay</c>, <c>nesterov</c> (0/1). State: <c>momentum_buffer</c>.</remarks>
public sealed class SGD : Optimizer
{
    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    public SGD(IEnumerable<Tensor> parameters, double lr = 1e-3, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false)
        : base(parameters, new Dictionary<string, double>
        {
            ["lr"] = lr,
            ["momentum"] = momentum,
            ["dampening"] = dampening,
            ["weight_decay"] = weightDecay,
            ["nesterov"] = nesterov ? 1 : 0,
        })
    {
    }

    /// <inheritdoc/>
    protected override void ValidateOptions(IReadOnlyDictionary<string, double> options)
    {
        base.ValidateOptions(options);
        RequireAtLeast(options, "momentum", 0);
        if (options["nesterov"] != 0 && (options["momentum"] <= 0 || options["dampening"] != 0))
            throw new ArgumentException($"{Name}: Nesterov momentum needs momentum > 0 and dampening 0, got momentum {options["momentum"]}, dampening {options["dampening"]}");
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, NDArray param, NDArray grad, ParameterState state)
    {
        double momentum = group["momentum"];
        NDArray? buffer = null;
        bool firstStep = false;
        if (momentum != 0)
        {
            buffer = state.Find("momentum_buffer");
            if (buffer is null)
            {
                // The kernel sets the buffer to g on the first step; zeros just give it memory.
                buffer = param.ZerosLike();
                state.Set("momentum_buffer", buffer);
                firstStep = true;
            }
        }
        var p = new SgdUpdateParams(group.Lr, momentum, group["dampening"], group.WeightDecay, group.Flag("nesterov"), firstStep);
        var g = grad.Contiguous();
        UpdateContiguous(param, work => NDArray.SgdUpdate(work, g, buffer, p));
    }
}
