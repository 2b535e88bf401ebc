namespace Scratch.Training;

/// <summary>The loss each <see cref="TaskKind"/> trains with, optionally weighting the classes.</summary>
public static class TaskLosses
{
    /// <summary>
    /// Cross entropy on logits for classification, binary cross entropy on logits for binary (the output [N] or
    /// [N, 1] and the target reshaped alike) and multi-label, mean squared error for regression.
    /// </summary>
    /// <param name="task">The task.</param>
    /// <param name="classWeights">
    /// Classification: one weight per class (PyTorch's <c>weight</c>: the mean divides by the summed weights).
    /// Binary: [w₀, w₁], each example weighted by the weight of its label. Multi-label: one weight per label for its
    /// positive term (PyTorch's <c>pos_weight</c>). Not allowed for regression.
    /// </param>
    public static Func<Tensor, Tensor, Tensor> For(TaskKind task, double[]? classWeights = null)
    {
        if (classWeights is not null && (classWeights.Length == 0 || classWeights.Any(w => !(w >= 0) || double.IsInfinity(w))))
            throw new ArgumentException($"class weights must be finite and >= 0, got [{string.Join(", ", classWeights)}]");
        switch (task)
        {
            case TaskKind.Classification:
            {
                var weight = classWeights is null ? null : new Tensor(NDArray.FromArray(Array.ConvertAll(classWeights, w => (float)w)));
                return (output, target) =>
                {
                    if (weight is not null && output.Rank == 2 && output.Shape[1] != weight.Shape[0])
                        throw new ArgumentException($"{weight.Shape[0]} class weights for {output.Shape[1]} classes");
                    return Losses.CrossEntropy(output, target, weight?.To(output.Device));
                };
            }
            case TaskKind.Binary:
            {
                if (classWeights is { Length: not 2 }) throw new ArgumentException($"a binary task takes 2 class weights (negative, positive), got {classWeights.Length}");
                return (output, target) =>
                {
                    var logits = output.Reshape(-1);
                    var labels = target.Reshape(-1).To(logits.DType);
                    if (classWeights is null) return Losses.BCEWithLogits(logits, labels);
                    // w(y) = w₀ + (w₁ − w₀)·y for y in {0, 1}.
                    var weights = labels * (classWeights[1] - classWeights[0]) + classWeights[0];
                    return Losses.BCEWithLogits(logits, labels, weight: weights);
                };
            }
            case TaskKind.MultiLabel:
            {
                var positive = classWeights is null ? null : new Tensor(NDArray.FromArray(Array.ConvertAll(classWeights, w => (float)w)));
                return (output, target) =>
                {
                    if (positive is not null && output.Rank == 2 && output.Shape[1] != positive.Shape[0])
                        throw new ArgumentException($"{positive.Shape[0]} label weights for {output.Shape[1]} labels");
                    return Losses.BCEWithLogits(output, target.To(output.DType), posWeight: positive?.To(output.Device));
                };
            }
            case TaskKind.Regression:
                if (classWeights is not null) throw new ArgumentException("class weights make no sense for regression");
                return (output, target) => Losses.MSE(output, target);
            default:
                throw new ArgumentOutOfRangeException(nameof(task), task, "unknown task");
        }
    }

    /// <summary>
    /// "Balanced" class weights n / (k · count(c)) (scikit-learn's <c>class_weight="balanced"</c>), from the labels of
    /// the training split: rare classes weigh more. A class absent from the labels gets weight 0.
    /// </summary>
    public static double[] Balanced(ReadOnlySpan<int> labels, int classes)
    {
        var counts = new long[classes];
        foreach (int y in labels)
        {
            if ((uint)y >= (uint)classes) throw new ArgumentException($"balanced class weights: label {y} is outside 0..{classes - 1}");
            counts[y]++;
        }
        int n = labels.Length;
        return Array.ConvertAll(counts, c => c == 0 ? 0 : (double)n / (classes * c));
    }
}
