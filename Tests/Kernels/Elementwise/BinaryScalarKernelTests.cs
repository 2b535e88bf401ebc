using NUnit.Framework;
using Scratch.Tests.Support;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using static Scratch.Tests.Kernels.Elementwise.TestViews;

namespace Scratch.Tests.Kernels.Elementwise;

/// <summary>
/// <see cref="IBackend.BinaryScalar"/> on the CPU: against naive float64 loops written here, on every
/// path (contiguous SIMD with tails, parallel, strided, broadcast, in place, empty, 0-d), and against
/// <see cref="IBackend.Binary"/> with a broadcast 1-element operand, which it must match bit for bit.
/// </summary>
public class BinaryScalarKernelTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Instance;

    private static double Reference(BinaryOp op, double a, double b, DType dtype) => BinaryReference.Of(op, a, b, dtype);

    /// <summary>The scalar as the dtype stores it (the contract: as Fill converts), written out independently.</summary>
    private static double Stored(double s, DType dtype) => dtype switch
    {
        DType.Float32 => (float)s,
        DType.Int32 => double.IsNaN(s) ? 0 : s >= int.MaxValue ? int.MaxValue : s <= int.MinValue ? int.MinValue : Math.Truncate(s),
        _ => s,
    };

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (var op in Enum.GetValues<BinaryOp>())
            foreach (var dtype in new[] { DType.Float32, DType.Float64, DType.Int32 })
                if (!(op == BinaryOp.Pow && dtype == DType.Int32))
                    foreach (bool scalarFirst in new[] { false, true })
                        yield return new TestCaseData(op, dtype, scalarFirst);
    }

    /// <summary>Array values and a scalar for op: integers for Int32, positive bases for Pow, some elements equal to the scalar.</summary>
    private static (double[] Values, double Scalar) Operands(BinaryOp op, DType dtype, bool scalarFirst, int count, int seed)
    {
        var values = Range(count, -20, 20, seed);
        double s = -3.25;
        if (op == BinaryOp.Pow) (values, s) = scalarFirst ? (Range(count, -2, 2, seed), 1.7) : (Range(count, 0.1, 3, seed), -1.3);
        if (dtype == DType.Int32)
        {
            values = Array.ConvertAll(values, Math.Round);
            s = -3;
        }
        values = Rounded(dtype, values);
        // Int32 division by zero throws: keep zeros out of the divisor.
        if (op == BinaryOp.Div && dtype == DType.Int32 && scalarFirst)
            for (int i = 0; i < count; i++) if (values[i] == 0) values[i] = 5;
        // Ties for the comparisons and for maximum/minimum.
        for (int i = 0; i < count; i += 7) values[i] = Stored(s, dtype);
        return (values, s);
    }

    // Add, Sub, Mul, Div of float32 values computed in float64 and rounded once are the float32 results exactly
    // (float64 has more than 2·24 + 2 bits); Pow goes through the library pow of either width.
    private static double Tolerance(BinaryOp op, DType dtype) => op != BinaryOp.Pow ? 0 : dtype == DType.Float32 ? 2e-6 : 1e-14;

    private static double[] Expected(BinaryOp op, DType dtype, double[] values, double s, bool scalarFirst)
    {
        double stored = Stored(s, dtype);
        return Rounded(dtype, values.Select(v => scalarFirst ? Reference(op, stored, v, dtype) : Reference(op, v, stored, dtype)).ToArray());
    }

    private static void Expect(BufferView y, BinaryOp op, DType dtype, double[] values, double s, bool scalarFirst, string what)
        => AssertClose(Read(y), Expected(op, dtype, values, s, scalarFirst), Tolerance(op, dtype), 0, $"{op} {dtype} scalarFirst={scalarFirst} {what}");

    [TestCaseSource(nameof(Cases))]
    public void EveryLayoutMatchesTheNaiveLoop(BinaryOp op, DType dtype, bool scalarFirst)
    {
        // 301 elements: whole SIMD vectors plus a tail of every width.
        var (values, s) = Operands(op, dtype, scalarFirst, 301, seed: 3);
        var y = Output(dtype, 301);
        Cpu.BinaryScalar(op, Contiguous(dtype, values, 301), s, scalarFirst, y);
        Expect(y, op, dtype, values, s, scalarFirst, "contiguous");

        // A view that starts inside its buffer.
        var offset = Strided(dtype, values, [7, 43], [43, 1], 11);
        var yo = Strided(dtype, new double[301], [7, 43], [43, 1], 3);
        Cpu.BinaryScalar(op, offset, s, scalarFirst, yo);
        Expect(yo, op, dtype, values, s, scalarFirst, "offset input and output");

        var transposed = Transposed(dtype, values, 7, 43);
        var yt = Output(dtype, 7, 43);
        Cpu.BinaryScalar(op, transposed, s, scalarFirst, yt);
        Expect(yt, op, dtype, values, s, scalarFirst, "transposed input");

        // Every third element of the input, written into every other element of the output.
        var strided = Strided(dtype, values, [7, 43], [3 * 43, 3], 2);
        var ys = Strided(dtype, new double[301], [7, 43], [2 * 43, 2], 1);
        Cpu.BinaryScalar(op, strided, s, scalarFirst, ys);
        Expect(ys, op, dtype, values, s, scalarFirst, "strided input and output");

        // A broadcast input: one row repeated (stride 0 along dim 0), and one element repeated everywhere.
        var row = values.Take(43).ToArray();
        var yb = Output(dtype, 7, 43);
        Cpu.BinaryScalar(op, Broadcast(dtype, row, [7, 43], [0, 1]), s, scalarFirst, yb);
        Expect(yb, op, dtype, Enumerable.Range(0, 7).SelectMany(_ => row).ToArray(), s, scalarFirst, "row broadcast");
        var ye = Output(dtype, 7, 43);
        Cpu.BinaryScalar(op, Broadcast(dtype, [values[1]], [7, 43], [0, 0]), s, scalarFirst, ye);
        Expect(ye, op, dtype, Enumerable.Repeat(values[1], 301).ToArray(), s, scalarFirst, "element broadcast");

        var inPlace = Contiguous(dtype, values, 301);
        Cpu.BinaryScalar(op, inPlace, s, scalarFirst, inPlace);
        Expect(inPlace, op, dtype, values, s, scalarFirst, "in place");

        var scalar = Contiguous(dtype, [values[2]]);
        var y0 = Output(dtype);
        Cpu.BinaryScalar(op, scalar, s, scalarFirst, y0);
        Expect(y0, op, dtype, [values[2]], s, scalarFirst, "0-d");
    }

    [TestCaseSource(nameof(Cases))]
    public void LargeArraysRunInParallelChunks(BinaryOp op, DType dtype, bool scalarFirst)
    {
        // Above the parallel grain, contiguous (flat chunks) and transposed (strided loop chunks).
        const int rows = 257, cols = 301;
        var (values, s) = Operands(op, dtype, scalarFirst, rows * cols, seed: 5);
        var y = Output(dtype, rows, cols);
        Cpu.BinaryScalar(op, Contiguous(dtype, values, rows, cols), s, scalarFirst, y);
        Expect(y, op, dtype, values, s, scalarFirst, "large contiguous");
        var yt = Output(dtype, rows, cols);
        Cpu.BinaryScalar(op, Transposed(dtype, values, rows, cols), s, scalarFirst, yt);
        Expect(yt, op, dtype, values, s, scalarFirst, "large transposed");
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesBinaryWithABroadcastOneElementOperandBitForBit(BinaryOp op, DType dtype, bool scalarFirst)
    {
        var (values, s) = Operands(op, dtype, scalarFirst, 40_000, seed: 7);
        if (dtype != DType.Int32) values[3] = double.NaN;
        foreach (var (name, a) in new[] { ("contiguous", Contiguous(dtype, values, 200, 200)), ("transposed", Transposed(dtype, values, 200, 200)) })
        {
            var one = Contiguous(dtype, [0], 1);
            Cpu.Fill(one, s);
            var broadcast = one.WithLayout([200, 200], [0, 0], 0);
            var viaBinary = Output(dtype, 200, 200);
            if (scalarFirst) Cpu.Binary(op, broadcast, a, viaBinary);
            else Cpu.Binary(op, a, broadcast, viaBinary);
            var viaScalar = Output(dtype, 200, 200);
            Cpu.BinaryScalar(op, a, s, scalarFirst, viaScalar);
            Assert.That(Bits(viaScalar), Is.EqualTo(Bits(viaBinary)), $"{op} {dtype} scalarFirst={scalarFirst} {name}");
        }
    }

    [Test]
    public void SpecialScalarsFollowIeee([Values(DType.Float32, DType.Float64)] DType dtype,
        [Values(double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 1e300)] double s,
        [Values] bool scalarFirst)
    {
        double[] values = [1, -2, 0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 3.5e-40, 7, -1e30, 0.25];
        foreach (var op in Enum.GetValues<BinaryOp>())
        {
            var y = Output(dtype, values.Length);
            Cpu.BinaryScalar(op, Contiguous(dtype, values, values.Length), s, scalarFirst, y);
            var expected = Expected(op, dtype, Rounded(dtype, values), s, scalarFirst);
            AssertClose(Read(y), expected, Tolerance(op, dtype), 0, $"{op} {dtype} with scalar {s} scalarFirst={scalarFirst}");
            // Signed zeros: x · −0, −0 + −0 and friends must keep their sign as the naive loop does.
            for (int i = 0; i < expected.Length; i++)
                if (expected[i] == 0)
                    Assert.That(double.IsNegative(Read(y)[i]), Is.EqualTo(double.IsNegative(expected[i])), $"{op} {dtype} sign of zero at [{i}]");
        }
    }

    [Test]
    public void Int32ScalarIsTruncatedAndSaturatedAsFillStoresIt(
        [Values(2.7, -2.7, 3e9, -3e9, double.NaN, double.PositiveInfinity)] double s,
        [Values(BinaryOp.Add, BinaryOp.Sub, BinaryOp.Maximum, BinaryOp.Less)] BinaryOp op)
    {
        double[] values = [0, 1, -1, 5, -100, 2, -2];
        var y = Output(DType.Int32, values.Length);
        Cpu.BinaryScalar(op, Contiguous(DType.Int32, values, values.Length), s, scalarFirst: false, y);
        double stored = Stored(s, DType.Int32);
        // Int32 add/sub wrap around like C#; the reference wraps the float64 result the same way.
        var expected = values.Select(v => (double)unchecked((int)(long)Reference(op, v, stored, DType.Int32))).ToArray();
        Assert.That(Read(y), Is.EqualTo(expected), $"int32 {op} with scalar {s} (stored as {stored})");
    }

    [Test]
    public void EmptyArraysWriteNothing([Values(DType.Float32, DType.Float64, DType.Int32)] DType dtype)
    {
        var a = Contiguous(dtype, [], 3, 0);
        var y = Output(dtype, 3, 0);
        Cpu.BinaryScalar(BinaryOp.Div, a, 0, scalarFirst: false, y);
        Cpu.BinaryScalar(BinaryOp.Mul, a, double.NaN, scalarFirst: true, y);
        Assert.That(Read(y), Is.Empty);
    }

    [Test]
    public void Int32DivisionByZeroThrows()
    {
        var a = Contiguous(DType.Int32, [4, 5, 6], 3);
        var y = Output(DType.Int32, 3);
        var error = Assert.Throws<DivideByZeroException>(() => Cpu.BinaryScalar(BinaryOp.Div, a, 0.5, scalarFirst: false, y))!;
        Assert.That(error.Message, Does.Contain("Div").And.Contain("[3]"));
        // s / a divides by the array's elements: a zero among them throws as C# does (possibly wrapped by the parallel loop).
        var withZero = Contiguous(DType.Int32, [4, 0, 6], 3);
        Assert.That(() => Cpu.BinaryScalar(BinaryOp.Div, withZero, 12, scalarFirst: true, y), Throws.InstanceOf<DivideByZeroException>());
        Cpu.BinaryScalar(BinaryOp.Div, a, 12, scalarFirst: true, y);
        Assert.That(Read(y), Is.EqualTo(new double[] { 3, 2, 2 }));
    }

    [Test]
    public void BadViewsAreRejectedWithTheirShapes()
    {
        var a = Contiguous(DType.Float32, new double[6], 2, 3);
        var shape = Assert.Throws<ArgumentException>(() => Cpu.BinaryScalar(BinaryOp.Add, a, 1, false, Output(DType.Float32, 3, 2)))!;
        Assert.That(shape.Message, Does.Contain("[2, 3]").And.Contain("[3, 2]"));
        var dtype = Assert.Throws<ArgumentException>(() => Cpu.BinaryScalar(BinaryOp.Add, a, 1, false, Output(DType.Float64, 2, 3)))!;
        Assert.That(dtype.Message, Does.Contain("float32").And.Contain("float64"));
        var pow = Assert.Throws<ArgumentException>(() => Cpu.BinaryScalar(BinaryOp.Pow, Contiguous(DType.Int32, [1, 2], 2), 2, false, Output(DType.Int32, 2)))!;
        Assert.That(pow.Message, Does.Contain("Pow").And.Contain("int32"));
        var outside = new BufferView(a.Buffer, 2, [2, 3], [3, 1]);
        Assert.Throws<ArgumentException>(() => Cpu.BinaryScalar(BinaryOp.Add, outside, 1, false, Output(DType.Float32, 2, 3)));
    }

    /// <summary>The raw bits of every element (so NaN payloads and signed zeros count).</summary>
    private static long[] Bits(BufferView view) => view.DType switch
    {
        DType.Float32 => Support.Buffers.Read<float>(view).Select(v => (long)BitConverter.SingleToInt32Bits(v)).ToArray(),
        DType.Float64 => Support.Buffers.Read<double>(view).Select(BitConverter.DoubleToInt64Bits).ToArray(),
        _ => Support.Buffers.Read<int>(view).Select(v => (long)v).ToArray(),
    };
}
