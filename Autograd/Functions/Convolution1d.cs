using Scratch.Kernels;

namespace Scratch;

public sealed partial class Tensor
{
    /// <summary>
    /// 1-D convolution (cross-correlation) of x [N, C, L] with weight [O, C/groups, K] and optional bias [O],
    /// giving [N, O, (L + 2·padding − dilation·(K − 1) − 1)/stride + 1]. It runs as a 2-D convolution of
    /// height 1 ([N, C, 1, L] with a 1×K kernel), so it shares that primitive's kernels and gradients.
    /// </summary>
    public static Tensor Conv1d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (x.Rank != 3 || weight.Rank != 3)
            throw new ArgumentException($"conv1d: input must be [N, C, L] and weight [O, C/groups, K], got input {x.ShapeString} and weight {weight.ShapeString}");
        if (groups >= 1 && x.Shape[1] != weight.Shape[1] * groups)
            throw new ArgumentException($"conv1d: input {x.ShapeString} has {x.Shape[1]} channels, but weight {weight.ShapeString} with groups {groups} expects {weight.Shape[1] * groups}");
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != weight.Shape[0]))
            throw new ArgumentException($"conv1d: bias {bias.ShapeString} must be [{weight.Shape[0]}] for weight {weight.ShapeString}");
        if (stride >= 1 && padding >= 0 && dilation >= 1 && x.Shape[2] + 2 * padding < dilation * (weight.Shape[2] - 1) + 1)
            throw new ArgumentException($"conv1d: input {x.ShapeString} padded by {padding} is shorter than weight {weight.ShapeString}'s kernel of {weight.Shape[2]} with dilation {dilation}");
        var geometry = new Conv2dParams(1, stride, 0, padding, 1, dilation, groups);
        return Conv2d(x.Unsqueeze(2), weight.Unsqueeze(2), bias, geometry).Squeeze(2);
    }

    /// <summary>Max pooling of x [N, C, L] over windows of <paramref name="kernel"/> (stride defaults to the window; padding counts as −∞).</summary>
    public Tensor MaxPool1d(int kernel, int? stride = null, int padding = 0)
    {
        if (Rank != 3) throw new ArgumentException($"max_pool1d: input must be [N, C, L], got {ShapeString}");
        return Unsqueeze(2).MaxPool2d(new Pool2dParams(1, kernel, 1, stride ?? kernel, 0, padding)).Squeeze(2);
    }

    /// <summary>
    /// Average pooling of x [N, C, L] over windows of <paramref name="kernel"/> (stride defaults to the window;
    /// zero padding is counted in the average unless <paramref name="countIncludePad"/> is false).
    /// </summary>
    public Tensor AvgPool1d(int kernel, int? stride = null, int padding = 0, bool countIncludePad = true)
    {
        if (Rank != 3) throw new ArgumentException($"avg_pool1d: input must be [N, C, L], got {ShapeString}");
        return Unsqueeze(2).AvgPool2d(new Pool2dParams(1, kernel, 1, stride ?? kernel, 0, padding, countIncludePad)).Squeeze(2);
    }
}
