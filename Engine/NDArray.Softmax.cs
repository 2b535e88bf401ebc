namespace Scratch;

public sealed partial class NDArray
{
    /// <summary>Softmax along <paramref name="axis"/>.</summary>
    public NDArray Softmax(int axis = -1) => SoftmaxCore("softmax", axis, log: false);

    /// <summary>Log-softmax along <paramref name="axis"/> (stable: x − logsumexp(x)).</summary>
    public NDArray LogSoftmax(int axis = -1) => SoftmaxCore("log_softmax", axis, log: true);

    /// <summary>∂L/∂x of softmax (or log-softmax) given its output <paramref name="output"/> and ∂L/∂y.</summary>
    public static NDArray SoftmaxBackward(NDArray output, NDArray gradOutput, int axis, bool log)
    {
        string op = log ? "log_softmax_backward" : "softmax_backward";
        CheckSameDType(op, output, gradOutput);
        int a = Shapes.Axis(op, axis, output.Rank);
        var y = output.Contiguous();
        var gy = gradOutput.Contiguous();
        var gx = output.EmptyLike();
        if (gx.Count > 0)
        {
            int[] split = SoftmaxSplit(output._shape, a);
            output.Backend.SoftmaxBackward(y.Reshape(split).KernelView, gy.Reshape(split).KernelView, gx.Reshape(split).KernelView, log);
        }
        return gx;
    }

    private NDArray SoftmaxCore(string op, int axis, bool log)
    {
        CheckFloating(op);
        int a = Shapes.Axis(op, axis, Rank);
        var x = Contiguous();
        var y = EmptyLike();
        if (Count > 0)
        {
            int[] split = SoftmaxSplit(_shape, a);
            Backend.Softmax(x.Reshape(split).KernelView, y.Reshape(split).KernelView, log);
        }
        return y;
    }

    /// <summary>[outer, n, inner] around <paramref name="axis"/>.</summary>
    private static int[] SoftmaxSplit(int[] shape, int axis)
    {
        if (shape.Length == 0) return [1, 1, 1];
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        return [outer, shape[axis], inner];
    }
}
