namespace Scratch.Training;

/// <summary>
/// Ranking metrics of a binary classifier over plain arrays: the scores are any monotone score of the
/// positive class (logits or probabilities), labels are 0 or 1. Both are undefined (NaN) when only one class occurs.
/// </summary>
public static class BinaryMetrics
{
    /// <summary>
    /// Area under the ROC curve: the probability that a random positive scores above a random negative, ties counting
    /// one half (the Mann–Whitney U statistic over the average ranks; scikit-learn's <c>roc_auc_score</c>).
    /// </summary>
    public static double RocAuc(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels)
    {
        var (order, positives) = Sorted(scores, labels, "ROC AUC");
        long negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        // Sum of the (1-based, tie-averaged) ranks of the positives in ascending score order.
        double rankSum = 0;
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]]) j++;
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++)
                if (labels[order[k]] == 1) rankSum += averageRank;
            i = j + 1;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>
    /// Area under the precision–recall curve as average precision: Σ (R_k − R_{k−1})·P_k over the distinct thresholds
    /// from the highest score down (scikit-learn's <c>average_precision_score</c>, no interpolation).
    /// </summary>
    public static double AveragePrecision(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels)
    {
        var (order, positives) = Sorted(scores, labels, "PR AUC");
        if (positives == 0 || positives == labels.Length) return double.NaN;
        double area = 0, previousRecall = 0;
        long truePositives = 0, predicted = 0;
        for (int i = order.Length - 1; i >= 0;)
        {
            int j = i;
            while (j - 1 >= 0 && scores[order[j - 1]] == scores[order[i]]) j--;
            for (int k = j; k <= i; k++)
            {
                predicted++;
                if (labels[order[k]] == 1) truePositives++;
            }
            double recall = (double)truePositives / positives;
            double precision = (double)truePositives / predicted;
            area += (recall - previousRecall) * precision;
            previousRecall = recall;
            i = j - 1;
        }
        return area;
    }

    /// <summary>Indices sorted by ascending score, and the number of positives; checks the inputs.</summary>
    private static (int[] Order, long Positives) Sorted(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, string metric)
    {
        ClassificationMetrics.CheckLengths(scores.Length, labels.Length, metric, "scores");
        long positives = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0 or 1)) throw new ArgumentException($"{metric}: label {labels[i]} at row {i} is not 0 or 1");
            if (double.IsNaN(scores[i])) throw new ArgumentException($"{metric}: score at row {i} is NaN");
            positives += labels[i];
        }
        var order = Enumerable.Range(0, scores.Length).ToArray();
        var keys = scores.ToArray();
        Array.Sort(keys, order);
        return (order, positives);
    }
}
