using Scratch.Kernels;

namespace Scratch;

/// <summary>Gradient clipping, applied in place to the <see cref="Tensor.Grad"/> of parameters (those without a gradient are skipped).</summary>
public static class GradClip
{
    /// <summary>
    /// Scales all gradients together so that their total norm (the norm of the per-tensor norms) is at most
    /// <paramref name="maxNorm"/>, like <c>torch.nn.utils.clip_grad_norm_</c>: every gradient is multiplied by
    /// min(1, maxNorm / (total + 1e-6)). <paramref name="normType"/> is p of the p-norm (&gt; 0), or
    /// <see cref="double.PositiveInfinity"/> for the largest absolute value. Returns the total norm before clipping.
    /// </summary>
    /// <exception cref="ArithmeticException">When <paramref name="errorIfNonfinite"/> and the total norm is NaN or infinite.</exception>
    public static double ClipByNorm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, $"clip_grad_norm: maxNorm must be >= 0, got {maxNorm}");
        if (!(normType > 0))
            throw new ArgumentOutOfRangeException(nameof(normType), normType, $"clip_grad_norm: normType must be > 0 or +infinity, got {normType}");

        var grads = Gradients(parameters);
        if (grads.Count == 0) return 0;

        double total;
        if (double.IsPositiveInfinity(normType))
        {
            total = 0;
            foreach (var g in grads)
                if (g.Count > 0) total = MaxNaN(total, g.Abs().Max().Item());
        }
        else
        {
            // The norm of the per-tensor norms is (Σ over tensors of Σ|g|^p)^(1/p): one root at the end.
            double sum = 0;
            foreach (var g in grads)
                if (g.Count > 0) sum += PowerSum(g, normType);
            total = Math.Pow(sum, 1 / normType);
        }

        if (errorIfNonfinite && !double.IsFinite(total))
            throw new ArithmeticException($"clip_grad_norm: the total {normType}-norm of the gradients is {total}; pass errorIfNonfinite: false to clip anyway");

        double coefficient = Math.Min(maxNorm / (total + 1e-6), 1.0);
        if (double.IsNaN(total)) coefficient = double.NaN;
        if (coefficient != 1.0)
            foreach (var g in grads) g.MulInPlace(coefficient);
        return total;
    }

    /// <summary>Clamps every gradient element into [−clipValue, clipValue], like <c>torch.nn.utils.clip_grad_value_</c>.</summary>
    public static void ClipByValue(IEnumerable<Tensor> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue >= 0))
            throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, $"clip_grad_value: clipValue must be >= 0, got {clipValue}");
        foreach (var g in Gradients(parameters)) g.ApplyInPlace(UnaryOp.Clamp, -clipValue, clipValue);
    }

    private static List<NDArray> Gradients(IEnumerable<Tensor> parameters)
    {
        var seen = new HashSet<NDArray>(ReferenceEqualityComparer.Instance);
        var result = new List<NDArray>();
        foreach (var p in parameters)
        {
            var g = p.Grad?.Data;
            if (g is not null && seen.Add(g)) result.Add(g);
        }
        return result;
    }

    /// <summary>Σ|g|^p, summed on the device in g's dtype.</summary>
    private static double PowerSum(NDArray g, double p)
    {
        if (p == 2) return g.Square().Sum().Item();
        if (p == 1) return g.Abs().Sum().Item();
        return g.Abs().Pow(p).Sum().Item();
    }

    private static double MaxNaN(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b);
}
