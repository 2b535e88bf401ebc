namespace Scratch.Checks.Reference;

/// <summary>Naive float64 references of the compound ops (matmul, convolution, pooling, softmax, indexing, batch norm, activations).</summary>
public static class RefOps
{
    // ---- scalar functions -------------------------------------------------------------------

    /// <summary>erf by its Taylor series (accurate to ~1e-14 for |x| ≤ 3, which covers the samples).</summary>
    public static double Erf(double x)
    {
        double sum = 0, term = x;
        for (int n = 0; n < 80; n++)
        {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    /// <summary>1 / (1 + e^−x)</summary>
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>SELU with PyTorch's constants.</summary>
    public static double Selu(double x)
    {
        const double alpha = 1.6732632423543772, scale = 1.0507009873554805;
        return scale * (x > 0 ? x : alpha * (Math.Exp(x) - 1));
    }

    /// <summary>Exact GELU x·Φ(x).</summary>
    public static double Gelu(double x) => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)));

    /// <summary>PyTorch's softplus with beta and threshold.</summary>
    public static double Softplus(double x, double beta, double threshold)
        => beta * x > threshold ? x : Math.Log(1 + Math.Exp(beta * x)) / beta;

    // ---- linear algebra ---------------------------------------------------------------------

    /// <summary>torch.matmul: 1-D operands promoted (and the added dim dropped), batch dims broadcast.</summary>
    public static Ref MatMul(Ref a, Ref b)
    {
        bool vectorA = a.Rank == 1, vectorB = b.Rank == 1;
        var left = vectorA ? a.Reshape(1, a.Shape[0]) : a;
        var right = vectorB ? b.Reshape(b.Shape[0], 1) : b;
        int m = left.Shape[^2], k = left.Shape[^1], n = right.Shape[^1];
        var batch = Ref.BroadcastShape(left.Shape[..^2], right.Shape[..^2]);
        var l = left.BroadcastTo([.. batch, m, k]);
        var r = right.BroadcastTo([.. batch, k, n]);
        int[] shape = [.. batch, m, n];
        var result = new Ref(shape, new double[Ref.Product(shape)]);
        foreach (var index in Ref.Indices(shape))
        {
            double sum = 0;
            for (int p = 0; p < k; p++)
            {
                int[] li = [.. index[..^2], index[^2], p];
                int[] ri = [.. index[..^2], p, index[^1]];
                sum += l[li] * r[ri];
            }
            result[index] = sum;
        }
        int[] final = [.. batch];
        if (!vectorA) final = [.. final, m];
        if (!vectorB) final = [.. final, n];
        return result.Reshape(final);
    }

    // ---- convolution and pooling ------------------------------------------------------------

    /// <summary>Cross-correlation of x [N, C, H, W] with w [O, C/groups, KH, KW] (+ bias [O]).</summary>
    public static Ref Conv2d(Ref x, Ref w, Ref? bias, int stride, int padding, int dilation, int groups)
        => Conv2d(x, w, bias, stride, stride, padding, padding, dilation, dilation, groups);

    /// <summary>Cross-correlation with separate vertical and horizontal geometry.</summary>
    public static Ref Conv2d(Ref x, Ref w, Ref? bias, int sh, int sw, int ph, int pw, int dh, int dw, int groups)
    {
        int n = x.Shape[0], h = x.Shape[2], wd = x.Shape[3];
        int o = w.Shape[0], cg = w.Shape[1], kh = w.Shape[2], kw = w.Shape[3];
        int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
        int ow = (wd + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        int og = o / groups;
        var y = new Ref([n, o, oh, ow], new double[n * o * oh * ow]);
        foreach (var index in Ref.Indices(y.Shape))
        {
            int b = index[0], oc = index[1], i = index[2], j = index[3];
            int g = oc / og;
            double sum = bias is null ? 0 : bias[oc];
            for (int ic = 0; ic < cg; ic++)
                for (int p = 0; p < kh; p++)
                    for (int q = 0; q < kw; q++)
                    {
                        int hi = i * sh - ph + p * dh, wi = j * sw - pw + q * dw;
                        if (hi < 0 || hi >= h || wi < 0 || wi >= wd) continue;
                        sum += x[b, g * cg + ic, hi, wi] * w[oc, ic, p, q];
                    }
            y[index] = sum;
        }
        return y;
    }

    /// <summary>Max (or average) pooling of x [N, C, H, W] with a kh×kw window.</summary>
    public static Ref Pool2d(Ref x, int kh, int kw, int sh, int sw, int ph, int pw, bool max, bool countIncludePad = true)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
        int oh = (h + 2 * ph - kh) / sh + 1, ow = (wd + 2 * pw - kw) / sw + 1;
        var y = new Ref([n, c, oh, ow], new double[n * c * oh * ow]);
        foreach (var index in Ref.Indices(y.Shape))
        {
            int i = index[2], j = index[3];
            double best = double.NegativeInfinity, sum = 0;
            int real = 0, padded = 0;
            for (int p = 0; p < kh; p++)
                for (int q = 0; q < kw; q++)
                {
                    int hi = i * sh - ph + p, wi = j * sw - pw + q;
                    // PyTorch's divisor with count_include_pad counts the window clipped to the padded input.
                    if (hi < h + ph && wi < wd + pw) padded++;
                    if (hi < 0 || hi >= h || wi < 0 || wi >= wd) continue;
                    double v = x[index[0], index[1], hi, wi];
                    best = Math.Max(best, v);
                    sum += v;
                    real++;
                }
            y[index] = max ? best : sum / (countIncludePad ? padded : real);
        }
        return y;
    }

    /// <summary>Cross-correlation of x [N, C, L] with w [O, C/groups, K] (+ bias [O]), written out in one dimension.</summary>
    public static Ref Conv1d(Ref x, Ref w, Ref? bias, int stride, int padding, int dilation, int groups)
    {
        int n = x.Shape[0], l = x.Shape[2];
        int o = w.Shape[0], cg = w.Shape[1], k = w.Shape[2];
        int ol = (l + 2 * padding - dilation * (k - 1) - 1) / stride + 1;
        int og = o / groups;
        var y = new Ref([n, o, ol], new double[n * o * ol]);
        foreach (var index in Ref.Indices(y.Shape))
        {
            int b = index[0], oc = index[1], i = index[2];
            int g = oc / og;
            double sum = bias is null ? 0 : bias[oc];
            for (int ic = 0; ic < cg; ic++)
                for (int q = 0; q < k; q++)
                {
                    int li = i * stride - padding + q * dilation;
                    if (li >= 0 && li < l) sum += x[b, g * cg + ic, li] * w[oc, ic, q];
                }
            y[index] = sum;
        }
        return y;
    }

    /// <summary>Max (or average) pooling of x [N, C, L] with a window of <paramref name="kernel"/>.</summary>
    public static Ref Pool1d(Ref x, int kernel, int stride, int padding, bool max, bool countIncludePad = true)
    {
        int n = x.Shape[0], c = x.Shape[1], l = x.Shape[2];
        int ol = (l + 2 * padding - kernel) / stride + 1;
        var y = new Ref([n, c, ol], new double[n * c * ol]);
        foreach (var index in Ref.Indices(y.Shape))
        {
            double best = double.NegativeInfinity, sum = 0;
            int real = 0, padded = 0;
            for (int q = 0; q < kernel; q++)
            {
                int li = index[2] * stride - padding + q;
                if (li < l + padding) padded++;
                if (li < 0 || li >= l) continue;
                double v = x[index[0], index[1], li];
                best = Math.Max(best, v);
                sum += v;
                real++;
            }
            y[index] = max ? best : sum / (countIncludePad ? padded : real);
        }
        return y;
    }

    // ---- softmax ----------------------------------------------------------------------------

    /// <summary>Softmax (or log-softmax) along <paramref name="axis"/>, computed the textbook way.</summary>
    public static Ref Softmax(Ref x, int axis, bool log)
    {
        if (x.Rank == 0) return Ref.Scalar(log ? 0 : 1);
        axis = axis < 0 ? axis + x.Rank : axis;
        var result = new Ref(x.Shape, new double[x.Data.Length]);
        foreach (var index in Ref.Indices(x.Shape))
        {
            double denominator = 0;
            var other = (int[])index.Clone();
            for (int k = 0; k < x.Shape[axis]; k++)
            {
                other[axis] = k;
                denominator += Math.Exp(x[other]);
            }
            result[index] = log ? x[index] - Math.Log(denominator) : Math.Exp(x[index]) / denominator;
        }
        return result;
    }

    // ---- indexing ---------------------------------------------------------------------------

    /// <summary>y[…, j, …] = x[…, index[…, j, …], …] along <paramref name="axis"/>.</summary>
    public static Ref Gather(Ref x, int axis, int[] indexShape, int[] index)
    {
        var idx = new Ref(indexShape, index.Select(i => (double)i).ToArray());
        var y = new Ref(indexShape, new double[index.Length]);
        foreach (var at in Ref.Indices(indexShape))
        {
            var source = (int[])at.Clone();
            source[axis] = (int)idx[at];
            y[at] = x[source];
        }
        return y;
    }

    /// <summary>A copy of self with src added at index along <paramref name="axis"/>.</summary>
    public static Ref ScatterAdd(Ref self, int axis, int[] indexShape, int[] index, Ref source)
    {
        var idx = new Ref(indexShape, index.Select(i => (double)i).ToArray());
        var y = new Ref(self.Shape, (double[])self.Data.Clone());
        foreach (var at in Ref.Indices(indexShape))
        {
            var target = (int[])at.Clone();
            target[axis] = (int)idx[at];
            y[target] += source[at];
        }
        return y;
    }

    /// <summary>A copy of self with the slices of src added at entries index along <paramref name="axis"/>.</summary>
    public static Ref IndexAdd(Ref self, int axis, int[] index, Ref source)
    {
        var y = new Ref(self.Shape, (double[])self.Data.Clone());
        foreach (var at in Ref.Indices(source.Shape))
        {
            var target = (int[])at.Clone();
            target[axis] = index[at[axis]];
            y[target] += source[at];
        }
        return y;
    }

    // ---- batch norm -------------------------------------------------------------------------

    /// <summary>Per-channel (dim 1) biased mean and variance over all other dims.</summary>
    public static (double[] Mean, double[] Var) ChannelStats(Ref x)
    {
        int c = x.Shape[1];
        var mean = new double[c];
        var variance = new double[c];
        for (int ch = 0; ch < c; ch++)
        {
            var values = Ref.Indices(x.Shape).Where(i => i[1] == ch).Select(i => x[i]).ToArray();
            mean[ch] = values.Average();
            variance[ch] = values.Select(v => (v - mean[ch]) * (v - mean[ch])).Average();
        }
        return (mean, variance);
    }

    /// <summary>(x − mean)/√(var + eps)·weight + bias per channel (dim 1).</summary>
    public static Ref BatchNorm(Ref x, double[] mean, double[] variance, Ref? weight, Ref? bias, double eps)
    {
        var y = new Ref(x.Shape, new double[x.Data.Length]);
        foreach (var index in Ref.Indices(x.Shape))
        {
            int ch = index[1];
            double normal = (x[index] - mean[ch]) / Math.Sqrt(variance[ch] + eps);
            y[index] = normal * (weight is null ? 1 : weight[ch]) + (bias is null ? 0 : bias[ch]);
        }
        return y;
    }
}
