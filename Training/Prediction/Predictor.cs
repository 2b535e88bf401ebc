using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Scratch.Training;

/// <summary>
/// A trained model with everything needed to apply it to new data, rebuilt from one checkpoint alone: the
/// architecture, the preprocessing fitted on the training split, the task, threshold and class names. It writes one
/// CSV row per example: the prediction, the probabilities (or values) and, for classification, the top k.
/// </summary>
public sealed class Predictor
{
    private readonly Module _model;
    private readonly Device _device;
    private readonly NDArray? _targetMean, _targetStd;
    private readonly NDArray? _inputMean, _inputStd;
    private readonly int[] _inputShape;

    private Predictor(Module model, Device device, TaskKind task, IReadOnlyList<string> names, TabularPreprocessor? tabular,
        double threshold, NDArray? targetMean, NDArray? targetStd, string target, int[] inputShape, NDArray? inputMean, NDArray? inputStd)
    {
        _inputShape = inputShape;
        _inputMean = inputMean;
        _inputStd = inputStd;
        _model = model;
        _device = device;
        Task = task;
        Names = names;
        Tabular = tabular;
        Threshold = threshold;
        _targetMean = targetMean;
        _targetStd = targetStd;
        TargetName = target;
    }

    /// <summary>What the model predicts.</summary>
    public TaskKind Task { get; }
    /// <summary>Class names (classification, binary), label names (multi-label), or empty (regression).</summary>
    public IReadOnlyList<string> Names { get; }
    /// <summary>The preprocessing of a model trained on a CSV file.</summary>
    public TabularPreprocessor? Tabular { get; }
    /// <summary>Binary and multi-label: the probability from which a prediction is positive.</summary>
    public double Threshold { get; }
    /// <summary>The name of the predicted column (the training target, or "prediction").</summary>
    public string TargetName { get; }

    /// <summary>Rebuilds the model of <paramref name="checkpointPath"/> on <paramref name="device"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of <c>scratch train</c> on a CSV file, or its weights do not fit.</exception>
    public static Predictor Load(string checkpointPath, Device device)
    {
        var checkpoint = Checkpoint.Load(checkpointPath);
        var config = checkpoint.Config;
        string Get(string key) => config.TryGetValue(key, out var value) && value.Length > 0 ? value
            : throw new InvalidDataException($"{checkpointPath}: the checkpoint lacks '{key}' (it was written by an older scratch, or not for a CSV file)");
        var c = CultureInfo.InvariantCulture;
        try
        {
            var tabular = config.GetValueOrDefault("tabular") is { Length: > 0 } json ? TabularPreprocessor.FromJson(json, checkpointPath) : null;
            bool images = config.GetValueOrDefault("images") is { Length: > 0 };
            if (tabular is null && !images)
                throw new InvalidDataException($"{checkpointPath}: predict applies models trained with --csv or --images; this one was trained on '{config.GetValueOrDefault("dataset")}'");
            var task = TaskOf(Get("task"), checkpointPath);
            var shape = JsonSerializer.Deserialize<int[]>(Get("input_shape")) ?? [];
            int outputs = int.Parse(Get("outputs"), c);
            var model = ExperimentModel.Create(Get("model"), shape, outputs, double.Parse(Get("dropout"), c), tabular, new Generator(0));
            try
            {
                model.LoadStateDict(checkpoint.Model);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or KeyNotFoundException)
            {
                throw new InvalidDataException($"{checkpointPath}: the saved weights do not fit the saved architecture: {e.Message}", e);
            }
            model.To(device);
            model.Eval();
            var names = JsonSerializer.Deserialize<string[]>(config.GetValueOrDefault("classes") ?? "[]") ?? [];
            var targets = JsonSerializer.Deserialize<string[]>(config.GetValueOrDefault("target") ?? "[]") ?? [];
            double threshold = config.TryGetValue("threshold", out var t) ? double.Parse(t, c) : 0.5;
            return new Predictor(model, device, task, names, tabular, threshold, checkpoint.Extra.GetValueOrDefault("target_mean"),
                checkpoint.Extra.GetValueOrDefault("target_std"), task == TaskKind.MultiLabel || targets.Length != 1 ? (images ? "class" : "prediction") : targets[0],
                shape, images ? checkpoint.Extra.GetValueOrDefault("input_mean") : null, images ? checkpoint.Extra.GetValueOrDefault("input_std") : null);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new InvalidDataException($"{checkpointPath}: the checkpoint's configuration is malformed ({e.Message})", e);
        }
    }

    /// <summary>True for a model trained on an image folder: inputs are image files or folders of them.</summary>
    public bool TakesImages => Tabular is null;

    /// <summary>
    /// Predicts every row of the CSV files <paramref name="inputs"/> (they need the feature columns, in any order; a
    /// target column is ignored), or every image of the files and folders (searched recursively) <paramref name="inputs"/>
    /// for an image model, and writes the predictions to <paramref name="output"/> as CSV.
    /// </summary>
    /// <param name="inputs">CSV files, or image files and folders.</param>
    /// <param name="output">Receives the header and one row per example.</param>
    /// <param name="topK">Classification: how many of the most likely classes the <c>top_k</c> column lists.</param>
    /// <returns>
    /// Rows predicted, categorical cells that were not seen in training (treated as missing), and the images that could
    /// not be decoded (left out), each with its path and the reason.
    /// </returns>
    public (int Rows, int Unseen, IReadOnlyList<string> Skipped) Predict(IEnumerable<string> inputs, TextWriter output, int topK = 3)
    {
        if (topK < 1) throw new ArgumentOutOfRangeException(nameof(topK), topK, "top-k must be at least 1");
        output.Write(string.Join(',', Header(topK).Select(MetricsLog.Escape)) + "\n");
        var skipped = new List<string>();
        if (Tabular is null) return (PredictImages(inputs, output, topK, skipped), 0, skipped);
        int rows = 0, unseen = 0;
        foreach (string path in inputs)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"input '{path}' does not exist", path);
            var (features, n, u, lines) = Tabular.TransformFile(path);
            unseen += u;
            var values = Forward(NDArray.FromArray(features, [n, Tabular.FeatureCount]));
            for (int i = 0; i < n; i++)
            {
                var row = new List<string> { path, lines[i].ToString(CultureInfo.InvariantCulture) };
                row.AddRange(Describe(values, i, topK));
                output.Write(string.Join(',', row.Select(MetricsLog.Escape)) + "\n");
            }
            rows += n;
        }
        return (rows, unseen, skipped);
    }

    /// <summary>The model's outputs for <paramref name="inputs"/>, as probabilities (classification: softmax; binary and multi-label: sigmoid) or values in the target's units (regression), row-major.</summary>
    public double[][] Forward(NDArray inputs)
    {
        using var _ = Tensor.NoGrad();
        var result = new List<double[]>();
        int n = inputs.Shape[0];
        var mean = _targetMean?.To(DType.Float64).ToArray<double>();
        var std = _targetStd?.To(DType.Float64).ToArray<double>();
        for (int start = 0; start < n; start += 256)
        {
            using var scope = new ArrayScope();
            int count = Math.Min(256, n - start);
            var output = _model.Forward(new Tensor(inputs.Narrow(0, start, count).Contiguous().To(_device))).Data;
            int width = output.Rank == 1 ? 1 : output.Shape[1];
            var flat = output.To(DType.Float64).ToArray<double>();
            for (int i = 0; i < count; i++)
            {
                var row = flat.AsSpan(i * width, width).ToArray();
                switch (Task)
                {
                    case TaskKind.Classification:
                        double max = row.Max(), sum = 0;
                        for (int k = 0; k < width; k++) sum += row[k] = Math.Exp(row[k] - max);
                        for (int k = 0; k < width; k++) row[k] /= sum;
                        break;
                    case TaskKind.Binary or TaskKind.MultiLabel:
                        for (int k = 0; k < width; k++) row[k] = 1 / (1 + Math.Exp(-row[k]));
                        break;
                    default:
                        // The model learnt standardised targets; undo that with the training split's statistics.
                        if (mean is not null && std is not null)
                            for (int k = 0; k < width; k++) row[k] = row[k] * std[k] + mean[k];
                        break;
                }
                result.Add(row);
            }
        }
        return [.. result];
    }

    private int PredictImages(IEnumerable<string> inputs, TextWriter output, int topK, List<string> skipped)
    {
        int channels = _inputShape[0], size = _inputShape[1];
        var files = new List<string>();
        foreach (string input in inputs)
        {
            if (Directory.Exists(input))
                files.AddRange(Directory.GetFiles(input, "*", SearchOption.AllDirectories).Where(f => ImageDecoder.Extensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal));
            else if (File.Exists(input)) files.Add(input);
            else throw new FileNotFoundException($"input '{input}' does not exist", input);
        }
        if (files.Count == 0) throw new InvalidDataException($"no PNG, JPEG or BMP files in {string.Join(", ", inputs)}");
        int plane = channels * size * size;
        var decoded = new float[files.Count][];
        var errors = new string?[files.Count];
        Parallel.For(0, files.Count, i =>
        {
            try
            {
                decoded[i] = ImageDecoder.Decode(files[i], size, channels).Pixels;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                // A bad file's InvalidDataException already names it.
                errors[i] = e is InvalidDataException ? e.Message : $"{files[i]}: {e.Message}";
            }
        });
        // A file that cannot be decoded is reported by path and left out; the others are still predicted.
        skipped.AddRange(errors.OfType<string>());
        files = [.. files.Where((_, i) => errors[i] is null)];
        decoded = [.. decoded.Where((_, i) => errors[i] is null)];
        if (files.Count == 0) return 0;
        var pixels = new float[(long)files.Count * plane];
        for (int i = 0; i < files.Count; i++) decoded[i].CopyTo(pixels, (long)i * plane);
        var x = NDArray.FromArray(pixels, [files.Count, channels, size, size]);
        if (_inputMean is not null && _inputStd is not null) x = (x - _inputMean) / _inputStd;
        var values = Forward(x);
        for (int i = 0; i < files.Count; i++)
        {
            var row = new List<string> { files[i] };
            row.AddRange(Describe(values, i, topK));
            output.Write(string.Join(',', row.Select(MetricsLog.Escape)) + "\n");
        }
        return files.Count;
    }

    private IEnumerable<string> Header(int topK)
    {
        yield return "source";
        if (!TakesImages) yield return "line";
        yield return Task == TaskKind.MultiLabel ? "labels" : TargetName;
        switch (Task)
        {
            case TaskKind.Classification:
                yield return $"top_{Math.Min(topK, Names.Count)}";
                foreach (var name in Names) yield return $"p({name})";
                break;
            case TaskKind.Binary:
                yield return $"p({Names[1]})";
                break;
            case TaskKind.MultiLabel:
                foreach (var name in Names) yield return $"p({name})";
                break;
        }
    }

    private IEnumerable<string> Describe(double[][] values, int i, int topK)
    {
        var c = CultureInfo.InvariantCulture;
        var row = values[i];
        switch (Task)
        {
            case TaskKind.Classification:
            {
                var order = Enumerable.Range(0, row.Length).OrderByDescending(k => row[k]).ThenBy(k => k).ToArray();
                yield return Names[order[0]];
                yield return string.Join(' ', order.Take(topK).Select(k => $"{Names[k]}:{row[k].ToString("F4", c)}"));
                foreach (var p in row) yield return p.ToString("G6", c);
                break;
            }
            case TaskKind.Binary:
                yield return Names[TaskOutputs.Positive(row[0], Threshold)];
                yield return row[0].ToString("G6", c);
                break;
            case TaskKind.MultiLabel:
            {
                var on = Enumerable.Range(0, row.Length).Where(k => TaskOutputs.Positive(row[k], Threshold) == 1).Select(k => Names[k]);
                yield return string.Join('|', on);
                foreach (var p in row) yield return p.ToString("G6", c);
                break;
            }
            default:
                yield return string.Join(' ', row.Select(v => v.ToString("G6", c)));
                break;
        }
    }

    private static TaskKind TaskOf(string name, string path) => name switch
    {
        "multiclass" => TaskKind.Classification,
        "binary" => TaskKind.Binary,
        "multilabel" => TaskKind.MultiLabel,
        "regression" => TaskKind.Regression,
        _ => throw new InvalidDataException($"{path}: unknown task '{name}' in the checkpoint"),
    };

    /// <summary>Writes predictions for <paramref name="inputs"/> to the file <paramref name="outputPath"/>.</summary>
    public (int Rows, int Unseen, IReadOnlyList<string> Skipped) PredictToFile(IEnumerable<string> inputs, string outputPath, int topK = 3)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        var counts = Predict(inputs, text, topK);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(outputPath));
        if (directory is not null) Directory.CreateDirectory(directory);
        File.WriteAllText(outputPath, text.ToString(), new UTF8Encoding(false));
        return counts;
    }
}
