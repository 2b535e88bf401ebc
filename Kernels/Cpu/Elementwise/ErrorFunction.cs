namespace Scratch.Kernels.Cpu;

/// <summary>
/// The error function and its complement in double precision, which .NET's Math lacks (needed by
/// the exact Gelu). Two classical expansions, each used where it converges fast and loses no digits:
/// <list type="bullet">
/// <item>|t| &lt; 2: erf t = (2/√π)·e^(−t²)·Σ 2ⁿ t^(2n+1) / (1·3·…·(2n+1)), a series of positive terms.</item>
/// <item>t ≥ 2: erfc t = e^(−t²) / (√π·(t + ½/(t + 1/(t + (3/2)/(t + …))))), Laplace's continued fraction,
/// evaluated backwards from a fixed depth.</item>
/// </list>
/// Relative error is about 1e-14 or better over the whole line.
/// </summary>
internal static class ErrorFunction
{
    private const double TwoOverSqrtPi = 1.1283791670955126;
    private const double OneOverSqrtPi = 0.5641895835477563;
    private const double SeriesLimit = 2.0;

    /// <summary>erf t.</summary>
    public static double Erf(double t)
    {
        if (double.IsNaN(t)) return t;
        double a = Math.Abs(t);
        if (a < SeriesLimit) return Series(t);
        double r = 1 - ContinuedFraction(a);
        return t < 0 ? -r : r;
    }

    /// <summary>erfc t = 1 − erf t, accurate also where it is tiny (large t).</summary>
    public static double Erfc(double t)
    {
        if (double.IsNaN(t)) return t;
        if (t >= SeriesLimit) return ContinuedFraction(t);
        if (t <= -SeriesLimit) return 2 - ContinuedFraction(-t);
        return 1 - Series(t);
    }

    private static double Series(double t)
    {
        double twoT2 = 2 * t * t;
        double term = t, sum = t;
        // Terms grow while 2n+1 < 2t² (at most 8 here), then shrink geometrically.
        for (int n = 1; n < 100; n++)
        {
            term *= twoT2 / (2 * n + 1);
            sum += term;
            if (Math.Abs(term) <= 1e-17 * Math.Abs(sum)) break;
        }
        return TwoOverSqrtPi * Math.Exp(-t * t) * sum;
    }

    private static double ContinuedFraction(double t)
    {
        if (double.IsPositiveInfinity(t)) return 0;
        // Depth enough for full precision at the smallest t (2); fewer terms converge further out.
        int depth = t < 3 ? 60 : t < 4 ? 36 : 20;
        double f = t;
        for (int n = depth; n >= 1; n--) f = t + 0.5 * n / f;
        return Math.Exp(-t * t) * OneOverSqrtPi / f;
    }
}
