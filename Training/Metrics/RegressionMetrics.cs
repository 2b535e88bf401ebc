using System.Numerics;

namespace Scratch.Training;

/// <summary>Regression metrics over plain arrays, accumulated in double precision in index order.</summary>
public static class RegressionMetrics
{
    /// <summary>Mean absolute error: mean of |prediction - target|.</summary>
    public static double MeanAbsoluteError<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets) where T : INumberBase<T>
    {
        ClassificationMetrics.CheckLengths(predictions.Length, targets.Length, "MAE", "predictions");
        double sum = 0;
        for (int i = 0; i < targets.Length; i++) sum += Math.Abs(double.CreateChecked(predictions[i]) - double.CreateChecked(targets[i]));
        return sum / targets.Length;
    }

    /// <summary>Mean squared error: mean of (prediction - target)^2.</summary>
    public static double MeanSquaredError<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets) where T : INumberBase<T>
    {
        ClassificationMetrics.CheckLengths(predictions.Length, targets.Length, "MSE", "predictions");
        return SumOfSquaredErrors(predictions, targets) / targets.Length;
    }

    /// <summary>Root mean squared error: the square root of <see cref="MeanSquaredError{T}"/>.</summary>
    public static double RootMeanSquaredError<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets) where T : INumberBase<T> =>
        Math.Sqrt(MeanSquaredError(predictions, targets));

    /// <summary>
    /// Coefficient of determination: 1 - SS_res / SS_tot, where SS_tot is the targets' squared deviation from their
    /// mean. When the targets are constant (SS_tot = 0) it is 1 for a perfect prediction and 0 otherwise, as in
    /// scikit-learn's <c>r2_score</c>.
    /// </summary>
    public static double R2Score<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets) where T : INumberBase<T>
    {
        ClassificationMetrics.CheckLengths(predictions.Length, targets.Length, "R2", "predictions");
        double mean = 0;
        for (int i = 0; i < targets.Length; i++) mean += double.CreateChecked(targets[i]);
        mean /= targets.Length;
        double total = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            double d = double.CreateChecked(targets[i]) - mean;
            total += d * d;
        }
        double residual = SumOfSquaredErrors(predictions, targets);
        if (total == 0) return residual == 0 ? 1 : 0;
        return 1 - residual / total;
    }

    private static double SumOfSquaredErrors<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets) where T : INumberBase<T>
    {
        double sum = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            double d = double.CreateChecked(predictions[i]) - double.CreateChecked(targets[i]);
            sum += d * d;
        }
        return sum;
    }
}
