using NUnit.Framework;
using Scratch.Tests.Support;
using Scratch.Kernels;

namespace Scratch.Tests.Kernels.Elementwise;

/// <summary>One unary function under test: parameters, a test domain, and a naive float64 reference.</summary>
public sealed record UnaryCase(UnaryOp Op, double Alpha, double Beta, double Low, double High, Func<double, double> Reference, params double[] Kinks)
{
    public override string ToString() => Alpha == 0 && Beta == 0 ? Op.ToString() : $"{Op}({Alpha}, {Beta})";
}

/// <summary>Naive float64 references for every <see cref="UnaryOp"/>, written independently of the kernels.</summary>
public static class UnaryReference
{
    public const double SeluAlpha = 1.6732632423543772848170429916717;
    public const double SeluScale = 1.0507009873554804934193349852946;

    public static IEnumerable<UnaryCase> Cases()
    {
        yield return new(UnaryOp.Neg, 0, 0, -3, 3, x => -x);
        yield return new(UnaryOp.Abs, 0, 0, -3, 3, Math.Abs, 0);
        yield return new(UnaryOp.Sign, 0, 0, -3, 3, x => x > 0 ? 1 : x < 0 ? -1 : 0, 0);
        yield return new(UnaryOp.Exp, 0, 0, -10, 10, Math.Exp);
        yield return new(UnaryOp.Log, 0, 0, 0.01, 10, Math.Log);
        yield return new(UnaryOp.Sqrt, 0, 0, 0.01, 10, Math.Sqrt);
        yield return new(UnaryOp.Sin, 0, 0, -10, 10, Math.Sin);
        yield return new(UnaryOp.Cos, 0, 0, -10, 10, Math.Cos);
        yield return new(UnaryOp.Tanh, 0, 0, -6, 6, Math.Tanh);
        yield return new(UnaryOp.Tanh, 0, 0, -0.7, 0.7, Math.Tanh);
        yield return new(UnaryOp.Sigmoid, 0, 0, -20, 20, x => 1 / (1 + Math.Exp(-x)));
        yield return new(UnaryOp.Relu, 0, 0, -3, 3, x => x > 0 ? x : 0, 0);
        yield return new(UnaryOp.LeakyRelu, 0.1, 0, -3, 3, x => x > 0 ? x : 0.1 * x, 0);
        yield return new(UnaryOp.Elu, 1.3, 0, -5, 3, x => x > 0 ? x : 1.3 * Expm1(x), 0);
        yield return new(UnaryOp.Elu, 1.3, 0, -0.01, 0.01, x => x > 0 ? x : 1.3 * Expm1(x), 0);
        yield return new(UnaryOp.Selu, 0, 0, -5, 3, x => SeluScale * (x > 0 ? x : SeluAlpha * Expm1(x)), 0);
        yield return new(UnaryOp.Silu, 0, 0, -10, 10, x => x / (1 + Math.Exp(-x)));
        yield return new(UnaryOp.Gelu, 0, 0, -4.5, 4.5, x => x * 0.5 * (1 + Erf(x / Math.Sqrt(2))));
        yield return new(UnaryOp.Softplus, 1.5, 10, -8, 8, x => 1.5 * x > 10 ? x : Math.Log(1 + Math.Exp(1.5 * x)) / 1.5, 10 / 1.5);
        yield return new(UnaryOp.Softplus, 1, 20, -30, -20, x => Math.Log(1 + Math.Exp(x)));
        yield return new(UnaryOp.PowScalar, 2.5, 0, 0.1, 4, x => Math.Pow(x, 2.5));
        yield return new(UnaryOp.PowScalar, -1.5, 0, 0.2, 3, x => Math.Pow(x, -1.5));
        yield return new(UnaryOp.PowScalar, 3, 0, -3, 3, x => x * x * x);
        yield return new(UnaryOp.PowScalar, 2, 0, -3, 3, x => x * x);
        yield return new(UnaryOp.PowScalar, 0.5, 0, 0.1, 4, Math.Sqrt);
        yield return new(UnaryOp.Clamp, -0.5, 0.7, -2, 2, x => Math.Min(Math.Max(x, -0.5), 0.7), -0.5, 0.7);
        yield return new(UnaryOp.Reciprocal, 0, 0, 0.2, 5, x => 1 / x);
        yield return new(UnaryOp.Reciprocal, 0, 0, -5, -0.2, x => 1 / x);
        yield return new(UnaryOp.Square, 0, 0, -3, 3, x => x * x);
    }

    /// <summary>e^x − 1 without cancellation near 0: 2·e^(x/2)·sinh(x/2).</summary>
    public static double Expm1(double x) => 2 * Math.Exp(x / 2) * Math.Sinh(x / 2);

    /// <summary>erf by its alternating Maclaurin series (about 1e-13 absolute for |t| ≤ 3.5).</summary>
    public static double Erf(double t)
    {
        double sum = 0, power = t;
        double factorial = 1;
        for (int n = 0; n < 120; n++)
        {
            double term = power / (factorial * (2 * n + 1));
            sum += n % 2 == 0 ? term : -term;
            if (Math.Abs(term) < 1e-18) break;
            power *= t * t;
            factorial *= n + 1;
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    /// <summary>Central difference of <paramref name="f"/> at <paramref name="x"/>.</summary>
    public static double Derivative(Func<double, double> f, double x)
    {
        double h = 1e-5 * Math.Max(1, Math.Abs(x));
        return (f(x + h) - f(x - h)) / (2 * h);
    }
}
