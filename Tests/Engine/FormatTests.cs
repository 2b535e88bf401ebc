using NUnit.Framework;

namespace Scratch.Tests.Engine;

/// <summary>
/// ToString matches PyTorch 1.13's printing (strings produced by <c>str(torch.tensor(...))</c> and
/// pasted here), except that the dtype suffix reads <c>dtype=float64</c> rather than <c>dtype=torch.float64</c>.
/// </summary>
[TestFixture]
public class FormatTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        int number = 0;
        TestCaseData Case(string expected, NDArray array) => new TestCaseData(array, expected).SetArgDisplayNames($"case{++number}");

        yield return Case("tensor([1., 2., 3.])", NDArray.FromArray(new[] { 1f, 2f, 3f }));
        yield return Case("tensor([[1.5000, 2.0000],\n        [3.0000, 4.0000]])", NDArray.FromArray(new[] { 1.5f, 2f, 3f, 4f }, [2, 2]));
        yield return Case("tensor([1.0000e-05, 1.0000e+05])", NDArray.FromArray(new[] { 1e-5f, 1e5f }));
        yield return Case("tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])", NDArray.FromArray(Enumerable.Range(0, 2000).Select(i => (float)i).ToArray()));
        yield return Case("tensor([1.0000, 2.5000], dtype=float64)", NDArray.FromArray(new[] { 1.0, 2.5 }));
        yield return Case("tensor([1, 2, 3], dtype=int32)", NDArray.FromArray(new[] { 1, 2, 3 }));
        yield return Case("tensor([], size=(2, 0))", NDArray.Zeros([2, 0]));
        yield return Case("tensor([])", NDArray.Zeros([0]));
        yield return Case("tensor([], dtype=float64)", NDArray.Zeros([0], DType.Float64));
        yield return Case("tensor(3.5000)", NDArray.Scalar(3.5));
        yield return Case("tensor([[[ 0.,  1.,  2.,  3.],\n         [ 4.,  5.,  6.,  7.],\n         [ 8.,  9., 10., 11.]],\n\n        [[12., 13., 14., 15.],\n         [16., 17., 18., 19.],\n         [20., 21., 22., 23.]]])", NDArray.FromArray(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), [2, 3, 4]));
        yield return Case("tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 2.7000e+01, 2.8000e+01,\n         2.9000e+01],\n        [3.0000e+01, 3.1000e+01, 3.2000e+01,  ..., 5.7000e+01, 5.8000e+01,\n         5.9000e+01],\n        [6.0000e+01, 6.1000e+01, 6.2000e+01,  ..., 8.7000e+01, 8.8000e+01,\n         8.9000e+01],\n        ...,\n        [1.1100e+03, 1.1110e+03, 1.1120e+03,  ..., 1.1370e+03, 1.1380e+03,\n         1.1390e+03],\n        [1.1400e+03, 1.1410e+03, 1.1420e+03,  ..., 1.1670e+03, 1.1680e+03,\n         1.1690e+03],\n        [1.1700e+03, 1.1710e+03, 1.1720e+03,  ..., 1.1970e+03, 1.1980e+03,\n         1.1990e+03]])", NDArray.FromArray(Enumerable.Range(0, 1200).Select(i => (float)i).ToArray(), [40, 30]));
        yield return Case("tensor([-1.2500,  0.0000,     nan,     inf])", NDArray.FromArray(new[] { -1.25f, 0f, float.NaN, float.PositiveInfinity }));
        yield return Case("tensor([1.2346e+05, 5.0000e-01])", NDArray.FromArray(new[] { 123456f, 0.5f }));
        yield return Case("tensor([1.0000e+09, 2.0000e+00])", NDArray.FromArray(new[] { 1e9f, 2f }));
        yield return Case("tensor([-3., 10.])", NDArray.FromArray(new[] { -3f, 10f }));
        yield return Case("tensor([1., -inf])", NDArray.FromArray(new[] { 1f, float.NegativeInfinity }));
        yield return Case("tensor([0.0000, 0.3333, 0.6667, 1.0000, 1.3333, 1.6667, 2.0000, 2.3333, 2.6667,\n        3.0000, 3.3333, 3.6667, 4.0000, 4.3333, 4.6667, 5.0000, 5.3333, 5.6667,\n        6.0000, 6.3333])", NDArray.FromArray(Enumerable.Range(0, 20).Select(i => i / 3f).ToArray()));
        yield return Case("tensor([1.0000e+00, 2.0000e+03])", NDArray.FromArray(new[] { 1f, 2000f }));
        yield return Case("tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,\n        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,\n        36, 37, 38, 39], dtype=int32)", NDArray.FromArray(Enumerable.Range(0, 40).ToArray()));
        yield return Case("tensor([[[0.0000e+00, 1.4286e-01, 2.8571e-01,  ..., 1.0000e+00,\n          1.1429e+00, 1.2857e+00],\n         [1.4286e+00, 1.5714e+00, 1.7143e+00,  ..., 2.4286e+00,\n          2.5714e+00, 2.7143e+00],\n         [2.8571e+00, 3.0000e+00, 3.1429e+00,  ..., 3.8571e+00,\n          4.0000e+00, 4.1429e+00],\n         ...,\n         [1.0000e+01, 1.0143e+01, 1.0286e+01,  ..., 1.1000e+01,\n          1.1143e+01, 1.1286e+01],\n         [1.1429e+01, 1.1571e+01, 1.1714e+01,  ..., 1.2429e+01,\n          1.2571e+01, 1.2714e+01],\n         [1.2857e+01, 1.3000e+01, 1.3143e+01,  ..., 1.3857e+01,\n          1.4000e+01, 1.4143e+01]],\n\n        [[1.4286e+01, 1.4429e+01, 1.4571e+01,  ..., 1.5286e+01,\n          1.5429e+01, 1.5571e+01],\n         [1.5714e+01, 1.5857e+01, 1.6000e+01,  ..., 1.6714e+01,\n          1.6857e+01, 1.7000e+01],\n         [1.7143e+01, 1.7286e+01, 1.7429e+01,  ..., 1.8143e+01,\n          1.8286e+01, 1.8429e+01],\n         ...,\n         [2.4286e+01, 2.4429e+01, 2.4571e+01,  ..., 2.5286e+01,\n          2.5429e+01, 2.5571e+01],\n         [2.5714e+01, 2.5857e+01, 2.6000e+01,  ..., 2.6714e+01,\n          2.6857e+01, 2.7000e+01],\n         [2.7143e+01, 2.7286e+01, 2.7429e+01,  ..., 2.8143e+01,\n          2.8286e+01, 2.8429e+01]],\n\n        [[2.8571e+01, 2.8714e+01, 2.8857e+01,  ..., 2.9571e+01,\n          2.9714e+01, 2.9857e+01],\n         [3.0000e+01, 3.0143e+01, 3.0286e+01,  ..., 3.1000e+01,\n          3.1143e+01, 3.1286e+01],\n         [3.1429e+01, 3.1571e+01, 3.1714e+01,  ..., 3.2429e+01,\n          3.2571e+01, 3.2714e+01],\n         ...,\n         [3.8571e+01, 3.8714e+01, 3.8857e+01,  ..., 3.9571e+01,\n          3.9714e+01, 3.9857e+01],\n         [4.0000e+01, 4.0143e+01, 4.0286e+01,  ..., 4.1000e+01,\n          4.1143e+01, 4.1286e+01],\n         [4.1429e+01, 4.1571e+01, 4.1714e+01,  ..., 4.2429e+01,\n          4.2571e+01, 4.2714e+01]],\n\n        ...,\n\n        [[2.4286e+02, 2.4300e+02, 2.4314e+02,  ..., 2.4386e+02,\n          2.4400e+02, 2.4414e+02],\n         [2.4429e+02, 2.4443e+02, 2.4457e+02,  ..., 2.4529e+02,\n          2.4543e+02, 2.4557e+02],\n         [2.4571e+02, 2.4586e+02, 2.4600e+02,  ..., 2.4671e+02,\n          2.4686e+02, 2.4700e+02],\n         ...,\n         [2.5286e+02, 2.5300e+02, 2.5314e+02,  ..., 2.5386e+02,\n          2.5400e+02, 2.5414e+02],\n         [2.5429e+02, 2.5443e+02, 2.5457e+02,  ..., 2.5529e+02,\n          2.5543e+02, 2.5557e+02],\n         [2.5571e+02, 2.5586e+02, 2.5600e+02,  ..., 2.5671e+02,\n          2.5686e+02, 2.5700e+02]],\n\n        [[2.5714e+02, 2.5729e+02, 2.5743e+02,  ..., 2.5814e+02,\n          2.5829e+02, 2.5843e+02],\n         [2.5857e+02, 2.5871e+02, 2.5886e+02,  ..., 2.5957e+02,\n          2.5971e+02, 2.5986e+02],\n         [2.6000e+02, 2.6014e+02, 2.6029e+02,  ..., 2.6100e+02,\n          2.6114e+02, 2.6129e+02],\n         ...,\n         [2.6714e+02, 2.6729e+02, 2.6743e+02,  ..., 2.6814e+02,\n          2.6829e+02, 2.6843e+02],\n         [2.6857e+02, 2.6871e+02, 2.6886e+02,  ..., 2.6957e+02,\n          2.6971e+02, 2.6986e+02],\n         [2.7000e+02, 2.7014e+02, 2.7029e+02,  ..., 2.7100e+02,\n          2.7114e+02, 2.7129e+02]],\n\n        [[2.7143e+02, 2.7157e+02, 2.7171e+02,  ..., 2.7243e+02,\n          2.7257e+02, 2.7271e+02],\n         [2.7286e+02, 2.7300e+02, 2.7314e+02,  ..., 2.7386e+02,\n          2.7400e+02, 2.7414e+02],\n         [2.7429e+02, 2.7443e+02, 2.7457e+02,  ..., 2.7529e+02,\n          2.7543e+02, 2.7557e+02],\n         ...,\n         [2.8143e+02, 2.8157e+02, 2.8171e+02,  ..., 2.8243e+02,\n          2.8257e+02, 2.8271e+02],\n         [2.8286e+02, 2.8300e+02, 2.8314e+02,  ..., 2.8386e+02,\n          2.8400e+02, 2.8414e+02],\n         [2.8429e+02, 2.8443e+02, 2.8457e+02,  ..., 2.8529e+02,\n          2.8543e+02, 2.8557e+02]]])", NDArray.FromArray(Enumerable.Range(0, 2000).Select(i => i / 7f).ToArray(), [20, 10, 10]));
        yield return Case("tensor([-0.0000e+00,  1.0000e-05, -1.0000e-05])", NDArray.FromArray(new[] { -0.0f, 1e-5f, -1e-5f }));
        yield return Case("tensor([0., 0.])", NDArray.FromArray(new[] { 0f, 0f }));
        yield return Case("tensor([nan])", NDArray.FromArray(new[] { float.NaN }));
        yield return Case("tensor([[1.0000e-05],\n        [1.0000e+00]], dtype=float64)", NDArray.FromArray(new[] { 1e-5, 1.0 }, [2, 1]));
        yield return Case("tensor([   0,    1,    2,  ...,  998,  999, 1000], dtype=int32)", NDArray.FromArray(Enumerable.Range(0, 1001).ToArray()));
        yield return Case("tensor([ 2.0000, -2.0000], dtype=float64)", NDArray.FromArray(new[] { 2.00005, -2.00005 }));
        yield return Case("tensor([2.0000e-05, 1.0000e+00], dtype=float64)", NDArray.FromArray(new[] { 2.00005e-5, 1.0 }));
        yield return Case("tensor([1.0000e+100,  1.0000e+00], dtype=float64)", NDArray.FromArray(new[] { 1e100, 1.0 }));
        yield return Case("tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]])", NDArray.FromArray(Enumerable.Range(0, 8).Select(i => (float)i).ToArray(), [2, 2, 2]));
        yield return Case("tensor([[[0., 1., 2.,  ..., 5., 6., 7.],\n         [8., 9., 0.,  ..., 3., 4., 5.],\n         [6., 7., 8.,  ..., 1., 2., 3.],\n         ...,\n         [0., 1., 2.,  ..., 5., 6., 7.],\n         [8., 9., 0.,  ..., 3., 4., 5.],\n         [6., 7., 8.,  ..., 1., 2., 3.]],\n\n        [[4., 5., 6.,  ..., 9., 0., 1.],\n         [2., 3., 4.,  ..., 7., 8., 9.],\n         [0., 1., 2.,  ..., 5., 6., 7.],\n         ...,\n         [4., 5., 6.,  ..., 9., 0., 1.],\n         [2., 3., 4.,  ..., 7., 8., 9.],\n         [0., 1., 2.,  ..., 5., 6., 7.]],\n\n        [[8., 9., 0.,  ..., 3., 4., 5.],\n         [6., 7., 8.,  ..., 1., 2., 3.],\n         [4., 5., 6.,  ..., 9., 0., 1.],\n         ...,\n         [8., 9., 0.,  ..., 3., 4., 5.],\n         [6., 7., 8.,  ..., 1., 2., 3.],\n         [4., 5., 6.,  ..., 9., 0., 1.]],\n\n        ...,\n\n        [[6., 7., 8.,  ..., 1., 2., 3.],\n         [4., 5., 6.,  ..., 9., 0., 1.],\n         [2., 3., 4.,  ..., 7., 8., 9.],\n         ...,\n         [6., 7., 8.,  ..., 1., 2., 3.],\n         [4., 5., 6.,  ..., 9., 0., 1.],\n         [2., 3., 4.,  ..., 7., 8., 9.]],\n\n        [[0., 1., 2.,  ..., 5., 6., 7.],\n         [8., 9., 0.,  ..., 3., 4., 5.],\n         [6., 7., 8.,  ..., 1., 2., 3.],\n         ...,\n         [0., 1., 2.,  ..., 5., 6., 7.],\n         [8., 9., 0.,  ..., 3., 4., 5.],\n         [6., 7., 8.,  ..., 1., 2., 3.]],\n\n        [[4., 5., 6.,  ..., 9., 0., 1.],\n         [2., 3., 4.,  ..., 7., 8., 9.],\n         [0., 1., 2.,  ..., 5., 6., 7.],\n         ...,\n         [4., 5., 6.,  ..., 9., 0., 1.],\n         [2., 3., 4.,  ..., 7., 8., 9.],\n         [0., 1., 2.,  ..., 5., 6., 7.]]])", NDArray.FromArray(Enumerable.Range(0, 1008).Select(i => (float)(i % 10)).ToArray(), [7, 8, 18]));
        yield return Case("tensor([5., 5., 5.])", NDArray.Full([3], 5));
        yield return Case("tensor([1.0000e+08, 1.0000e+00])", NDArray.FromArray(new[] { 100000000f, 1f }));
        yield return Case("tensor([   1., 1000.])", NDArray.FromArray(new[] { 1f, 1000f }));
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesPyTorch(NDArray array, string expected) => Assert.That(array.ToString(), Is.EqualTo(expected));

    [Test]
    public void ViewsPrintTheirLogicalValues()
    {
        var a = NDArray.FromArray(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, [2, 3]);
        Assert.That(a.T.ToString(), Is.EqualTo("tensor([[1., 4.],\n        [2., 5.],\n        [3., 6.]])"));
        Assert.That(a.Slice(1, step: 2).ToString(), Is.EqualTo("tensor([[1., 3.],\n        [4., 6.]])"));
    }

    [Test]
    public void FormatUsesTheGivenPrefixForIndentation()
    {
        var a = NDArray.FromArray(new[] { 1f, 2f, 3f, 4f }, [2, 2]);
        Assert.That(a.Format("Parameter"), Is.EqualTo("Parameter([[1., 2.],\n           [3., 4.]])"));
    }

    [Test]
    public void TensorsShowRequiresGrad()
    {
        var t = new Tensor(NDArray.FromArray(new[] { 1f, 2f }), requiresGrad: true);
        Assert.That(t.ToString(), Is.EqualTo("tensor([1., 2.], requires_grad=True)"));
    }
}
