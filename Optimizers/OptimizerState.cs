namespace Scratch;

/// <summary>
/// A snapshot of an optimizer (see <see cref="Optimizer.StateDict"/>) as flat name → value maps that a
/// checkpoint can store. Parameters are numbered 0, 1, … across the groups in order, as PyTorch does.
/// <list type="bullet">
/// <item><see cref="Tensors"/>: per-parameter buffers, e.g. <c>state.3.exp_avg</c>, <c>state.0.momentum_buffer</c>.</item>
/// <item><see cref="Scalars"/>: per-parameter numbers (<c>state.3.step</c>, <c>state.3.mu_product</c>),
/// hyper-parameters (<c>param_groups.0.lr</c>, <c>param_groups.1.beta1</c>) and the group sizes
/// (<c>param_groups.0.param_count</c>).</item>
/// </list>
/// The arrays are copies: the optimizer never writes to them.
/// </summary>
/// <param name="Tensors">Per-parameter buffers by name.</param>
/// <param name="Scalars">Step counts, per-parameter numbers, hyper-parameters and group sizes by name.</param>
public sealed record OptimizerState(Dictionary<string, NDArray> Tensors, Dictionary<string, double> Scalars);
