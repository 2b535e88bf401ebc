using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Tests.Support;
using static Scratch.Tests.Kernels.Elementwise.TestViews;

namespace Scratch.Tests.Kernels.Elementwise;

public class BinaryKernelTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Instance;

    private static double Reference(BinaryOp op, double a, double b, DType dtype) => BinaryReference.Of(op, a, b, dtype);

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (var op in Enum.GetValues<BinaryOp>())
            foreach (var dtype in new[] { DType.Float32, DType.Float64, DType.Int32 })
                if (!(op == BinaryOp.Pow && dtype == DType.Int32))
                    yield return new TestCaseData(op, dtype);
    }

    /// <summary>Operands for op: integers as doubles for Int32, positive bases for Pow, some equal pairs for comparisons.</summary>
    private static (double[] A, double[] B) Operands(BinaryOp op, DType dtype, int count, int seed)
    {
        var a = Range(count, -20, 20, seed);
        var b = Range(count, -20, 20, seed + 1);
        if (op == BinaryOp.Pow) { a = Range(count, 0.1, 3, seed); b = Range(count, -2, 2, seed + 1); }
        if (dtype == DType.Int32)
        {
            a = Array.ConvertAll(a, Math.Round);
            b = Array.ConvertAll(b, v => Math.Round(v) == 0 ? 3 : Math.Round(v));
        }
        a = Rounded(dtype, a);
        b = Rounded(dtype, b);
        for (int i = 0; i < count; i += 5) b[i] = a[i];
        // Int32 division by zero throws; the broadcast tests also divide by the first operand.
        if (op == BinaryOp.Div && dtype == DType.Int32)
            for (int i = 0; i < count; i++) { if (b[i] == 0) b[i] = 3; if (a[i] == 0) a[i] = -4; }
        return (a, b);
    }

    private static double Tolerance(DType dtype) => dtype == DType.Float32 ? 2e-6 : dtype == DType.Float64 ? 1e-14 : 0;

    private static void Expect(BufferView y, double[] a, double[] b, BinaryOp op, DType dtype, string what)
    {
        var expected = Rounded(dtype, a.Select((v, i) => Reference(op, v, b[i], dtype)).ToArray());
        AssertClose(Read(y), expected, Tolerance(dtype), 0, what);
    }

    [TestCaseSource(nameof(Cases))]
    public void ContiguousTransposedAndInPlace(BinaryOp op, DType dtype)
    {
        var (a, b) = Operands(op, dtype, 301, seed: 10);
        var y = Output(dtype, 301);
        Cpu.Binary(op, Contiguous(dtype, a, 301), Contiguous(dtype, b, 301), y);
        Expect(y, a, b, op, dtype, "contiguous");

        // a transposed [7, 43], b contiguous.
        var at = Transposed(dtype, a, 7, 43);
        var yt = Output(dtype, 7, 43);
        Cpu.Binary(op, at, Contiguous(dtype, b, 7, 43), yt);
        Expect(yt, a, b, op, dtype, "transposed a");

        // Both transposed, written into a transposed output (loop follows the output's order).
        var yT = Transposed(dtype, new double[301], 7, 43);
        Cpu.Binary(op, Transposed(dtype, a, 7, 43), Transposed(dtype, b, 7, 43), yT);
        Expect(yT, a, b, op, dtype, "all transposed");

        // In place over a, and over b.
        var aInPlace = Contiguous(dtype, a, 301);
        Cpu.Binary(op, aInPlace, Contiguous(dtype, b, 301), aInPlace);
        Expect(aInPlace, a, b, op, dtype, "in place a");
        var bInPlace = Contiguous(dtype, b, 301);
        Cpu.Binary(op, Contiguous(dtype, a, 301), bInPlace, bInPlace);
        Expect(bInPlace, a, b, op, dtype, "in place b");
    }

    [TestCaseSource(nameof(Cases))]
    public void Broadcasts(BinaryOp op, DType dtype)
    {
        // Bias add shape: [N, C] with [C] (stride 0 along N).
        int n = 9, c = 37;
        var (full, _) = Operands(op, dtype, n * c, seed: 20);
        var (_, bias) = Operands(op, dtype, c, seed: 21);
        var y = Output(dtype, n, c);
        Cpu.Binary(op, Contiguous(dtype, full, n, c), Broadcast(dtype, bias, [n, c], [0, 1], 3), y);
        Expect(y, full, Enumerable.Range(0, n * c).Select(i => bias[i % c]).ToArray(), op, dtype, "row broadcast");

        // Channel broadcast: [2, 3, 5, 7] with [1, 3, 1, 1] (stride 0 over the contiguous H·W run), on the left.
        var (x4, _) = Operands(op, dtype, 2 * 3 * 35, seed: 22);
        var (channel, _) = Operands(op, dtype, 3, seed: 23);
        var y4 = Output(dtype, 2, 3, 5, 7);
        Cpu.Binary(op, Broadcast(dtype, channel, [2, 3, 5, 7], [0, 1, 0, 0], 0), Contiguous(dtype, x4, 2, 3, 5, 7), y4);
        Expect(y4, Enumerable.Range(0, 210).Select(i => channel[i / 35 % 3]).ToArray(), x4, op, dtype, "channel broadcast");

        // Scalar on either side, and on both.
        var (v, s) = Operands(op, dtype, 100, seed: 24);
        var ys = Output(dtype, 4, 25);
        Cpu.Binary(op, Contiguous(dtype, v, 4, 25), Broadcast(dtype, [s[1]], [4, 25], [0, 0], 0), ys);
        Expect(ys, v, Enumerable.Repeat(s[1], 100).ToArray(), op, dtype, "scalar right");
        Cpu.Binary(op, Broadcast(dtype, [s[1]], [4, 25], [0, 0], 0), Contiguous(dtype, v, 4, 25), ys);
        Expect(ys, Enumerable.Repeat(s[1], 100).ToArray(), v, op, dtype, "scalar left");
        Cpu.Binary(op, Broadcast(dtype, [v[2]], [4, 25], [0, 0], 0), Broadcast(dtype, [s[3]], [4, 25], [0, 0], 0), ys);
        Expect(ys, Enumerable.Repeat(v[2], 100).ToArray(), Enumerable.Repeat(s[3], 100).ToArray(), op, dtype, "both scalar");
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void MaximumAndMinimum_PropagateNaN_ComparisonsWithNaNAreFalse(DType dtype)
    {
        double nan = double.NaN;
        var a = Contiguous(dtype, [nan, 1, 2, nan], 4);
        var b = Contiguous(dtype, [1, nan, 3, nan], 4);
        var y = Output(dtype, 4);
        Cpu.Binary(BinaryOp.Maximum, a, b, y);
        AssertClose(Read(y), [nan, nan, 3, nan], 0, 0, "maximum");
        Cpu.Binary(BinaryOp.Minimum, a, b, y);
        AssertClose(Read(y), [nan, nan, 2, nan], 0, 0, "minimum");
        Cpu.Binary(BinaryOp.Equal, a, b, y);
        Assert.That(Read(y), Is.EqualTo(new double[] { 0, 0, 0, 0 }));
        Cpu.Binary(BinaryOp.NotEqual, a, b, y);
        Assert.That(Read(y), Is.EqualTo(new double[] { 1, 1, 1, 1 }));
    }

    [Test]
    public void Int32Division_TruncatesAndZeroDivisorThrows()
    {
        var a = Contiguous(DType.Int32, [7, -7, 7, -7], 4);
        var b = Contiguous(DType.Int32, [2, 2, -2, -2], 4);
        var y = Output(DType.Int32, 4);
        Cpu.Binary(BinaryOp.Div, a, b, y);
        Assert.That(Buffers.Read<int>(y), Is.EqualTo(new[] { 3, -3, -3, 3 }));
        Assert.Throws<DivideByZeroException>(() => Cpu.Binary(BinaryOp.Div, a, Contiguous(DType.Int32, [1, 0, 1, 1], 4), y));
    }

    [Test]
    public void Int32Pow_AndMixedDTypes_AreRejected()
    {
        var i = Contiguous(DType.Int32, [1, 2], 2);
        var ex = Assert.Throws<ArgumentException>(() => Cpu.Binary(BinaryOp.Pow, i, i, Output(DType.Int32, 2)));
        Assert.That(ex!.Message, Does.Contain("Pow"));
        var f = Contiguous(DType.Float32, [1, 2], 2);
        ex = Assert.Throws<ArgumentException>(() => Cpu.Binary(BinaryOp.Add, f, i, Output(DType.Float32, 2)));
        Assert.That(ex!.Message, Does.Contain("int32").And.Contain("float32"));
    }

    [Test]
    public void ScalarEmptyAndLargeParallel()
    {
        var y = Output(DType.Float32);
        Cpu.Binary(BinaryOp.Mul, Contiguous(DType.Float32, [3]), Contiguous(DType.Float32, [4]), y);
        Assert.That(Read(y), Is.EqualTo(new[] { 12.0 }));
        Assert.DoesNotThrow(() => Cpu.Binary(BinaryOp.Add, Contiguous(DType.Float32, [], 0), Contiguous(DType.Float32, [], 0), Output(DType.Float32, 0)));

        // Large enough to run in parallel chunks: [600, 300] + [300] row broadcast.
        var a = Range(600 * 300, -1, 1, seed: 30);
        var b = Range(300, -1, 1, seed: 31);
        var big = Output(DType.Float64, 600, 300);
        Cpu.Binary(BinaryOp.Add, Contiguous(DType.Float64, a, 600, 300), Broadcast(DType.Float64, b, [600, 300], [0, 1], 0), big);
        Expect(big, a, Enumerable.Range(0, a.Length).Select(i => b[i % 300]).ToArray(), BinaryOp.Add, DType.Float64, "parallel");
    }
}
