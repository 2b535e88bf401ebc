using NUnit.Framework;
using Scratch.Kernels;

namespace Scratch.Tests.Engine;

/// <summary>
/// NDArray ops with a double operand pass it to the kernel as a value: no 1-element array is made,
/// and the result is the one a broadcast 1-element operand gives, bit for bit.
/// </summary>
[TestFixture]
public class ScalarOperandTests
{
    private static NDArray Values(DType dtype, int rows, int cols, int seed)
    {
        var random = new Random(seed);
        var values = new double[rows * cols];
        for (int i = 0; i < values.Length; i++) values[i] = Math.Round(random.NextDouble() * 40 - 20, dtype == DType.Int32 ? 0 : 3);
        values[0] = 1;
        return NDArray.FromArray(values, [rows, cols]).To(dtype);
    }

    /// <summary>An operator or method with a double operand, and the op, scalar and side it stands for.</summary>
    public static IEnumerable<TestCaseData> Operators()
    {
        TestCaseData Case(string name, Func<NDArray, NDArray> apply, BinaryOp op, double s, bool scalarFirst)
            => new TestCaseData(apply, op, s, scalarFirst).SetArgDisplayNames(name);

        yield return Case("x + 2", x => x + 2, BinaryOp.Add, 2, false);
        yield return Case("2 + x", x => 2 + x, BinaryOp.Add, 2, true);
        yield return Case("x - 0.1", x => x - 0.1, BinaryOp.Sub, 0.1, false);
        yield return Case("0.1 - x", x => 0.1 - x, BinaryOp.Sub, 0.1, true);
        yield return Case("x * 0.3", x => x * 0.3, BinaryOp.Mul, 0.3, false);
        yield return Case("0.3 * x", x => 0.3 * x, BinaryOp.Mul, 0.3, true);
        yield return Case("x / 3", x => x / 3, BinaryOp.Div, 3, false);
        yield return Case("3 / x", x => 3 / x, BinaryOp.Div, 3, true);
        yield return Case("x.Gt(0.5)", x => x.Gt(0.5), BinaryOp.Greater, 0.5, false);
        yield return Case("x.Eq(1)", x => x.Eq(1), BinaryOp.Equal, 1, false);
        yield return Case("maximum(x, 0)", x => NDArray.Apply(BinaryOp.Maximum, x, 0), BinaryOp.Maximum, 0, false);
        yield return Case("pow(1.1, x)", x => NDArray.Apply(BinaryOp.Pow, 1.1, x), BinaryOp.Pow, 1.1, true);
    }

    [TestCaseSource(nameof(Operators))]
    public void ScalarOperatorsAllocateOnlyTheResult(Func<NDArray, NDArray> apply, BinaryOp op, double s, bool scalarFirst)
    {
        var x = Values(DType.Float32, 4, 5, 1);
        var transposed = x.Transpose(0, 1);
        using var scope = new ArrayScope();
        var y = apply(x);
        Assert.That(scope.Count, Is.EqualTo(1), "arrays made for one scalar op (a 1-element operand would make 2)");
        Assert.That(y.Shape, Is.EqualTo(new[] { 4, 5 }));
        _ = apply(transposed);
        Assert.That(scope.Count, Is.EqualTo(2), "a non-contiguous input makes no copy either");
    }

    [TestCaseSource(nameof(Operators))]
    public void ResultsAreTheBroadcastOperandsResultsBitForBit(Func<NDArray, NDArray> apply, BinaryOp op, double s, bool scalarFirst)
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var x = Values(dtype, 6, 7, 3);
            foreach (var input in new[] { x, x.Transpose(0, 1), x.Slice(1, 1, null, 2) })
            {
                var actual = apply(input);
                // The path before the scalar kernel: the scalar stored in a 0-d array and broadcast.
                var stored = NDArray.Scalar(s, input.DType, input.Device);
                var expected = scalarFirst ? NDArray.Apply(op, stored, input) : NDArray.Apply(op, input, stored);
                Assert.That(actual.Shape, Is.EqualTo(expected.Shape));
                Assert.That(actual.DType, Is.EqualTo(expected.DType));
                Assert.That(Bits(actual), Is.EqualTo(Bits(expected)), $"{dtype} {input.ShapeString}");
            }
        }
    }

    [Test]
    public void InPlaceScalarOpsAllocateNothing()
    {
        var x = Values(DType.Float64, 3, 4, 2);
        var expected = x.ToArray<double>().Select(v => v * 1.5 + 0.25).ToArray();
        using (var scope = new ArrayScope())
        {
            x.MulInPlace(1.5).AddInPlace(0.25);
            Assert.That(scope.Count, Is.Zero);
        }
        Assert.That(x.ToArray<double>(), Is.EqualTo(expected));
        Assert.Throws<InvalidOperationException>(() => NDArray.Scalar(1.0).Reshape(1).Expand(3).MulInPlace(2));
    }

    [Test]
    public void Int32ArraysTakeTheScalarTruncated()
    {
        var x = NDArray.FromArray(new[] { 7, -7, 9, 0 });
        Assert.That((x + 2.9).ToArray<int>(), Is.EqualTo(new[] { 9, -5, 11, 2 }));
        Assert.That((x / 2.9).ToArray<int>(), Is.EqualTo(new[] { 3, -3, 4, 0 }));
        Assert.That((x * double.NaN).ToArray<int>(), Is.EqualTo(new[] { 0, 0, 0, 0 }));
        Assert.Throws<DivideByZeroException>(() => _ = x / 0.5);
        var pow = Assert.Throws<ArgumentException>(() => NDArray.Apply(BinaryOp.Pow, x, 2))!;
        Assert.That(pow.Message, Does.Contain("pow").And.Contain("int32"));
    }

    [Test]
    public void EmptyAndZeroDimensionalArrays()
    {
        var empty = NDArray.Zeros([2, 0]);
        Assert.That((empty * 3).Shape, Is.EqualTo(new[] { 2, 0 }));
        var y = 1 / NDArray.Scalar(4.0, DType.Float64);
        Assert.That(y.Rank, Is.Zero);
        Assert.That(y.Item(), Is.EqualTo(0.25));
    }

    private static long[] Bits(NDArray a) => a.DType switch
    {
        DType.Float32 => a.ToArray<float>().Select(v => (long)BitConverter.SingleToInt32Bits(v)).ToArray(),
        DType.Float64 => a.ToArray<double>().Select(BitConverter.DoubleToInt64Bits).ToArray(),
        _ => a.ToArray<int>().Select(v => (long)v).ToArray(),
    };
}
