using Scratch.Checks.Reference;

namespace Scratch.Checks;

public static partial class OpRegistry
{
    /// <summary>
    /// Forward-only samples big enough for the kernels' vectorised loops (with scalar tails: odd sizes)
    /// and their multithreaded split (tens of thousands of elements).
    /// </summary>
    private static IEnumerable<OpSample> LargeSamples()
    {
        static OpSample Large(string op, string variant, InputSpec[] inputs, Func<Tensor[], Tensor> apply, Func<Ref[], Ref> reference)
            => new() { Op = op, Variant = "large." + variant, Inputs = inputs, Apply = apply, Reference = reference, CheckGradients = false };

        foreach (var op in Unary)
        {
            string name = op.Variant.Length == 0 ? "" : op.Variant + ".";
            yield return Large(op.Op, name + "37x41", [In([37, 41], op.Domain)], x => op.Apply(x[0]), r => r[0].Map(op.Reference));
            yield return Large(op.Op, name + "41x37.transposed", [In([41, 37], op.Domain, Layout.Transposed)], x => op.Apply(x[0]), r => r[0].Map(op.Reference));
        }
        yield return Large("Exp", "300x300.parallel", [In([300, 300])], x => x[0].Exp(), r => r[0].Map(Math.Exp));
        yield return Large("Gelu", "300x300.transposed.parallel", [In([300, 300], layout: Layout.Transposed)], x => x[0].Gelu(), r => r[0].Map(RefOps.Gelu));

        foreach (var op in Binary)
        {
            yield return Large(op.Op, "67x33.row", [In([67, 33], op.DomainA), In([33], op.DomainB)], x => op.Apply(x[0], x[1]), r => Ref.Zip(r[0], r[1], op.Reference));
            yield return Large(op.Op, "67x33.transposed", [In([67, 33], op.DomainA), In([67, 33], op.DomainB, Layout.Transposed)],
                x => op.Apply(x[0], x[1]), r => Ref.Zip(r[0], r[1], op.Reference));
        }
        yield return Large("op_Multiply", "250x250.parallel", [In([250, 250]), In([250, 250])], x => x[0] * x[1], r => Ref.Zip(r[0], r[1], (a, b) => a * b));

        foreach (var op in Reductions)
        {
            yield return Large(op.Op, "130x67.all", [In([130, 67], op.Domain)], x => op.Apply(x[0], null, false), r => r[0].Reduce(null, false, op.Reference));
            yield return Large(op.Op, "130x67.axis0", [In([130, 67], op.Domain)], x => op.ApplyAxis(x[0], 0, false), r => r[0].Reduce([0], false, op.Reference));
            yield return Large(op.Op, "130x67.axis1.transposed", [In([130, 67], op.Domain, Layout.Transposed)], x => op.ApplyAxis(x[0], 1, true), r => r[0].Reduce([1], true, op.Reference));
        }
        yield return Large("Sum", "300x300.parallel", [In([300, 300])], x => x[0].Sum(), r => r[0].Reduce(null, false, v => v.Sum()));

        yield return Large("Softmax", "6x300", [In([6, 300])], x => x[0].Softmax(), r => RefOps.Softmax(r[0], -1, log: false));
        yield return Large("LogSoftmax", "300x6.axis0", [In([300, 6])], x => x[0].LogSoftmax(0), r => RefOps.Softmax(r[0], 0, log: true));

        yield return Large("MatMul", "33x65.65x17", [In([33, 65]), In([65, 17])], x => Tensor.MatMul(x[0], x[1]), r => RefOps.MatMul(r[0], r[1]));
        yield return Large("MatMul", "linear.weight.transposed", [In([40, 70]), In([70, 33], layout: Layout.Transposed)], x => Tensor.MatMul(x[0], x[1]), r => RefOps.MatMul(r[0], r[1]));
        yield return Large("MatMul", "batched.transposed", [In([3, 20, 30]), In([30, 19], layout: Layout.Transposed)], x => Tensor.MatMul(x[0], x[1]), r => RefOps.MatMul(r[0], r[1]));
        yield return Large("Conv2d", "2x3x12x12.pad1", [In([2, 3, 12, 12]), In([8, 3, 3, 3]), In([8])], x => Tensor.Conv2d(x[0], x[1], x[2], padding: 1),
            r => RefOps.Conv2d(r[0], r[1], r[2], 1, 1, 1, 1));
        yield return Large("MaxPool2d", "2x3x12x12", [In([2, 3, 12, 12], Values.Grid)], x => x[0].MaxPool2d(3, 2, 1), r => RefOps.Pool2d(r[0], 3, 3, 2, 2, 1, 1, max: true));
        yield return Large("BatchNorm", "train.8x5x6x6", [In([8, 5, 6, 6]), In([5], Values.Positive), In([5])], x => Tensor.BatchNorm(x[0], x[1], x[2], null, null, training: true),
            r =>
            {
                var (mean, variance) = RefOps.ChannelStats(r[0]);
                return RefOps.BatchNorm(r[0], mean, variance, r[1], r[2], 1e-5);
            });
    }
}
