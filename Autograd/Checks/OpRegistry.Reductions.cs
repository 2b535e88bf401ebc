using Scratch.Checks.Reference;

namespace Scratch.Checks;

/// <summary>A reduction over axes: both overloads (axis set and single axis) and its reference.</summary>
/// <param name="Op">Tensor member.</param>
/// <param name="MessageName">The op's name in exception messages.</param>
/// <param name="Domain">Values the samples use.</param>
/// <param name="Apply">The op over an axis set (null = all).</param>
/// <param name="ApplyAxis">The single-axis overload.</param>
/// <param name="Reference">The reduction of one group of values.</param>
public sealed record ReductionInfo(string Op, string MessageName, Values Domain, Func<Tensor, int[]?, bool, Tensor> Apply,
    Func<Tensor, int, bool, Tensor> ApplyAxis, Func<double[], double> Reference);

public static partial class OpRegistry
{
    /// <summary>The reductions.</summary>
    public static readonly ReductionInfo[] Reductions =
    [
        new("Sum", "sum", Values.Uniform, (x, a, k) => x.Sum(a, k), (x, a, k) => x.Sum(a, k), v => v.Sum()),
        new("Mean", "mean", Values.Uniform, (x, a, k) => x.Mean(a, k), (x, a, k) => x.Mean(a, k), v => v.Average()),
        // The grid has no ties, so the maximum is unique and stays put under a 1e-6 perturbation.
        new("Max", "max", Values.Grid, (x, a, k) => x.Max(a, k), (x, a, k) => x.Max(a, k), v => v.Max()),
        new("Min", "min", Values.Grid, (x, a, k) => x.Min(a, k), (x, a, k) => x.Min(a, k), v => v.Min()),
        new("LogSumExp", "logsumexp", Values.Uniform, (x, a, k) => x.LogSumExp(a, k), (x, a, k) => x.LogSumExp(a, k), v => Math.Log(v.Sum(Math.Exp))),
    ];

    /// <summary>Axis configurations every reduction is sampled with (axis = single-axis overload).</summary>
    private static readonly (string Name, int[] Shape, Layout Layout, int[]? Axes, int? Axis, bool KeepDim)[] ReductionCases =
    [
        ("all", [2, 3], Layout.Contiguous, null, null, false),
        ("all.keepdim", [2, 3], Layout.Contiguous, null, null, true),
        ("axis1", [2, 3], Layout.Contiguous, null, 1, false),
        ("axis0.keepdim", [2, 3], Layout.Contiguous, null, 0, true),
        ("axis-1.rank3", [2, 3, 2], Layout.Contiguous, [-1], null, false),
        ("axes0,2.keepdim", [2, 3, 2], Layout.Contiguous, [0, 2], null, true),
        ("axes2,0", [2, 3, 2], Layout.Contiguous, [2, 0], null, false),
        ("axis1.transposed", [3, 2], Layout.Transposed, [1], null, false),
        ("axis0.transposed.keepdim", [3, 2], Layout.Transposed, null, 0, true),
        ("axis-1.strided", [2, 3], Layout.Strided, [-1], null, false),
        ("size1.axis", [2, 1, 3], Layout.Contiguous, [1], null, false),
        ("0d", [], Layout.Contiguous, null, null, false),
        // A 0-d array's axis 0 (or −1) is the array itself: nothing is reduced, as in PyTorch.
        ("0d.axis0", [], Layout.Contiguous, null, 0, false),
        ("0d.axes-1.keepdim", [], Layout.Contiguous, [-1], null, true),
    ];

    private static IEnumerable<OpSample> ReductionSamples()
    {
        foreach (var op in Reductions)
        {
            foreach (var (name, shape, layout, axes, axis, keepDim) in ReductionCases)
            {
                int[]? refAxes = axis is int single ? [single] : axes;
                Func<Tensor[], Tensor> apply = axis is int a ? x => op.ApplyAxis(x[0], a, keepDim) : x => op.Apply(x[0], axes, keepDim);
                yield return Sample(op.Op, name, [In(shape, op.Domain, layout)], apply, r => r[0].Reduce(refAxes, keepDim, op.Reference));
            }
        }

        // Empty dims where they mean something: a sum over an empty axis is 0; reducing a non-empty axis of an empty array is empty.
        yield return Sample("Sum", "empty.axis", [In([2, 0])], x => x[0].Sum(1), r => r[0].Reduce([1], false, v => v.Sum()));
        yield return Sample("Sum", "empty.axis.keepdim.then.mul", [In([2, 0]), In([2, 1])], x => x[0].Sum(1, keepDim: true) * x[1],
            r => Ref.Zip(r[0].Reduce([1], true, v => v.Sum()), r[1], (a, b) => a * b));
        yield return Sample("Sum", "empty.other.axis", [In([0, 3])], x => x[0].Sum(1), r => r[0].Reduce([1], false, v => v.Sum()));
        yield return Sample("Mean", "empty.other.axis", [In([0, 3])], x => x[0].Mean(1), r => r[0].Reduce([1], false, v => v.Average()));
    }

    private static IEnumerable<OpSample> StatisticsSamples()
    {
        var cases = new (string Name, int[] Shape, Layout Layout, int[]? Axes, bool KeepDim, bool Unbiased)[]
        {
            ("all", [2, 3], Layout.Contiguous, null, false, true),
            ("axis1.keepdim.biased", [2, 3], Layout.Contiguous, [1], true, false),
            ("axes0,2.keepdim", [2, 3, 2], Layout.Contiguous, [0, 2], true, true),
            ("axis0.transposed", [3, 2], Layout.Transposed, [0], false, true),
        };
        foreach (var (name, shape, layout, axes, keepDim, unbiased) in cases)
        {
            double Var(double[] v)
            {
                double mean = v.Average();
                return v.Sum(x => (x - mean) * (x - mean)) / (v.Length - (unbiased ? 1 : 0));
            }
            yield return Sample("Var", name, [In(shape, layout: layout)], x => x[0].Var(axes, keepDim, unbiased), r => r[0].Reduce(axes, keepDim, Var));
            yield return Sample("Std", name, [In(shape, layout: layout)], x => x[0].Std(axes, keepDim, unbiased), r => r[0].Reduce(axes, keepDim, v => Math.Sqrt(Var(v))));
        }
    }

    private static IEnumerable<OpSample> SoftmaxSamples()
    {
        var cases = new (string Name, int[] Shape, Layout Layout, int Axis)[]
        {
            ("2x3.axis-1", [2, 3], Layout.Contiguous, -1),
            ("2x3.axis0", [2, 3], Layout.Contiguous, 0),
            ("2x3x2.axis1", [2, 3, 2], Layout.Contiguous, 1),
            ("3x2.transposed.axis-1", [3, 2], Layout.Transposed, -1),
            ("2x3.strided.axis1", [2, 3], Layout.Strided, 1),
            ("4.axis0", [4], Layout.Contiguous, 0),
            ("2x1.axis1", [2, 1], Layout.Contiguous, 1),
            ("0d.axis0", [], Layout.Contiguous, 0),
        };
        foreach (var (name, shape, layout, axis) in cases)
        {
            // Scaled inputs so the outputs are far from uniform.
            yield return Sample("Softmax", name, [In(shape, layout: layout)], x => (x[0] * 3).Softmax(axis), r => RefOps.Softmax(r[0].Map(v => 3 * v), axis, log: false));
            yield return Sample("LogSoftmax", name, [In(shape, layout: layout)], x => (x[0] * 3).LogSoftmax(axis), r => RefOps.Softmax(r[0].Map(v => 3 * v), axis, log: true));
        }
    }
}
