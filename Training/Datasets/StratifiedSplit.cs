namespace Scratch.Training;

/// <summary>Splits example indices in two, keeping each class's share the same in both parts (for classification).</summary>
public static class StratifiedSplit
{
    /// <summary>
    /// Returns (kept, held out) index arrays: from each class, round(<paramref name="fraction"/> · its count) examples
    /// drawn at random are held out, so both parts keep the class proportions. With <paramref name="labels"/> null
    /// (regression, multi-label) the split is plainly random. Reproducible for a given generator.
    /// </summary>
    public static (int[] Kept, int[] HeldOut) Split(int count, int[]? labels, double fraction, Generator generator)
    {
        if (fraction is < 0 or >= 1 || double.IsNaN(fraction)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "split: fraction must be in [0, 1)");
        if (labels is not null && labels.Length != count) throw new ArgumentException($"split: {labels.Length} labels for {count} examples");
        var order = NDArray.RandpermHost(count, generator);
        var rest = new List<int>();
        var heldOut = new List<int>();
        if (labels is null)
        {
            int held = (int)Math.Round(count * fraction);
            heldOut.AddRange(order[..held]);
            rest.AddRange(order[held..]);
        }
        else
        {
            // Walk the random order once per class, so each class's pick is random too.
            foreach (var group in order.GroupBy(i => labels[i]).OrderBy(g => g.Key))
            {
                var members = group.ToArray();
                int held = (int)Math.Round(members.Length * fraction);
                heldOut.AddRange(members[..held]);
                rest.AddRange(members[held..]);
            }
        }
        int[] a = [.. rest.Order()], b = [.. heldOut.Order()];
        return (a, b);
    }
}
