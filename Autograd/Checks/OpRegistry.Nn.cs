using Scratch.Kernels;
using Scratch.Checks.Reference;

namespace Scratch.Checks;

public static partial class OpRegistry
{
    private static IEnumerable<OpSample> MatMulSamples()
    {
        var cases = new (string Name, InputSpec A, InputSpec B)[]
        {
            ("2d", In([3, 4]), In([4, 2])),
            ("batched.broadcast.b", In([2, 3, 4]), In([4, 2])),
            ("batched.broadcast.both", In([2, 1, 3, 4]), In([3, 4, 2])),
            ("batch1.broadcast", In([1, 2, 3]), In([2, 3, 2])),
            ("vector.matrix", In([4]), In([4, 2])),
            ("matrix.vector", In([3, 4]), In([4])),
            ("vector.vector", In([4]), In([4])),
            ("vector.batched", In([4]), In([2, 4, 3])),
            ("batched.vector", In([2, 3, 4]), In([4])),
            ("transposed.both", In([3, 4], layout: Layout.Transposed), In([4, 2], layout: Layout.Transposed)),
            ("strided.b", In([3, 2]), In([2, 2], layout: Layout.Strided)),
            ("batched.transposed.a", In([2, 3, 4], layout: Layout.Transposed), In([2, 4, 2])),
            ("k1", In([3, 1]), In([1, 2])),
            ("k0.empty", In([2, 0]), In([0, 3])),
        };
        foreach (var (name, a, b) in cases)
        {
            yield return Sample("MatMul", name, [a, b], x => Tensor.MatMul(x[0], x[1]), r => RefOps.MatMul(r[0], r[1]));
        }
        yield return Sample("MatMul", "instance", [In([2, 3]), In([3, 2])], x => x[0].MatMul(x[1]), r => RefOps.MatMul(r[0], r[1]));
        yield return Sample("MatMul", "constant.a", [In([2, 3], grad: false), In([3, 2])], x => x[0].MatMul(x[1]), r => RefOps.MatMul(r[0], r[1]));
    }

    private static IEnumerable<OpSample> ConvolutionSamples()
    {
        // (name, x, w, bias?, stride, padding, dilation, groups)
        var cases = new (string Name, int[] X, Layout LayoutX, int[] W, bool Bias, int Stride, int Padding, int Dilation, int Groups)[]
        {
            ("basic.bias", [1, 2, 4, 4], Layout.Contiguous, [3, 2, 3, 3], true, 1, 0, 1, 1),
            ("no.bias", [1, 2, 4, 4], Layout.Contiguous, [2, 2, 3, 3], false, 1, 0, 1, 1),
            ("stride2.pad1", [1, 1, 5, 5], Layout.Contiguous, [2, 1, 3, 3], true, 2, 1, 1, 1),
            ("dilation2", [1, 1, 5, 5], Layout.Contiguous, [2, 1, 2, 2], false, 1, 0, 2, 1),
            ("groups2", [1, 4, 3, 3], Layout.Contiguous, [4, 2, 2, 2], true, 1, 0, 1, 2),
            ("depthwise.pad1", [1, 2, 3, 3], Layout.Contiguous, [2, 1, 3, 3], false, 1, 1, 1, 2),
            ("batch2.1x1", [2, 3, 2, 3], Layout.Contiguous, [2, 3, 1, 1], true, 1, 0, 1, 1),
            ("transposed.input", [1, 2, 4, 3], Layout.Transposed, [2, 2, 2, 2], true, 1, 1, 1, 1),
        };
        foreach (var (name, x, layoutX, w, bias, stride, padding, dilation, groups) in cases)
        {
            InputSpec[] inputs = bias ? [In(x, layout: layoutX), In(w), In([w[0]])] : [In(x, layout: layoutX), In(w)];
            yield return Sample("Conv2d", name, inputs,
                t => Tensor.Conv2d(t[0], t[1], bias ? t[2] : null, stride, padding, dilation, groups),
                r => RefOps.Conv2d(r[0], r[1], bias ? r[2] : null, stride, padding, dilation, groups));
        }

        // Full geometry: different vertical and horizontal stride, padding and dilation.
        var geometry = new Conv2dParams(StrideH: 2, StrideW: 1, PadH: 0, PadW: 1, DilationH: 1, DilationW: 2, Groups: 1);
        yield return Sample("Conv2d", "geometry.asymmetric", [In([1, 2, 5, 4]), In([2, 2, 2, 2]), In([2])],
            t => Tensor.Conv2d(t[0], t[1], t[2], geometry), r => RefOps.Conv2d(r[0], r[1], r[2], 2, 1, 0, 1, 1, 2, 1));
        yield return Sample("Conv2d", "constant.weight", [In([1, 1, 3, 3]), In([1, 1, 2, 2], grad: false)],
            t => Tensor.Conv2d(t[0], t[1]), r => RefOps.Conv2d(r[0], r[1], null, 1, 0, 1, 1));
    }

    private static IEnumerable<OpSample> PoolingSamples()
    {
        // Grid values: no ties inside a window, so the argmax is stable under perturbation.
        yield return Sample("MaxPool2d", "k2", [In([1, 2, 4, 4], Values.Grid)], x => x[0].MaxPool2d(2), r => RefOps.Pool2d(r[0], 2, 2, 2, 2, 0, 0, max: true));
        yield return Sample("MaxPool2d", "k3.s2.pad1.overlapping", [In([1, 1, 5, 5], Values.Grid)], x => x[0].MaxPool2d(3, 2, 1),
            r => RefOps.Pool2d(r[0], 3, 3, 2, 2, 1, 1, max: true));
        yield return Sample("MaxPool2d", "k2.s1.batch2", [In([2, 1, 3, 3], Values.Grid)], x => x[0].MaxPool2d(2, 1), r => RefOps.Pool2d(r[0], 2, 2, 1, 1, 0, 0, max: true));
        yield return Sample("MaxPool2d", "geometry.2x3.s1x2.pad1", [In([1, 1, 4, 5], Values.Grid)], x => x[0].MaxPool2d(new Pool2dParams(2, 3, 1, 2, 1, 1)),
            r => RefOps.Pool2d(r[0], 2, 3, 1, 2, 1, 1, max: true));
        yield return Sample("MaxPool2d", "transposed", [In([1, 2, 4, 3], Values.Grid, Layout.Transposed)], x => x[0].MaxPool2d(2, 1),
            r => RefOps.Pool2d(r[0], 2, 2, 1, 1, 0, 0, max: true));

        yield return Sample("AvgPool2d", "k2", [In([1, 2, 4, 4])], x => x[0].AvgPool2d(2), r => RefOps.Pool2d(r[0], 2, 2, 2, 2, 0, 0, max: false));
        yield return Sample("AvgPool2d", "k3.s2.pad1.include.pad", [In([1, 1, 5, 5])], x => x[0].AvgPool2d(3, 2, 1),
            r => RefOps.Pool2d(r[0], 3, 3, 2, 2, 1, 1, max: false, countIncludePad: true));
        yield return Sample("AvgPool2d", "k3.s2.pad1.exclude.pad", [In([1, 1, 5, 5])], x => x[0].AvgPool2d(3, 2, 1, countIncludePad: false),
            r => RefOps.Pool2d(r[0], 3, 3, 2, 2, 1, 1, max: false, countIncludePad: false));
        yield return Sample("AvgPool2d", "k2.s1.overlapping", [In([2, 1, 3, 3])], x => x[0].AvgPool2d(2, 1), r => RefOps.Pool2d(r[0], 2, 2, 1, 1, 0, 0, max: false));
        yield return Sample("AvgPool2d", "geometry.exclude.pad", [In([1, 1, 4, 5])], x => x[0].AvgPool2d(new Pool2dParams(2, 3, 1, 2, 1, 1, CountIncludePad: false)),
            r => RefOps.Pool2d(r[0], 2, 3, 1, 2, 1, 1, max: false, countIncludePad: false));
        yield return Sample("AvgPool2d", "transposed", [In([1, 2, 4, 3], layout: Layout.Transposed)], x => x[0].AvgPool2d(2, 1),
            r => RefOps.Pool2d(r[0], 2, 2, 1, 1, 0, 0, max: false));
    }

    private static IEnumerable<OpSample> Convolution1dSamples()
    {
        var cases = new (string Name, int[] X, Layout LayoutX, int[] W, bool Bias, int Stride, int Padding, int Dilation, int Groups)[]
        {
            ("basic.bias", [2, 2, 6], Layout.Contiguous, [3, 2, 3], true, 1, 0, 1, 1),
            ("no.bias", [1, 3, 5], Layout.Contiguous, [2, 3, 2], false, 1, 0, 1, 1),
            ("stride2.pad1", [1, 2, 7], Layout.Contiguous, [2, 2, 3], true, 2, 1, 1, 1),
            ("dilation2.pad2", [1, 1, 6], Layout.Contiguous, [2, 1, 3], true, 1, 2, 2, 1),
            ("groups2", [2, 4, 5], Layout.Contiguous, [4, 2, 2], true, 1, 0, 1, 2),
            ("depthwise.stride3", [1, 3, 8], Layout.Contiguous, [3, 1, 2], false, 3, 1, 1, 3),
            ("k1", [2, 3, 4], Layout.Contiguous, [2, 3, 1], true, 1, 0, 1, 1),
            ("transposed.input", [1, 3, 4], Layout.Transposed, [2, 3, 2], true, 1, 1, 1, 1),
        };
        foreach (var (name, x, layoutX, w, bias, stride, padding, dilation, groups) in cases)
        {
            InputSpec[] inputs = bias ? [In(x, layout: layoutX), In(w), In([w[0]])] : [In(x, layout: layoutX), In(w)];
            yield return Sample("Conv1d", name, inputs,
                t => Tensor.Conv1d(t[0], t[1], bias ? t[2] : null, stride, padding, dilation, groups),
                r => RefOps.Conv1d(r[0], r[1], bias ? r[2] : null, stride, padding, dilation, groups));
        }
        yield return Sample("Conv1d", "constant.weight", [In([1, 2, 4]), In([1, 2, 2], grad: false)],
            t => Tensor.Conv1d(t[0], t[1]), r => RefOps.Conv1d(r[0], r[1], null, 1, 0, 1, 1));

        yield return Sample("MaxPool1d", "k2", [In([2, 2, 6], Values.Grid)], x => x[0].MaxPool1d(2), r => RefOps.Pool1d(r[0], 2, 2, 0, max: true));
        yield return Sample("MaxPool1d", "k3.s2.pad1.overlapping", [In([1, 2, 7], Values.Grid)], x => x[0].MaxPool1d(3, 2, 1), r => RefOps.Pool1d(r[0], 3, 2, 1, max: true));
        yield return Sample("MaxPool1d", "k2.s1.transposed", [In([1, 3, 4], Values.Grid, Layout.Transposed)], x => x[0].MaxPool1d(2, 1), r => RefOps.Pool1d(r[0], 2, 1, 0, max: true));
        yield return Sample("AvgPool1d", "k2", [In([2, 2, 6])], x => x[0].AvgPool1d(2), r => RefOps.Pool1d(r[0], 2, 2, 0, max: false));
        yield return Sample("AvgPool1d", "k3.s2.pad1.include.pad", [In([1, 2, 6])], x => x[0].AvgPool1d(3, 2, 1), r => RefOps.Pool1d(r[0], 3, 2, 1, max: false));
        yield return Sample("AvgPool1d", "k3.s2.pad1.exclude.pad", [In([1, 2, 6])], x => x[0].AvgPool1d(3, 2, 1, countIncludePad: false),
            r => RefOps.Pool1d(r[0], 3, 2, 1, max: false, countIncludePad: false));
        yield return Sample("AvgPool1d", "k2.s1.transposed", [In([1, 3, 4], layout: Layout.Transposed)], x => x[0].AvgPool1d(2, 1), r => RefOps.Pool1d(r[0], 2, 1, 0, max: false));
    }

    /// <summary>Fixed values with <paramref name="like"/>'s dtype and device.</summary>
    private static NDArray Constant(double[] values, Tensor like) => NDArray.FromArray(values).To(like.DType).To(like.Device);

    private static IEnumerable<OpSample> BatchNormSamples()
    {
        const double eps = 1e-5;
        static Ref Train(Ref x, Ref? w, Ref? b)
        {
            var (mean, variance) = RefOps.ChannelStats(x);
            return RefOps.BatchNorm(x, mean, variance, w, b, eps);
        }
        yield return Sample("BatchNorm", "train.2d.affine", [In([4, 3]), In([3], Values.Positive), In([3])],
            x => Tensor.BatchNorm(x[0], x[1], x[2], null, null, training: true), r => Train(r[0], r[1], r[2]));
        yield return Sample("BatchNorm", "train.2d", [In([4, 3])], x => Tensor.BatchNorm(x[0], null, null, null, null, training: true), r => Train(r[0], null, null));
        yield return Sample("BatchNorm", "train.4d.affine", [In([2, 3, 2, 2]), In([3], Values.Positive), In([3])],
            x => Tensor.BatchNorm(x[0], x[1], x[2], null, null, training: true), r => Train(r[0], r[1], r[2]));
        // Running statistics are fresh each evaluation, so their in-place update cannot leak between evaluations.
        yield return Sample("BatchNorm", "train.4d.running.stats", [In([2, 2, 2, 3])],
            x => Tensor.BatchNorm(x[0], null, null, NDArray.Zeros([2], x[0].DType, x[0].Device), NDArray.Ones([2], x[0].DType, x[0].Device), training: true), r => Train(r[0], null, null));
        yield return Sample("BatchNorm", "train.transposed", [In([4, 3], layout: Layout.Transposed), In([3], Values.Positive), In([3])],
            x => Tensor.BatchNorm(x[0], x[1], x[2], null, null, training: true), r => Train(r[0], r[1], r[2]));

        double[] mean = [0.25, -0.5, 0.1], variance = [0.5, 2.0, 1.5];
        yield return Sample("BatchNorm", "eval.2d.affine", [In([4, 3]), In([3], Values.Positive), In([3])],
            x => Tensor.BatchNorm(x[0], x[1], x[2], Constant(mean, x[0]), Constant(variance, x[0]), training: false),
            r => RefOps.BatchNorm(r[0], mean, variance, r[1], r[2], eps));
        yield return Sample("BatchNorm", "eval.4d", [In([2, 3, 2, 2])],
            x => Tensor.BatchNorm(x[0], null, null, Constant(mean, x[0]), Constant(variance, x[0]), training: false),
            r => RefOps.BatchNorm(r[0], mean, variance, null, null, eps));
    }
}
