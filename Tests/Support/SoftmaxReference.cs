namespace Scratch.Tests.Support;

/// <summary>
/// Naive float64 softmax and its backward along the middle dim of a contiguous [outer, n, inner]
/// array: the reference that the CPU and GPU kernel tests compare with.
/// </summary>
public static class SoftmaxReference
{
    /// <summary>Softmax (or log-softmax when <paramref name="log"/>) of x along dim 1, max-shifted.</summary>
    public static double[] Forward(double[] x, int outer, int n, int inner, bool log)
    {
        var y = new double[x.Length];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double max = double.NegativeInfinity;
                for (int j = 0; j < n; j++) max = Math.Max(max, x[(o * n + j) * inner + i]);
                double sum = 0;
                for (int j = 0; j < n; j++) sum += Math.Exp(x[(o * n + j) * inner + i] - max);
                for (int j = 0; j < n; j++)
                {
                    int at = (o * n + j) * inner + i;
                    y[at] = log ? x[at] - max - Math.Log(sum) : Math.Exp(x[at] - max) / sum;
                }
            }
        return y;
    }

    /// <summary>
    /// gx from the forward output y and gy: y·(gy − Σ gy·y) for softmax, gy − e^y·Σ gy for log-softmax.
    /// </summary>
    public static double[] Backward(double[] y, double[] gy, int outer, int n, int inner, bool log)
    {
        var gx = new double[y.Length];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double s = 0;
                for (int j = 0; j < n; j++)
                {
                    int at = (o * n + j) * inner + i;
                    s += log ? gy[at] : gy[at] * y[at];
                }
                for (int j = 0; j < n; j++)
                {
                    int at = (o * n + j) * inner + i;
                    gx[at] = log ? gy[at] - Math.Exp(y[at]) * s : y[at] * (gy[at] - s);
                }
            }
        return gx;
    }
}
