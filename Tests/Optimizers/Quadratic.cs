using NUnit.Framework;

namespace Scratch.Tests.Optimizers;

/// <summary>
/// A separable quadratic f(θ) = Σ ½·a_i·θ_i² + b_i·θ_i with the known gradient a·θ + b, and a runner
/// that feeds that gradient to an optimizer step by step or to a hand-written reference update.
/// </summary>
internal static class Quadratic
{
    public static readonly double[] Theta0 = [1.0, -2.0, 0.5, 3.0, -0.25];
    private static readonly double[] A = [1.0, 2.0, 0.5, 3.0, 4.0];
    private static readonly double[] B = [0.1, -0.3, 0.2, 0.0, 1.5];

    public static double[] Gradient(double[] theta) => theta.Select((x, i) => A[i] * x + B[i]).ToArray();

    /// <summary>A fresh float64 leaf holding <see cref="Theta0"/>.</summary>
    public static Tensor NewParameter() => Tensor.FromArray(Theta0.ToArray(), requiresGrad: true);

    /// <summary>Sets the quadratic's gradient on <paramref name="p"/> from its current values.</summary>
    public static void SetGradient(Tensor p)
    {
        var theta = p.Data.ToArray<double>();
        p.Grad = new Tensor(NDArray.FromArray(Gradient(theta)).To(p.DType));
    }

    /// <summary>Runs <paramref name="steps"/> steps of the optimizer that <paramref name="make"/> builds; the values after each step.</summary>
    public static List<double[]> Run(Func<Tensor, Optimizer> make, int steps = 3)
    {
        var p = NewParameter();
        var optimizer = make(p);
        var result = new List<double[]>();
        for (int t = 0; t < steps; t++)
        {
            SetGradient(p);
            optimizer.Step();
            result.Add(p.Data.ToArray<double>());
        }
        return result;
    }

    /// <summary>
    /// The reference: <paramref name="update"/>(t, θ, g) changes θ in place for step t (from 1) given
    /// g = a·θ + b, keeping whatever state it needs in its closure; the values after each step.
    /// </summary>
    public static List<double[]> Reference(Action<int, double[], double[]> update, int steps = 3)
    {
        var theta = Theta0.ToArray();
        var result = new List<double[]>();
        for (int t = 1; t <= steps; t++)
        {
            update(t, theta, Gradient(theta));
            result.Add(theta.ToArray());
        }
        return result;
    }

    public static void AssertClose(List<double[]> actual, List<double[]> expected, double tolerance = 1e-9)
    {
        Assert.That(actual, Has.Count.EqualTo(expected.Count));
        for (int t = 0; t < expected.Count; t++)
            Assert.That(actual[t], Is.EqualTo(expected[t]).Within(tolerance), $"after step {t + 1}");
        // The parameters must actually move, or the comparison proves nothing.
        Assert.That(actual[^1], Is.Not.EqualTo(Theta0).Within(1e-3));
    }
}
