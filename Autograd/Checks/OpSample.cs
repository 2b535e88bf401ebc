using Scratch.Checks.Reference;

namespace Scratch.Checks;

/// <summary>How a sample's input values are drawn (deterministically from the sample's id).</summary>
public enum Values
{
    /// <summary>Uniform on [−1, 1).</summary>
    Uniform,
    /// <summary>Uniform on [0.5, 2): for log, sqrt, pow bases.</summary>
    Positive,
    /// <summary>Random sign times [0.1, 1.1): keeps abs, relu, sign, 1/x away from their kink or pole at 0.</summary>
    AwayFromZero,
    /// <summary>A shuffled grid of distinct values k·0.1 + 0.01: no ties, so max/min and their gradients are well defined.</summary>
    Grid,
    /// <summary>The grid shifted by 0.05: never within 0.04 of a <see cref="Grid"/> value (second operand of maximum/minimum).</summary>
    GridShifted,
    /// <summary>Multiples of 1/4 in [−2, 2]: exact in float32 (for casts).</summary>
    Dyadic,
    /// <summary>Random 0 or 1 (a condition; never differentiated).</summary>
    Mask,
}

/// <summary>
/// How an input is laid out in memory. The sample's inputs are created contiguous in their stored
/// shape and turned into the logical shape inside the differentiated function, so gradient checks
/// go through the non-contiguous view as well.
/// </summary>
public enum Layout
{
    /// <summary>Stored as is.</summary>
    Contiguous,
    /// <summary>Stored with the last two dims swapped, then transposed back (a non-contiguous view).</summary>
    Transposed,
    /// <summary>Stored with last dim 2n + 1, then every other element from index 1 taken (stride 2, offset 1).</summary>
    Strided,
    /// <summary>Stored with dim 0 of size 1, then expanded (stride 0).</summary>
    Expanded,
}

/// <summary>One input of a sample: its logical shape, values, layout, and whether it is differentiated.</summary>
/// <param name="Shape">Logical shape, as the op sees it.</param>
/// <param name="Values">How values are drawn.</param>
/// <param name="Layout">Memory layout.</param>
/// <param name="RequiresGrad">False for constants (conditions, indices).</param>
public sealed record InputSpec(int[] Shape, Values Values = Values.Uniform, Layout Layout = Layout.Contiguous, bool RequiresGrad = true)
{
    /// <summary>Fixed Int32 values (index inputs); when set the input is Int32 and never differentiated.</summary>
    public int[]? Ints { get; init; }

    /// <summary>An Int32 index input with the given values.</summary>
    public static InputSpec Index(int[] shape, params int[] values) => new(shape, RequiresGrad: false) { Ints = values };

    /// <summary>The shape the input has in memory.</summary>
    public int[] StoredShape => Layout switch
    {
        Layout.Transposed => [.. Shape[..^2], Shape[^1], Shape[^2]],
        Layout.Strided => [.. Shape[..^1], 2 * Shape[^1] + 1],
        Layout.Expanded => [1, .. Shape[1..]],
        _ => Shape,
    };

    /// <summary>The stored tensor seen in the logical shape (a view made by the code under test).</summary>
    public Tensor View(Tensor stored) => Layout switch
    {
        Layout.Transposed => stored.Transpose(-2, -1),
        Layout.Strided => stored.Slice(-1, 1, null, 2),
        Layout.Expanded => stored.Expand(Shape),
        _ => stored,
    };

    /// <summary>The stored values seen in the logical shape (computed naively).</summary>
    public Ref Logical(Ref stored) => Layout switch
    {
        Layout.Transposed => stored.Transpose(-2, -1),
        Layout.Strided => stored.Slice(-1, 1, stored.Shape[^1], 2),
        Layout.Expanded => stored.BroadcastTo(Shape),
        _ => stored,
    };
}

/// <summary>
/// One sample of one differentiable op (OpInfo-style): inputs, the op applied to them, and a naive
/// float64 reference of its forward value. The registry's tests (gradient checks, forward values,
/// bad inputs) are all generated from these.
/// </summary>
public sealed class OpSample
{
    /// <summary>The <see cref="Tensor"/> member the sample exercises (e.g. <c>Exp</c>, <c>op_Addition</c>).</summary>
    public required string Op { get; init; }

    /// <summary>What distinguishes this sample from the op's others (shapes, layout, arguments).</summary>
    public required string Variant { get; init; }

    /// <summary>Unique name: op.variant.</summary>
    public string Id => $"{Op}.{Variant}";

    /// <summary>The inputs.</summary>
    public required InputSpec[] Inputs { get; init; }

    /// <summary>The op applied to the logical (already laid out) inputs.</summary>
    public required Func<Tensor[], Tensor> Apply { get; init; }

    /// <summary>Naive float64 forward on the logical input values (index inputs come as their Int32 values converted to double).</summary>
    public required Func<Ref[], Ref> Reference { get; init; }

    /// <summary>
    /// Finite-difference step when the default 1e-6 cannot be represented by the op (casts through
    /// float32 use 2^-10, which float32 holds exactly); null for the default.
    /// </summary>
    public double? Eps { get; init; }

    /// <summary>
    /// False for the large samples that reach the kernels' SIMD and multithreaded paths: their forward
    /// values are checked, but a full finite-difference Jacobian of thousands of elements would be slow.
    /// </summary>
    public bool CheckGradients { get; init; } = true;

    /// <summary>The function the gradient check differentiates: layout views, then the op.</summary>
    public Tensor Run(Tensor[] stored) => Apply(stored.Select((t, i) => Inputs[i].View(t)).ToArray());

    /// <summary>Stored input values (float64), drawn deterministically from the sample id.</summary>
    public double[][] StoredValues()
    {
        var random = new SplitMix(Id);
        return Inputs.Select(spec => spec.Ints is { } ints
            ? ints.Select(i => (double)i).ToArray()
            : Draw(spec.Values, Ref.Product(spec.StoredShape), random)).ToArray();
    }

    /// <summary>
    /// Stored input tensors with float inputs in <paramref name="dtype"/> on <paramref name="device"/>
    /// (the CPU by default), and the values they hold.
    /// </summary>
    public (Tensor[] Tensors, double[][] Values) MakeInputs(DType dtype, Device? device = null)
    {
        var values = StoredValues();
        var tensors = new Tensor[Inputs.Length];
        for (int i = 0; i < Inputs.Length; i++)
        {
            var spec = Inputs[i];
            if (spec.Ints is { } ints)
            {
                tensors[i] = Tensor.FromArray(ints, spec.StoredShape, device: device);
                continue;
            }
            if (dtype == DType.Float32)
            {
                var rounded = values[i].Select(v => (float)v).ToArray();
                values[i] = rounded.Select(v => (double)v).ToArray();
                tensors[i] = Tensor.FromArray(rounded, spec.StoredShape, spec.RequiresGrad, device);
            }
            else tensors[i] = Tensor.FromArray(values[i], spec.StoredShape, spec.RequiresGrad, device);
            tensors[i].Name = $"input{i}";
        }
        return (tensors, values);
    }

    /// <summary>The reference output for stored values <paramref name="values"/>.</summary>
    public Ref Expected(double[][] values)
        => Reference(Inputs.Select((spec, i) => spec.Logical(new Ref(spec.StoredShape, values[i]))).ToArray());

    /// <inheritdoc/>
    public override string ToString() => Id;

    private static double[] Draw(Values kind, int count, SplitMix random)
    {
        switch (kind)
        {
            case Values.Grid:
            case Values.GridShifted:
            {
                double shift = kind == Values.Grid ? 0.01 : 0.06;
                var grid = Enumerable.Range(0, count).Select(k => (k - count / 2) * 0.1 + shift).ToArray();
                for (int i = count - 1; i > 0; i--)
                {
                    int j = (int)(random.Next() * (i + 1));
                    (grid[i], grid[j]) = (grid[j], grid[i]);
                }
                return grid;
            }
            default:
                return Enumerable.Range(0, count).Select(_ => kind switch
                {
                    Values.Positive => 0.5 + 1.5 * random.Next(),
                    Values.AwayFromZero => (random.Next() < 0.5 ? -1 : 1) * (0.1 + random.Next()),
                    Values.Dyadic => Math.Floor(random.Next() * 17) / 4 - 2,
                    Values.Mask => random.Next() < 0.5 ? 0.0 : 1.0,
                    _ => 2 * random.Next() - 1,
                }).ToArray();
        }
    }

    /// <summary>SplitMix64 seeded by a stable hash of a string: the same sample always gets the same values.</summary>
    private sealed class SplitMix(string seed)
    {
        private ulong _state = Fnv1a(seed);

        public double Next()
        {
            ulong z = _state += 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }

        private static ulong Fnv1a(string text)
        {
            ulong hash = 0xCBF29CE484222325;
            foreach (char c in text) hash = (hash ^ c) * 0x100000001B3;
            return hash;
        }
    }
}
