using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Tests.Support;
using static Scratch.Tests.Kernels.Elementwise.TestViews;

namespace Scratch.Tests.Kernels.Elementwise;

public class WhereCopyFillTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Instance;

    private static IEnumerable<TestCaseData> DTypePairs()
    {
        foreach (var c in new[] { DType.Float32, DType.Float64, DType.Int32 })
            foreach (var v in new[] { DType.Float32, DType.Float64, DType.Int32 })
                yield return new TestCaseData(c, v);
    }

    [TestCaseSource(nameof(DTypePairs))]
    public void Where_SelectsOnNonzero(DType conditionType, DType valueType)
    {
        int n = 150;
        var cond = Range(n, -1, 1, seed: 40).Select((v, i) => i % 3 == 0 ? 0 : Math.Round(v * 3)).ToArray();
        var a = Rounded(valueType, Range(n, -50, 50, seed: 41));
        var b = Rounded(valueType, Range(n, -50, 50, seed: 42));
        var y = Output(valueType, n);
        Cpu.Where(Contiguous(conditionType, cond, n), Contiguous(valueType, a, n), Contiguous(valueType, b, n), y);
        Assert.That(Read(y), Is.EqualTo(cond.Select((c, i) => c != 0 ? a[i] : b[i]).ToArray()));

        // Broadcast condition row [10] over [15, 10], b a scalar, a transposed.
        var condRow = cond[..10];
        var yb = Output(valueType, 15, 10);
        Cpu.Where(Broadcast(conditionType, condRow, [15, 10], [0, 1], 0), Transposed(valueType, a, 15, 10),
            Broadcast(valueType, [b[0]], [15, 10], [0, 0], 0), yb);
        Assert.That(Read(yb), Is.EqualTo(Enumerable.Range(0, n).Select(i => condRow[i % 10] != 0 ? a[i] : b[0]).ToArray()));
    }

    [Test]
    public void Where_NaNIsTrue_NegativeZeroIsFalse()
    {
        var cond = Contiguous(DType.Float32, [double.NaN, -0.0, 0.0, 1e-30], 4);
        var y = Output(DType.Float32, 4);
        Cpu.Where(cond, Contiguous(DType.Float32, [1, 1, 1, 1], 4), Contiguous(DType.Float32, [2, 2, 2, 2], 4), y);
        Assert.That(Read(y), Is.EqualTo(new double[] { 1, 2, 2, 1 }));
    }

    [TestCaseSource(nameof(DTypePairs))]
    public void Copy_MakesContiguousAndConverts(DType from, DType to)
    {
        var values = Rounded(from, Range(12 * 31, -40, 40, seed: 50));
        double Convert(double v) => to == DType.Int32 ? Math.Truncate(v) : to == DType.Float32 ? (float)v : v;

        var y = Output(to, 12, 31);
        Cpu.Copy(Transposed(from, values, 12, 31), y);
        Assert.That(Read(y), Is.EqualTo(values.Select(Convert).ToArray()), "transposed");

        var yc = Output(to, 12, 31);
        Cpu.Copy(Contiguous(from, values, 12, 31), yc);
        Assert.That(Read(yc), Is.EqualTo(values.Select(Convert).ToArray()), "contiguous");

        // Broadcast row into a strided destination (every other column of a wider buffer).
        var row = values[..31];
        var dest = Strided(to, new double[12 * 31], [12, 31], [62, 2], 1);
        Cpu.Copy(Broadcast(from, row, [12, 31], [0, 1], 0), dest);
        Assert.That(Read(dest), Is.EqualTo(Enumerable.Range(0, 12 * 31).Select(i => Convert(row[i % 31])).ToArray()), "broadcast");
    }

    [Test]
    public void Copy_BatchedTransposeSpanningSeveralTiles()
    {
        // Logical [3, 70, 45] stored as [3, 45, 70]: a transpose of the last two dims per batch.
        var values = Range(3 * 70 * 45, -1, 1, seed: 51);
        var x = Strided(DType.Float64, values, [3, 70, 45], [3150, 1, 70], 5);
        var y = Output(DType.Float64, 3, 70, 45);
        Cpu.Copy(x, y);
        Assert.That(Read(y), Is.EqualTo(values));
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void Copy_FloatToInt_TruncatesTowardZero_Saturates_NaNIsZero(DType from)
    {
        var x = Contiguous(from, [-2.7, -0.5, 0.5, 2.7, -3, 1e10, -1e10, double.NaN], 8);
        var y = Output(DType.Int32, 8);
        Cpu.Copy(x, y);
        Assert.That(Buffers.Read<int>(y), Is.EqualTo(new[] { -2, 0, 0, 2, -3, int.MaxValue, int.MinValue, 0 }));
    }

    [Test]
    public void Copy_InPlaceAndScalarAndEmpty()
    {
        var x = Contiguous(DType.Float64, [1, 2, 3], 3);
        Cpu.Copy(x, x);
        Assert.That(Read(x), Is.EqualTo(new double[] { 1, 2, 3 }));
        var s = Output(DType.Int32);
        Cpu.Copy(Contiguous(DType.Float32, [-7.9]), s);
        Assert.That(Buffers.Read<int>(s), Is.EqualTo(new[] { -7 }));
        Assert.DoesNotThrow(() => Cpu.Copy(Contiguous(DType.Float32, [], 2, 0), Output(DType.Int32, 2, 0)));
    }

    [TestCase(DType.Float32, 2.5, 2.5)]
    [TestCase(DType.Float64, -1e-300, -1e-300)]
    [TestCase(DType.Int32, -2.9, -2)]
    public void Fill_SetsEveryElementOfAStridedView(DType dtype, double value, double expected)
    {
        var y = Strided(dtype, new double[5 * 7], [5, 7], [1, 6], 2);
        Cpu.Fill(y, value);
        var all = Read(BufferView.Contiguous(y.Buffer, [(int)y.Buffer.Length]));
        Assert.That(Read(y), Is.All.EqualTo(expected));
        // Elements outside the view keep the filler the view factory put there.
        Assert.That(all[0], Is.EqualTo(12345.0));

        var big = Output(dtype, 100_001);
        Cpu.Fill(big, value);
        Assert.That(Read(big), Is.All.EqualTo(expected));
    }

    [Test]
    public void OutOfBoundsView_IsRejected()
    {
        var buffer = Cpu.Allocate(DType.Float32, 10);
        var view = new BufferView(buffer, 5, [2, 4], [4, 1]);
        var ex = Assert.Throws<ArgumentException>(() => Cpu.Fill(view, 1));
        Assert.That(ex!.Message, Does.Contain("fill").And.Contain("outside"));
    }
}
