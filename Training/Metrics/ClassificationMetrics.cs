using System.Numerics;

namespace Scratch.Training;

/// <summary>
/// Classification metrics over plain arrays. Scores are row-major [n, classes] (logits or probabilities: only their
/// order matters). Ties go to the lower class index, and NaN scores rank below every number, so that top-1 accuracy
/// always equals the accuracy of <see cref="ArgMax{T}"/>.
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>The predicted class of each row of <paramref name="scores"/> ([n, <paramref name="classes"/>]).</summary>
    public static int[] ArgMax<T>(ReadOnlySpan<T> scores, int classes) where T : IFloatingPointIeee754<T>
    {
        int rows = CheckScores(scores.Length, classes, "argmax");
        var predictions = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            var row = scores.Slice(i * classes, classes);
            int best = 0;
            for (int j = 1; j < classes; j++)
            {
                if (Ranks(row[j], row[best])) best = j;
            }
            predictions[i] = best;
        }
        return predictions;
    }

    /// <summary>The fraction of <paramref name="predictions"/> equal to <paramref name="labels"/>.</summary>
    public static double Accuracy(ReadOnlySpan<int> predictions, ReadOnlySpan<int> labels)
    {
        CheckLengths(predictions.Length, labels.Length, "accuracy", "predictions");
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (predictions[i] == labels[i]) correct++;
        }
        return (double)correct / labels.Length;
    }

    /// <summary>The fraction of rows whose label is the top-1 class of <paramref name="scores"/>.</summary>
    public static double Accuracy<T>(ReadOnlySpan<T> scores, int classes, ReadOnlySpan<int> labels) where T : IFloatingPointIeee754<T> =>
        TopKAccuracy(scores, classes, labels, 1);

    /// <summary>
    /// The fraction of rows whose label is among the <paramref name="k"/> highest scores of its row: fewer than k
    /// classes rank above it (a higher score, or an equal score at a lower index).
    /// </summary>
    public static double TopKAccuracy<T>(ReadOnlySpan<T> scores, int classes, ReadOnlySpan<int> labels, int k) where T : IFloatingPointIeee754<T>
    {
        int rows = CheckScores(scores.Length, classes, "top-k accuracy");
        CheckLengths(rows, labels.Length, "top-k accuracy", "score rows");
        if (k < 1 || k > classes)
            throw new ArgumentOutOfRangeException(nameof(k), $"top-k accuracy: k = {k} must be in 1..{classes}");
        int correct = 0;
        for (int i = 0; i < rows; i++)
        {
            int label = labels[i];
            if ((uint)label >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(labels), $"top-k accuracy: label {label} at row {i} is outside 0..{classes - 1}");
            var row = scores.Slice(i * classes, classes);
            int above = 0;
            for (int j = 0; j < classes && above < k; j++)
            {
                if (j != label && (Ranks(row[j], row[label]) || (j < label && Ties(row[j], row[label])))) above++;
            }
            if (above < k) correct++;
        }
        return (double)correct / rows;
    }

    /// <summary>Whether <paramref name="a"/> ranks strictly above <paramref name="b"/> (NaN ranks lowest).</summary>
    private static bool Ranks<T>(T a, T b) where T : IFloatingPointIeee754<T> =>
        !T.IsNaN(a) && (T.IsNaN(b) || a > b);

    private static bool Ties<T>(T a, T b) where T : IFloatingPointIeee754<T> =>
        a == b || (T.IsNaN(a) && T.IsNaN(b));

    private static int CheckScores(int length, int classes, string metric)
    {
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), $"{metric}: classes = {classes} must be positive");
        if (length % classes != 0)
            throw new ArgumentException($"{metric}: {length} scores are not a whole number of rows of {classes} classes");
        if (length == 0) throw new ArgumentException($"{metric}: no scores");
        return length / classes;
    }

    internal static void CheckLengths(int first, int second, string metric, string firstName)
    {
        if (first != second) throw new ArgumentException($"{metric}: {first} {firstName} but {second} labels");
        if (first == 0) throw new ArgumentException($"{metric}: no examples");
    }
}
