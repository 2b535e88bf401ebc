using Scratch.Checks.Reference;

namespace Scratch.Checks;

public static partial class OpRegistry
{
    private static IEnumerable<OpSample> ViewSamples()
    {
        // Reshape: views where the strides allow it, copies where they do not (transposed, strided).
        yield return Sample("Reshape", "2x3.to.3x2", [In([2, 3])], x => x[0].Reshape(3, 2), r => r[0].Reshape(3, 2));
        yield return Sample("Reshape", "2x3.to.-1", [In([2, 3])], x => x[0].Reshape(-1), r => r[0].Reshape(6));
        yield return Sample("Reshape", "2x3.to.1x2x1x3", [In([2, 3])], x => x[0].Reshape(1, 2, 1, 3), r => r[0].Reshape(1, 2, 1, 3));
        yield return Sample("Reshape", "transposed.copy", [In([3, 2], layout: Layout.Transposed)], x => x[0].Reshape(6), r => r[0].Reshape(6));
        yield return Sample("Reshape", "strided.copy", [In([2, 3], layout: Layout.Strided)], x => x[0].Reshape(3, -1), r => r[0].Reshape(3, 2));
        yield return Sample("Reshape", "0d.to.1x1", [In([])], x => x[0].Reshape(1, 1), r => r[0].Reshape(1, 1));

        yield return Sample("Flatten", "all", [In([2, 3, 2])], x => x[0].Flatten(), r => r[0].Reshape(12));
        yield return Sample("Flatten", "from1", [In([2, 3, 2])], x => x[0].Flatten(1), r => r[0].Reshape(2, 6));
        yield return Sample("Flatten", "0to1.transposed", [In([3, 2], layout: Layout.Transposed)], x => x[0].Flatten(0, 1), r => r[0].Reshape(6));
        yield return Sample("Flatten", "0d", [In([])], x => x[0].Flatten(), r => r[0].Reshape(1));

        yield return Sample("Squeeze", "all", [In([2, 1, 3, 1])], x => x[0].Squeeze(), r => r[0].Reshape(2, 3));
        yield return Sample("Squeeze", "axis1", [In([2, 1, 3, 1])], x => x[0].Squeeze(1), r => r[0].Reshape(2, 3, 1));
        yield return Sample("Squeeze", "axis0.not.size1", [In([2, 1])], x => x[0].Squeeze(0), r => r[0]);
        yield return Sample("Squeeze", "1x1.to.0d", [In([1, 1])], x => x[0].Squeeze(), r => r[0].Reshape());
        yield return Sample("Squeeze", "0d.axis0", [In([])], x => x[0].Squeeze(0), r => r[0]);

        yield return Sample("Unsqueeze", "axis0", [In([2, 3])], x => x[0].Unsqueeze(0), r => r[0].Reshape(1, 2, 3));
        yield return Sample("Unsqueeze", "axis-1", [In([2, 3])], x => x[0].Unsqueeze(-1), r => r[0].Reshape(2, 3, 1));
        yield return Sample("Unsqueeze", "axis1.transposed", [In([3, 2], layout: Layout.Transposed)], x => x[0].Unsqueeze(1), r => r[0].Reshape(3, 1, 2));

        yield return Sample("Permute", "2,0,1", [In([2, 3, 2])], x => x[0].Permute(2, 0, 1), r => r[0].Permute(2, 0, 1));
        yield return Sample("Permute", "negative", [In([2, 3, 2])], x => x[0].Permute(-1, 0, -2), r => r[0].Permute(2, 0, 1));
        yield return Sample("Permute", "transposed", [In([3, 2], layout: Layout.Transposed)], x => x[0].Permute(1, 0), r => r[0].Permute(1, 0));

        yield return Sample("Transpose", "default", [In([2, 3])], x => x[0].Transpose(), r => r[0].Transpose());
        yield return Sample("Transpose", "0,2", [In([2, 3, 2])], x => x[0].Transpose(0, 2), r => r[0].Transpose(0, 2));
        yield return Sample("Transpose", "1d.identity", [In([3])], x => x[0].Transpose(), r => r[0]);
        yield return Sample("get_T", "2x3", [In([2, 3])], x => x[0].T, r => r[0].Transpose());
        yield return Sample("get_T", "strided", [In([2, 3], layout: Layout.Strided)], x => x[0].T, r => r[0].Transpose());

        yield return Sample("Expand", "2x1.to.2x3", [In([2, 1])], x => x[0].Expand(2, 3), r => r[0].BroadcastTo([2, 3]));
        yield return Sample("Expand", "3.to.2x3", [In([3])], x => x[0].Expand(2, 3), r => r[0].BroadcastTo([2, 3]));
        yield return Sample("Expand", "1x2.to.3x-1", [In([1, 2])], x => x[0].Expand(3, -1), r => r[0].BroadcastTo([3, 2]));
        yield return Sample("Expand", "0d.to.2x2", [In([])], x => x[0].Expand(2, 2), r => r[0].BroadcastTo([2, 2]));
        yield return Sample("Expand", "then.mul", [In([2, 1]), In([2, 3])], x => x[0].Expand(2, 3) * x[1], r => Ref.Zip(r[0].BroadcastTo([2, 3]), r[1], (a, b) => a * b));

        yield return Sample("Slice", "axis0.1to5.step2", [In([5, 3])], x => x[0].Slice(0, 1, 5, 2), r => r[0].Slice(0, 1, 5, 2));
        yield return Sample("Slice", "axis-1.from-2", [In([3, 4])], x => x[0].Slice(-1, -2), r => r[0].Slice(1, 2, 4));
        yield return Sample("Slice", "to-1.step3", [In([7])], x => x[0].Slice(0, null, -1, 3), r => r[0].Slice(0, 0, 6, 3));
        yield return Sample("Slice", "clamped.end", [In([3, 4])], x => x[0].Slice(1, 1, 100), r => r[0].Slice(1, 1, 4));
        yield return Sample("Slice", "empty", [In([3, 4])], x => x[0].Slice(0, 2, 1), r => r[0].Slice(0, 2, 1));
        yield return Sample("Slice", "transposed.step2", [In([4, 3], layout: Layout.Transposed)], x => x[0].Slice(0, step: 2), r => r[0].Slice(0, 0, 4, 2));
        yield return Sample("Slice", "twice", [In([6, 5])], x => x[0].Slice(0, 1, null, 2).Slice(1, -4, -1, 2), r => r[0].Slice(0, 1, 6, 2).Slice(1, 1, 4, 2));

        yield return Sample("Narrow", "axis0", [In([4, 3])], x => x[0].Narrow(0, 1, 2), r => r[0].Slice(0, 1, 3));
        yield return Sample("Narrow", "axis-1.strided", [In([2, 4], layout: Layout.Strided)], x => x[0].Narrow(-1, 2, 2), r => r[0].Slice(1, 2, 4));

        yield return Sample("Select", "axis1.index-1", [In([3, 4])], x => x[0].Select(1, -1), r => r[0].Select(1, 3));
        yield return Sample("Select", "axis0", [In([3, 4])], x => x[0].Select(0, 1), r => r[0].Select(0, 1));
        yield return Sample("Select", "1d.to.0d", [In([4])], x => x[0].Select(0, 2), r => r[0].Select(0, 2));
        yield return Sample("Select", "transposed.rank3", [In([2, 3, 2], layout: Layout.Transposed)], x => x[0].Select(2, 1), r => r[0].Select(2, 1));
        yield return Sample("get_Row", "1", [In([3, 4])], x => x[0][1], r => r[0].Select(0, 1));
        yield return Sample("get_Row", "-1.twice", [In([3, 2, 2])], x => x[0][-1][0], r => r[0].Select(0, 2).Select(0, 0));

        yield return Sample("Pad", "last.1,2", [In([2, 3])], x => x[0].Pad([1, 2]), r => r[0].Pad([1, 2], 0));
        yield return Sample("Pad", "two.dims", [In([2, 3])], x => x[0].Pad([1, 0, 0, 2]), r => r[0].Pad([1, 0, 0, 2], 0));
        yield return Sample("Pad", "crop.and.pad", [In([2, 4])], x => x[0].Pad([-1, 1]), r => r[0].Pad([-1, 1], 0));
        yield return Sample("Pad", "crop.both.value", [In([3, 5])], x => x[0].Pad([-2, -1, 1, -1], 0.5), r => r[0].Pad([-2, -1, 1, -1], 0.5));
        yield return Sample("Pad", "transposed.rank3", [In([2, 3, 2], layout: Layout.Transposed)], x => x[0].Pad([0, 1, 1, 0]), r => r[0].Pad([0, 1, 1, 0], 0));
    }

    private static IEnumerable<OpSample> JoinSamples()
    {
        // Split: each piece scaled differently, so a wrong split routes gradients to the wrong place.
        static Tensor Weighted(Tensor[] parts, int axis) => Tensor.Concat(parts.Select((p, i) => p * (i + 1)).ToArray(), axis);
        static Ref WeightedRef(Ref x, int axis, int[] sizes)
        {
            var parts = new List<Ref>();
            int at = 0;
            for (int i = 0; i < sizes.Length; i++)
            {
                int k = i + 1;
                parts.Add(x.Slice(axis, at, at + sizes[i]).Map(v => v * k));
                at += sizes[i];
            }
            return Ref.Concat(parts.ToArray(), axis);
        }
        yield return Sample("Split", "sizes.1,2.axis1", [In([2, 3])], x => Weighted(x[0].Split([1, 2], 1), 1), r => WeightedRef(r[0], 1, [1, 2]));
        yield return Sample("Split", "size2.axis0", [In([5, 2])], x => Weighted(x[0].Split(2), 0), r => WeightedRef(r[0], 0, [2, 2, 1]));
        yield return Sample("Split", "empty.piece.transposed", [In([3, 2], layout: Layout.Transposed)], x => Weighted(x[0].Split([0, 3, 0], 0), 0), r => WeightedRef(r[0], 0, [0, 3, 0]));

        yield return Sample("Concat", "axis1.three", [In([2, 1]), In([2, 3]), In([2, 2])], x => Tensor.Concat(x, 1), r => Ref.Concat(r, 1));
        yield return Sample("Concat", "axis0", [In([1, 3]), In([2, 3])], x => Tensor.Concat(x, 0), r => Ref.Concat(r, 0));
        yield return Sample("Concat", "axis-1.transposed.strided", [In([2, 3], layout: Layout.Transposed), In([2, 2], layout: Layout.Strided)], x => Tensor.Concat(x, -1), r => Ref.Concat(r, 1));
        yield return Sample("Concat", "one.constant", [In([2, 2], grad: false), In([1, 2])], x => Tensor.Concat(x, 0), r => Ref.Concat(r, 0));
        yield return Sample("Concat", "empty.part", [In([0, 3]), In([2, 3])], x => Tensor.Concat(x, 0), r => Ref.Concat(r, 0));

        yield return Sample("Stack", "axis0", [In([2, 3]), In([2, 3])], x => Tensor.Stack(x, 0), r => Ref.Concat(r.Select(p => p.Reshape(1, 2, 3)).ToArray(), 0));
        yield return Sample("Stack", "axis1", [In([2, 3]), In([2, 3]), In([2, 3])], x => Tensor.Stack(x, 1), r => Ref.Concat(r.Select(p => p.Reshape(2, 1, 3)).ToArray(), 1));
        yield return Sample("Stack", "axis-1.transposed", [In([3, 2], layout: Layout.Transposed), In([3, 2])], x => Tensor.Stack(x, -1), r => Ref.Concat(r.Select(p => p.Reshape(3, 2, 1)).ToArray(), 2));
        yield return Sample("Stack", "0d", [In([]), In([])], x => Tensor.Stack(x), r => Ref.Concat(r.Select(p => p.Reshape(1)).ToArray(), 0));
    }

    private static IEnumerable<OpSample> IndexingSamples()
    {
        int[] gatherIndex = [3, 0, 0, 2, 1, 1];
        yield return Sample("Gather", "axis1", [In([3, 4]), InputSpec.Index([3, 2], gatherIndex)], x => x[0].Gather(1, x[1]),
            r => RefOps.Gather(r[0], 1, [3, 2], gatherIndex));
        int[] gatherRows = [2, 0, 1, 2, 0, 0, 2, 1];
        yield return Sample("Gather", "axis0.duplicates", [In([3, 4]), InputSpec.Index([2, 4], gatherRows)], x => x[0].Gather(0, x[1]),
            r => RefOps.Gather(r[0], 0, [2, 4], gatherRows));
        int[] gatherT = [1, 0, 1, 1, 0, 0];
        yield return Sample("Gather", "transposed.axis-1", [In([3, 2], layout: Layout.Transposed), InputSpec.Index([3, 2], gatherT)], x => x[0].Gather(-1, x[1]),
            r => RefOps.Gather(r[0], 1, [3, 2], gatherT));

        yield return Sample("ScatterAdd", "axis0.duplicates", [In([3, 4]), InputSpec.Index([2, 4], gatherRows), In([2, 4])], x => x[0].ScatterAdd(0, x[1], x[2]),
            r => RefOps.ScatterAdd(r[0], 0, [2, 4], gatherRows, r[2]));
        yield return Sample("ScatterAdd", "axis1.transposed.src", [In([3, 4]), InputSpec.Index([3, 2], gatherIndex), In([3, 2], layout: Layout.Transposed)],
            x => x[0].ScatterAdd(1, x[1], x[2]), r => RefOps.ScatterAdd(r[0], 1, [3, 2], gatherIndex, r[2]));
        yield return Sample("ScatterAdd", "constant.self", [In([3, 4], grad: false), InputSpec.Index([2, 4], gatherRows), In([2, 4])], x => x[0].ScatterAdd(0, x[1], x[2]),
            r => RefOps.ScatterAdd(r[0], 0, [2, 4], gatherRows, r[2]));

        int[] rows = [2, 0, 2];
        yield return Sample("IndexSelect", "axis0.duplicates", [In([4, 3]), InputSpec.Index([3], rows)], x => x[0].IndexSelect(0, x[1]), r => r[0].Pick(0, rows));
        yield return Sample("IndexSelect", "axis1.one", [In([2, 3]), InputSpec.Index([1], 1)], x => x[0].IndexSelect(1, x[1]), r => r[0].Pick(1, [1]));
        yield return Sample("IndexSelect", "transposed.axis-1", [In([2, 4], layout: Layout.Transposed), InputSpec.Index([3], rows)], x => x[0].IndexSelect(-1, x[1]),
            r => r[0].Pick(1, rows));

        int[] targets = [1, 3, 1];
        yield return Sample("IndexAdd", "axis0.duplicates", [In([4, 3]), InputSpec.Index([3], targets), In([3, 3])], x => x[0].IndexAdd(0, x[1], x[2]),
            r => RefOps.IndexAdd(r[0], 0, targets, r[2]));
        yield return Sample("IndexAdd", "axis1.transposed", [In([2, 4], layout: Layout.Transposed), InputSpec.Index([3], targets), In([2, 3])],
            x => x[0].IndexAdd(1, x[1], x[2]), r => RefOps.IndexAdd(r[0], 1, targets, r[2]));
    }
}
