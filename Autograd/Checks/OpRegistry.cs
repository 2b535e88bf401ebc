using Scratch.Checks.Reference;

namespace Scratch.Checks;

/// <summary>
/// Every differentiable <see cref="Tensor"/> op with its sample inputs, declared once. The gradient
/// checks, the forward-value checks and the bad-input checks are generated from here; an op without
/// a sample fails <c>RegistryTests</c>.
/// </summary>
public static partial class OpRegistry
{
    private static readonly Lazy<IReadOnlyList<OpSample>> _all = new(Build);

    /// <summary>All samples.</summary>
    public static IReadOnlyList<OpSample> All => _all.Value;

    /// <summary>The ops that have samples.</summary>
    public static IEnumerable<string> Ops => All.Select(s => s.Op).Distinct();

    private static List<OpSample> Build()
    {
        var samples = new List<OpSample>();
        samples.AddRange(UnarySamples());
        samples.AddRange(BinarySamples());
        samples.AddRange(ScalarSamples());
        samples.AddRange(WhereSamples());
        samples.AddRange(CastAndDropoutSamples());
        samples.AddRange(ReductionSamples());
        samples.AddRange(StatisticsSamples());
        samples.AddRange(SoftmaxSamples());
        samples.AddRange(ViewSamples());
        samples.AddRange(JoinSamples());
        samples.AddRange(IndexingSamples());
        samples.AddRange(MatMulSamples());
        samples.AddRange(ConvolutionSamples());
        samples.AddRange(PoolingSamples());
        samples.AddRange(Convolution1dSamples());
        samples.AddRange(BatchNormSamples());
        samples.AddRange(LargeSamples());
        return samples;
    }

    /// <summary>A sample (short form for the tables below).</summary>
    private static OpSample Sample(string op, string variant, InputSpec[] inputs, Func<Tensor[], Tensor> apply, Func<Ref[], Ref> reference, double? eps = null)
        => new() { Op = op, Variant = variant, Inputs = inputs, Apply = apply, Reference = reference, Eps = eps };

    /// <summary>An input of <paramref name="shape"/> (short form).</summary>
    private static InputSpec In(int[] shape, Values values = Values.Uniform, Layout layout = Layout.Contiguous, bool grad = true)
        => new(shape, values, layout, grad);
}
