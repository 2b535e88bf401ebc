using Scratch.Checks.Reference;

namespace Scratch.Checks;

/// <summary>A unary op: its domain and its scalar reference.</summary>
/// <param name="Op">Tensor member.</param>
/// <param name="Variant">Argument description ("" for defaults).</param>
/// <param name="Domain">Where the op is smooth and defined.</param>
/// <param name="Apply">The op.</param>
/// <param name="Reference">Its value at one point.</param>
public sealed record UnaryOpInfo(string Op, string Variant, Values Domain, Func<Tensor, Tensor> Apply, Func<double, double> Reference);

/// <summary>A broadcasting binary op: the name its errors use and its scalar reference.</summary>
/// <param name="Op">Tensor member.</param>
/// <param name="MessageName">The op's name in exception messages.</param>
/// <param name="DomainA">Values of the first operand.</param>
/// <param name="DomainB">Values of the second operand.</param>
/// <param name="Apply">The op.</param>
/// <param name="Reference">Its value at one point.</param>
public sealed record BinaryOpInfo(string Op, string MessageName, Values DomainA, Values DomainB, Func<Tensor, Tensor, Tensor> Apply, Func<double, double, double> Reference);

public static partial class OpRegistry
{
    /// <summary>Every unary op (with non-default arguments as separate entries).</summary>
    public static readonly UnaryOpInfo[] Unary =
    [
        new("Neg", "", Values.Uniform, x => x.Neg(), x => -x),
        new("op_UnaryNegation", "", Values.Uniform, x => -x, x => -x),
        new("Abs", "", Values.AwayFromZero, x => x.Abs(), Math.Abs),
        new("Sign", "", Values.AwayFromZero, x => x.Sign(), x => Math.Sign(x)),
        new("Exp", "", Values.Uniform, x => x.Exp(), Math.Exp),
        new("Log", "", Values.Positive, x => x.Log(), Math.Log),
        new("Sqrt", "", Values.Positive, x => x.Sqrt(), Math.Sqrt),
        new("Sin", "", Values.Uniform, x => x.Sin(), Math.Sin),
        new("Cos", "", Values.Uniform, x => x.Cos(), Math.Cos),
        new("Tanh", "", Values.Uniform, x => x.Tanh(), Math.Tanh),
        new("Sigmoid", "", Values.Uniform, x => x.Sigmoid(), RefOps.Sigmoid),
        new("Relu", "", Values.AwayFromZero, x => x.Relu(), x => Math.Max(x, 0)),
        new("LeakyRelu", "", Values.AwayFromZero, x => x.LeakyRelu(), x => x > 0 ? x : 0.01 * x),
        new("LeakyRelu", "slope0.2", Values.AwayFromZero, x => x.LeakyRelu(0.2), x => x > 0 ? x : 0.2 * x),
        new("Elu", "", Values.AwayFromZero, x => x.Elu(), x => x > 0 ? x : Math.Exp(x) - 1),
        new("Elu", "alpha0.5", Values.AwayFromZero, x => x.Elu(0.5), x => x > 0 ? x : 0.5 * (Math.Exp(x) - 1)),
        new("Selu", "", Values.AwayFromZero, x => x.Selu(), RefOps.Selu),
        new("Silu", "", Values.Uniform, x => x.Silu(), x => x * RefOps.Sigmoid(x)),
        new("Gelu", "", Values.Uniform, x => x.Gelu(), RefOps.Gelu),
        new("Softplus", "", Values.Uniform, x => x.Softplus(), x => RefOps.Softplus(x, 1, 20)),
        new("Softplus", "beta2", Values.Uniform, x => x.Softplus(beta: 2), x => RefOps.Softplus(x, 2, 20)),
        // Threshold 0 puts the linear branch above 0 and the log branch below; the values keep away from the jump at 0.
        new("Softplus", "threshold0", Values.AwayFromZero, x => x.Softplus(1, 0), x => RefOps.Softplus(x, 1, 0)),
        new("Pow", "exp2", Values.Uniform, x => x.Pow(2), x => x * x),
        new("Pow", "exp3", Values.Uniform, x => x.Pow(3), x => x * x * x),
        new("Pow", "exp0.5", Values.Positive, x => x.Pow(0.5), Math.Sqrt),
        new("Pow", "exp-1.5", Values.Positive, x => x.Pow(-1.5), x => Math.Pow(x, -1.5)),
        new("Clamp", "both", Values.Grid, x => x.Clamp(-0.5, 0.5), x => Math.Clamp(x, -0.5, 0.5)),
        new("Clamp", "min", Values.Grid, x => x.Clamp(min: -0.3), x => Math.Max(x, -0.3)),
        new("Clamp", "max", Values.Grid, x => x.Clamp(max: 0.2), x => Math.Min(x, 0.2)),
        new("Reciprocal", "", Values.AwayFromZero, x => x.Reciprocal(), x => 1 / x),
        new("Square", "", Values.Uniform, x => x.Square(), x => x * x),
    ];

    /// <summary>Every broadcasting binary op on two tensors.</summary>
    public static readonly BinaryOpInfo[] Binary =
    [
        new("op_Addition", "add", Values.Uniform, Values.Uniform, (a, b) => a + b, (a, b) => a + b),
        new("op_Subtraction", "sub", Values.Uniform, Values.Uniform, (a, b) => a - b, (a, b) => a - b),
        new("op_Multiply", "mul", Values.Uniform, Values.Uniform, (a, b) => a * b, (a, b) => a * b),
        new("op_Division", "div", Values.Uniform, Values.AwayFromZero, (a, b) => a / b, (a, b) => a / b),
        new("Pow", "pow", Values.Positive, Values.Uniform, Tensor.Pow, Math.Pow),
        new("Maximum", "maximum", Values.Grid, Values.GridShifted, Tensor.Maximum, Math.Max),
        new("Minimum", "minimum", Values.Grid, Values.GridShifted, Tensor.Minimum, Math.Min),
    ];

    /// <summary>Shapes and layouts every unary op is sampled with.</summary>
    private static readonly (string Name, int[] Shape, Layout Layout)[] UnaryShapes =
    [
        ("0d", [], Layout.Contiguous),
        ("2x3", [2, 3], Layout.Contiguous),
        ("3x2.transposed", [3, 2], Layout.Transposed),
        ("2x1x3", [2, 1, 3], Layout.Contiguous),
        ("2x3.strided", [2, 3], Layout.Strided),
        ("3x2.expanded", [3, 2], Layout.Expanded),
        ("2x0.empty", [2, 0], Layout.Contiguous),
    ];

    /// <summary>Shape pairs every binary op is sampled with: same, broadcast either way, 0-d, non-contiguous.</summary>
    private static readonly (string Name, int[] A, Layout LayoutA, int[] B, Layout LayoutB)[] BinaryShapes =
    [
        ("same", [2, 3], Layout.Contiguous, [2, 3], Layout.Contiguous),
        ("row", [2, 3], Layout.Contiguous, [3], Layout.Contiguous),
        ("column.reversed", [2, 1], Layout.Contiguous, [2, 3], Layout.Contiguous),
        ("outer", [2, 1], Layout.Contiguous, [1, 3], Layout.Contiguous),
        ("0d", [], Layout.Contiguous, [2, 3], Layout.Contiguous),
        ("rank3", [2, 1, 3], Layout.Contiguous, [4, 1], Layout.Contiguous),
        ("transposed.strided", [3, 2], Layout.Transposed, [3, 2], Layout.Strided),
        ("expanded", [3, 2], Layout.Expanded, [2], Layout.Contiguous),
    ];

    private static IEnumerable<OpSample> UnarySamples()
    {
        foreach (var op in Unary)
            foreach (var (name, shape, layout) in UnaryShapes)
            {
                string variant = op.Variant.Length == 0 ? name : $"{op.Variant}.{name}";
                yield return Sample(op.Op, variant, [In(shape, op.Domain, layout)], x => op.Apply(x[0]), r => r[0].Map(op.Reference));
            }
    }

    private static IEnumerable<OpSample> BinarySamples()
    {
        foreach (var op in Binary)
            foreach (var (name, a, layoutA, b, layoutB) in BinaryShapes)
                yield return Sample(op.Op, name, [In(a, op.DomainA, layoutA), In(b, op.DomainB, layoutB)],
                    x => op.Apply(x[0], x[1]), r => Ref.Zip(r[0], r[1], op.Reference));

        // Only one operand differentiated: the other's gradient must not be needed.
        yield return Sample("op_Multiply", "constant.b", [In([2, 3]), In([3], grad: false)], x => x[0] * x[1], r => Ref.Zip(r[0], r[1], (a, b) => a * b));
        yield return Sample("op_Division", "constant.a", [In([2, 3], grad: false), In([2, 3], Values.AwayFromZero)], x => x[0] / x[1], r => Ref.Zip(r[0], r[1], (a, b) => a / b));
        yield return Sample("Pow", "constant.exponent", [In([2, 3], Values.Positive), In([3], grad: false)], x => Tensor.Pow(x[0], x[1]), r => Ref.Zip(r[0], r[1], Math.Pow));
    }

    private static IEnumerable<OpSample> ScalarSamples()
    {
        // (op, tensor-first, scalar-first) with their references.
        var ops = new (string Op, Func<Tensor, double, Tensor> Right, Func<double, Tensor, Tensor> Left, Func<double, double, double> F, Values Domain)[]
        {
            ("op_Addition", (a, s) => a + s, (s, a) => s + a, (a, b) => a + b, Values.Uniform),
            ("op_Subtraction", (a, s) => a - s, (s, a) => s - a, (a, b) => a - b, Values.Uniform),
            ("op_Multiply", (a, s) => a * s, (s, a) => s * a, (a, b) => a * b, Values.Uniform),
            ("op_Division", (a, s) => a / s, (s, a) => s / a, (a, b) => a / b, Values.AwayFromZero),
        };
        const double s = -1.75;
        // The scalar kernels have their own contiguous, strided and broadcast (stride 0) paths.
        var shapes = new (string Name, int[] Shape, Layout Layout)[]
        {
            ("2x3", [2, 3], Layout.Contiguous),
            ("3x2.transposed", [3, 2], Layout.Transposed),
            ("2x3.strided", [2, 3], Layout.Strided),
            ("3x2.expanded", [3, 2], Layout.Expanded),
            ("0d", [], Layout.Contiguous),
            ("2x0.empty", [2, 0], Layout.Contiguous),
        };
        foreach (var (op, right, left, f, domain) in ops)
            foreach (var (name, shape, layout) in shapes)
            {
                yield return Sample(op, $"tensor.scalar.{name}", [In(shape, domain, layout)], x => right(x[0], s), r => r[0].Map(v => f(v, s)));
                yield return Sample(op, $"scalar.tensor.{name}", [In(shape, domain, layout)], x => left(s, x[0]), r => r[0].Map(v => f(s, v)));
            }
    }

    private static IEnumerable<OpSample> WhereSamples()
    {
        Func<Ref[], Ref> reference = r => Ref.Where(r[0], r[1], r[2]);
        yield return Sample("Where", "same", [In([2, 3], Values.Mask, grad: false), In([2, 3]), In([2, 3])], x => Tensor.Where(x[0], x[1], x[2]), reference);
        yield return Sample("Where", "broadcast", [In([2, 1], Values.Mask, grad: false), In([1, 3]), In([3])], x => Tensor.Where(x[0], x[1], x[2]), reference);
        yield return Sample("Where", "transposed.strided.0d",
            [In([3, 2], Values.Mask, Layout.Transposed, grad: false), In([3, 2], layout: Layout.Strided), In([])], x => Tensor.Where(x[0], x[1], x[2]), reference);
        yield return Sample("Where", "only.b", [In([2, 3], Values.Mask, grad: false), In([2, 3], grad: false), In([2, 3])], x => Tensor.Where(x[0], x[1], x[2]), reference);
    }

    private static IEnumerable<OpSample> CastAndDropoutSamples()
    {
        // Through float32 and back: 2^-10 steps on multiples of 1/4, times 3, plus 1, are all exact in float32,
        // so the finite differences see the op and not rounding.
        yield return Sample("To", "float32.roundtrip", [In([2, 3], Values.Dyadic)],
            x => (x[0].To(DType.Float32) * 3 + 1).To(DType.Float64), r => r[0].Map(v => 3 * v + 1), eps: Math.Pow(2, -10));
        yield return Sample("To", "float32.roundtrip.transposed", [In([3, 2], Values.Dyadic, Layout.Transposed)],
            x => x[0].To(DType.Float32).To(DType.Float64), r => r[0], eps: Math.Pow(2, -10));

        // A fresh generator per evaluation keeps the mask fixed across the gradient check's evaluations.
        foreach (var (name, shape, layout, p) in new[] { ("3x4.p0.3", new[] { 3, 4 }, Layout.Contiguous, 0.3), ("3x2.transposed.p0.5", new[] { 3, 2 }, Layout.Transposed, 0.5) })
        {
            yield return Sample("Dropout", name, [In(shape, layout: layout)], x => x[0].Dropout(p, training: true, new Generator(7)), r =>
            {
                var keep = Enumerable.Range(0, r[0].Data.Length).Select(i => RefPhilox.Uniform01(7, 0, i) < 1 - p ? 1 / (1 - p) : 0).ToArray();
                return Ref.Zip(r[0], new Ref(r[0].Shape, keep), (v, m) => v * m);
            });
        }
    }
}
