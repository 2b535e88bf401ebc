using System.Text.Json;

namespace Scratch.Training;

/// <summary>
/// Everything needed to resume or evaluate a run, stored as one safetensors file: the model's state
/// dict under <c>model.</c> (PyTorch-style names), the optimizer's buffers under <c>optimizer.</c>,
/// extra arrays (e.g. input standardisation) under <c>extra.</c>, and in the metadata the epoch,
/// step, history, scheduler and optimizer scalars, and the run configuration.
/// </summary>
public sealed class Checkpoint
{
    /// <summary>The format tag written to the metadata.</summary>
    public const string FormatTag = "scratch-checkpoint/1";

    private const string ModelPrefix = "model.", OptimizerPrefix = "optimizer.", ExtraPrefix = "extra.";

    /// <summary>The model's state dict.</summary>
    public required IReadOnlyDictionary<string, NDArray> Model { get; init; }
    /// <summary>The optimizer's state, if saved.</summary>
    public OptimizerState? Optimizer { get; init; }
    /// <summary>The scheduler's state, if any.</summary>
    public IReadOnlyDictionary<string, double>? Scheduler { get; init; }
    /// <summary>Epochs completed.</summary>
    public int Epoch { get; init; }
    /// <summary>Batches completed in the unfinished epoch.</summary>
    public int BatchInEpoch { get; init; }
    /// <summary>Optimizer steps taken.</summary>
    public long Step { get; init; }
    /// <summary>The running sums of the unfinished epoch (null when none were saved).</summary>
    public EpochTotals? PartialEpoch { get; init; }
    /// <summary>The state of the run's random generator (dropout masks), when saved: a resume continues its stream.</summary>
    public (ulong Seed, ulong Offset)? GeneratorState { get; init; }
    /// <summary>Per-epoch records so far.</summary>
    public IReadOnlyList<EpochRecord> History { get; init; } = [];
    /// <summary>Run configuration (model name, dataset, hyper-parameters) as strings.</summary>
    public IReadOnlyDictionary<string, string> Config { get; init; } = new Dictionary<string, string>();
    /// <summary>Further arrays the run needs (e.g. standardisation statistics).</summary>
    public IReadOnlyDictionary<string, NDArray> Extra { get; init; } = new Dictionary<string, NDArray>();

    /// <summary>Writes the checkpoint atomically (temporary file, flush, rename): a crash never leaves a half-written file.</summary>
    public void Save(string path)
    {
        var tensors = new Dictionary<string, SafeTensor>();
        foreach (var (name, value) in Model) tensors[ModelPrefix + name] = ToSafeTensor(value);
        if (Optimizer is not null)
            foreach (var (name, value) in Optimizer.Tensors) tensors[OptimizerPrefix + name] = ToSafeTensor(value);
        foreach (var (name, value) in Extra) tensors[ExtraPrefix + name] = ToSafeTensor(value);
        var metadata = new Dictionary<string, string>
        {
            ["format"] = FormatTag,
            ["epoch"] = Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["batch_in_epoch"] = BatchInEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["step"] = Step.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["history"] = JsonSerializer.Serialize(History, Json),
            ["config"] = JsonSerializer.Serialize(Config),
        };
        if (Optimizer is not null) metadata["optimizer_scalars"] = JsonSerializer.Serialize(Optimizer.Scalars, Json);
        if (Scheduler is not null) metadata["scheduler"] = JsonSerializer.Serialize(Scheduler, Json);
        if (PartialEpoch is not null) metadata["partial_epoch"] = JsonSerializer.Serialize(PartialEpoch, Json);
        if (GeneratorState is (var seed, var offset)) metadata["generator"] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{seed}:{offset}");
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        SafeTensorsFile.Write(path, tensors, metadata);
    }

    /// <summary>Reads a checkpoint written by <see cref="Save"/>; throws <see cref="InvalidDataException"/> naming the file when it is not one.</summary>
    public static Checkpoint Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint '{path}' does not exist", path);
        var content = SafeTensorsFile.Read(path);
        var metadata = content.Metadata;
        if (metadata is null || !metadata.TryGetValue("format", out var format) || format != FormatTag)
            throw new InvalidDataException($"{path}: not a Scratch checkpoint (metadata 'format' is not '{FormatTag}')");
        var model = new Dictionary<string, NDArray>();
        var optimizer = new Dictionary<string, NDArray>();
        var extra = new Dictionary<string, NDArray>();
        foreach (var (name, tensor) in content.Tensors)
        {
            var array = FromSafeTensor(name, tensor, path);
            if (name.StartsWith(ModelPrefix, StringComparison.Ordinal)) model[name[ModelPrefix.Length..]] = array;
            else if (name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)) optimizer[name[OptimizerPrefix.Length..]] = array;
            else if (name.StartsWith(ExtraPrefix, StringComparison.Ordinal)) extra[name[ExtraPrefix.Length..]] = array;
            else throw new InvalidDataException($"{path}: unexpected tensor '{name}'");
        }
        try
        {
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            return new Checkpoint
            {
                Model = model,
                Extra = extra,
                Optimizer = metadata.TryGetValue("optimizer_scalars", out var scalars)
                    ? new OptimizerState(optimizer, JsonSerializer.Deserialize<Dictionary<string, double>>(scalars, Json)!) : null,
                Scheduler = metadata.TryGetValue("scheduler", out var scheduler) ? JsonSerializer.Deserialize<Dictionary<string, double>>(scheduler, Json) : null,
                PartialEpoch = metadata.TryGetValue("partial_epoch", out var partial) ? JsonSerializer.Deserialize<EpochTotals>(partial, Json) : null,
                GeneratorState = metadata.TryGetValue("generator", out var generator) ? ParseGenerator(generator) : null,
                Epoch = int.Parse(metadata["epoch"], inv),
                BatchInEpoch = int.Parse(metadata["batch_in_epoch"], inv),
                Step = long.Parse(metadata["step"], inv),
                History = JsonSerializer.Deserialize<List<EpochRecord>>(metadata["history"], Json) ?? [],
                Config = JsonSerializer.Deserialize<Dictionary<string, string>>(metadata["config"]) ?? [],
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or JsonException)
        {
            throw new InvalidDataException($"{path}: checkpoint metadata is incomplete or malformed ({e.Message})", e);
        }
    }

    /// <summary>JSON as written into the metadata: NaN and ±∞ (a diverged loss, an empty validation split) as "NaN", "Infinity".</summary>
    internal static JsonSerializerOptions Json { get; } = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private static (ulong, ulong) ParseGenerator(string text)
    {
        var parts = text.Split(':');
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (parts.Length != 2) throw new FormatException($"generator state '{text}' is not seed:offset");
        return (ulong.Parse(parts[0], inv), ulong.Parse(parts[1], inv));
    }

    private static SafeTensor ToSafeTensor(NDArray array)
    {
        var shape = array.Shape.Select(s => (long)s).ToArray();
        return array.DType switch
        {
            DType.Float32 => SafeTensor.From(array.ToArray<float>(), shape),
            DType.Float64 => SafeTensor.From(array.ToArray<double>(), shape),
            _ => SafeTensor.From(array.ToArray<int>(), shape),
        };
    }

    private static NDArray FromSafeTensor(string name, SafeTensor tensor, string path)
    {
        if (tensor.Shape.Any(s => s > int.MaxValue))
            throw new InvalidDataException($"{path}: tensor '{name}' has shape [{string.Join(", ", tensor.Shape)}], with a dimension over {int.MaxValue}");
        var shape = tensor.Shape.Select(s => (int)s).ToArray();
        return tensor.DType switch
        {
            SafeTensorsDType.F32 => NDArray.FromArray(tensor.ToArray<float>(), shape),
            SafeTensorsDType.F64 => NDArray.FromArray(tensor.ToArray<double>(), shape),
            SafeTensorsDType.I32 => NDArray.FromArray(tensor.ToArray<int>(), shape),
            _ => throw new InvalidDataException($"{path}: tensor '{name}' has dtype {tensor.DType}, which Scratch does not load"),
        };
    }
}
