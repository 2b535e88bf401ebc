namespace Scratch;

/// <summary>How layer-sequential unit-variance initialisation left one layer.</summary>
/// <param name="Name">The layer's dotted name in the model.</param>
/// <param name="Variance">The variance of its output on the batch after the last rescaling.</param>
/// <param name="Iterations">How many times its weight was rescaled.</param>
public sealed record LsuvLayerResult(string Name, double Variance, int Iterations);

public static partial class Init
{
    /// <summary>
    /// Layer-sequential unit-variance initialisation (Mishkin &amp; Matas, 2016): every <see cref="Linear"/>
    /// and <see cref="Conv2d"/> weight is first made orthogonal; then, layer by layer in the order the
    /// forward pass reaches them, the model is run on <paramref name="batch"/> and the layer's weight is
    /// divided by the standard deviation of its output until that output's variance is within
    /// <paramref name="tolerance"/> of 1 or <paramref name="maxIterations"/> rescalings were made. Biases are
    /// left as they are. Runs in evaluation mode without gradients and restores the mode afterwards.
    /// </summary>
    public static IReadOnlyList<LsuvLayerResult> Lsuv(Module model, Tensor batch, double tolerance = 0.1, int maxIterations = 10, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        if (!(tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "lsuv: tolerance must be positive");
        if (maxIterations < 0) throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "lsuv: maxIterations must be >= 0");

        var layers = model.NamedModules()
            .Select(m => (m.Name, m.Module, Weight: m.Module switch { Linear l => l.Weight, Conv2d c => c.Weight, _ => null }))
            .Where(m => m.Weight is not null)
            .ToList();
        var modes = model.Modules().Select(m => (Module: m, m.IsTraining)).ToList();
        var results = new List<LsuvLayerResult>();
        try
        {
            model.Eval();
            using var noGrad = Tensor.NoGrad();
            foreach (var layer in layers) Orthogonal(layer.Weight!, 1, generator);

            // The order in which the forward pass first reaches each layer.
            var order = new List<Module>();
            var handles = layers.Select(l => l.Module.RegisterForwardHook((m, _, _) =>
            {
                if (!order.Contains(m)) order.Add(m);
            })).ToList();
            model.Forward(batch);
            handles.ForEach(h => h.Dispose());

            foreach (var module in order)
            {
                var layer = layers.First(l => ReferenceEquals(l.Module, module));
                double variance = double.NaN;
                using var hook = module.RegisterForwardHook((_, _, output) => variance = output.Data.Var(unbiased: false).Item());
                int iterations = 0;
                while (true)
                {
                    model.Forward(batch);
                    if (Math.Abs(variance - 1) < tolerance || iterations == maxIterations) break;
                    if (!(variance > 0))
                        throw new InvalidOperationException($"lsuv: the output of layer '{layer.Name}' has variance {variance} on this batch; cannot rescale it");
                    layer.Weight!.Data.MulInPlace(1 / Math.Sqrt(variance));
                    iterations++;
                }
                results.Add(new LsuvLayerResult(layer.Name, variance, iterations));
            }
        }
        finally
        {
            foreach (var (module, training) in modes) module.Train(training);
        }
        return results;
    }
}
