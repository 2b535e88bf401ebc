using System.Globalization;
using System.Text.Json;

namespace Scratch.Training;

/// <summary>
/// One training run from options to report: loads and normalises the data, builds the model,
/// optimizer, scheduler and callbacks, resumes from a checkpoint when asked, trains, evaluates on the
/// test split and writes <c>report.html</c>, <c>metrics.csv</c> and checkpoints under the run folder.
/// </summary>
public static class Experiment
{
    /// <summary>Runs <paramref name="options"/>, telling <paramref name="observer"/> what happens.</summary>
    public static ExperimentResult Run(ExperimentOptions options, IExperimentObserver observer)
    {
        options.Validate();
        var resume = options.Resume is null ? null : Checkpoint.Load(options.Resume);
        if (resume is not null) options = Reconcile(options, resume);
        if (options.Lr == 0) observer.Info("warning", "--lr 0: the weights will not change");
        if (resume is not null && resume.Epoch >= options.Epochs)
            observer.Info("warning", $"the checkpoint has {resume.Epoch} of {options.Epochs} epochs done already: nothing to train (give --epochs above {resume.Epoch} to continue)");

        var device = Device.Parse(options.Device);
        observer.Info("device", DescribeDevice(device));
        var data = ExperimentData.Load(options);
        observer.Info("data", data.Description);

        var generator = new Generator(options.Seed);
        var model = ExperimentModel.Create(options.Model, data.InputShape, data.Outputs, options.Dropout, data.Tabular, generator);
        if (options.InitFrom is not null && resume is null)
        {
            var report = FineTuning.LoadMatching(model, Checkpoint.Load(options.InitFrom).Model, options.NewHead, options.InitFrom);
            observer.Info("init", $"{options.InitFrom}: {report.Loaded.Count} tensors loaded, {report.Reinitialised.Count} re-initialised" +
                (report.Reinitialised.Count > 0 ? $" ({string.Join(", ", report.Reinitialised)})" : "") +
                $", {report.Skipped.Count} skipped" + (report.Skipped.Count > 0 ? $" ({string.Join(", ", report.Skipped)})" : ""));
        }
        model.To(device);
        observer.Info("model", $"{options.Model} ({model.ParameterCount():N0} parameters)");
        observer.ModelSummary(model.Summary([1, .. data.InputShape]));

        var frozen = options.Freeze.Count == 0 ? [] : FineTuning.Select(model, options.Freeze).Select(p => p.Tensor).ToList();
        foreach (var p in frozen) p.RequiresGrad = false;
        var optimizer = OptimizerFactory.Create(options.Optimizer, model.Parameters().Except(frozen, ReferenceEqualityComparer.Instance).Cast<Tensor>(), options.Lr, options.WeightDecay);
        if (frozen.Count > 0)
        {
            optimizer.AddParamGroup(frozen, lr: options.Lr * options.FreezeLrFactor);
            observer.Info("frozen", $"{frozen.Count} tensors under {string.Join(", ", options.Freeze)}" +
                (options.UnfreezeAfter > 0 ? $", trainable after epoch {options.UnfreezeAfter} at lr × {options.FreezeLrFactor.ToString(CultureInfo.InvariantCulture)}" : ""));
        }
        var train = new DataLoader(data.Train, options.BatchSize, shuffle: true, seed: options.Seed,
            transform: options.Augment ? data.Augmentation ?? new RandomCropFlip() : null, device: device);
        var validation = data.Validation is null ? null : new DataLoader(data.Validation, Math.Max(options.BatchSize, 256), device: device);
        var test = new DataLoader(data.Test, Math.Max(options.BatchSize, 256), device: device);
        var scheduler = OptimizerFactory.CreateScheduler(options.Scheduler, optimizer, options.Lr, options.Epochs, train.BatchCount);
        var classWeights = ExperimentModel.ClassWeights(options.ClassWeights, data);
        if (classWeights is not null) observer.Info("weights", string.Join(", ", classWeights.Select(w => w.ToString("G4", CultureInfo.InvariantCulture))));
        var loss = TaskLosses.For(data.Task, classWeights);
        var trainer = new Trainer(model, optimizer, loss, data.Task)
        {
            GradientClipNorm = options.ClipNorm > 0 ? options.ClipNorm : null, Threshold = options.Threshold,
        };

        // The checkpoint's own run_dir is never trusted: a resumed run continues where its checkpoint lies.
        using var folder = RunFolder.Open(options);
        string runDirectory = folder.Path;
        var config = Config(options, data, runDirectory);

        // Order matters: the scheduler steps before the checkpoint records its state.
        if (scheduler is not null) trainer.Callbacks.Add(scheduler);
        if (options.Patience > 0) trainer.Callbacks.Add(new EarlyStopping(options.Patience));
        if (frozen.Count > 0 && options.UnfreezeAfter > 0) trainer.Callbacks.Add(new UnfreezeCallback(frozen, options.UnfreezeAfter));
        var checkpoints = new CheckpointCallback(Path.Combine(runDirectory, "checkpoints"), () => config, data.Statistics, scheduler, options.CheckpointEvery,
            generator: generator);
        trainer.Callbacks.Add(checkpoints);
        trainer.Callbacks.Add(new MetricsLogCallback(runDirectory));

        if (resume is not null)
        {
            model.LoadStateDict(resume.Model);
            if (resume.Optimizer is not null) optimizer.LoadStateDict(resume.Optimizer);
            if (resume.Scheduler is not null && scheduler is not null) LoadScheduler(scheduler, resume.Scheduler, options);
            if (resume.GeneratorState is (var seed, var offset)) generator.SetState(seed, offset);
            trainer.RestorePosition(resume.Epoch, resume.BatchInEpoch, resume.Step, resume.History, resume.PartialEpoch);
            observer.Info("resumed", $"{options.Resume} (epoch {resume.Epoch}, batch {resume.BatchInEpoch}, step {resume.Step})");
            if (scheduler is not null && resume.Config.GetValueOrDefault("epochs") is { } planned && planned != options.Epochs.ToString(CultureInfo.InvariantCulture))
                observer.Info("schedule", $"'{options.Scheduler}' was planned over {planned} epochs and is now planned over {options.Epochs}: it continues from its "
                    + $"saved position and learning rate ({optimizer.ParamGroups[0].Lr:G4}), so a schedule that had already ended stays at its final rate");
        }
        observer.Info("run", runDirectory);

        int epochsBefore = trainer.Epoch;
        observer.TrainingStarted(trainer, options.Epochs);
        var history = trainer.Fit(train, validation, options.Epochs);
        observer.TrainingFinished(trainer);

        // The test split is scored with the weights that did best on validation (the best checkpoint).
        string best = File.Exists(checkpoints.BestPath) && validation is not null ? checkpoints.BestPath : checkpoints.LastPath;
        if (best == checkpoints.BestPath)
        {
            model.LoadStateDict(Checkpoint.Load(best).Model);
            observer.Info("best", $"epoch {BestEpoch(trainer.History)} by validation loss ({best})");
        }
        var result = Scale(trainer.Evaluate(test), data);
        var thisRun = history.Skip(epochsBefore).ToArray();
        double seconds = thisRun.Length == 0 ? 0 : thisRun.Average(r => r.Seconds ?? 0);
        string reportPath = Path.Combine(runDirectory, "report.html");
        WriteReport(reportPath, options, data, trainer, result, model.ParameterCount(), seconds, device);
        return new ExperimentResult
        {
            RunDirectory = runDirectory, CheckpointPath = best, ReportPath = reportPath, Test = result, History = history.ToArray(),
            Parameters = model.ParameterCount(), SecondsPerEpoch = seconds, Device = device, Task = data.Task,
            ExamplesPerSecond = seconds > 0 ? data.Train.Count / seconds : 0,
        };
    }

    /// <summary>Evaluates a saved model on the test split of the data it was trained on.</summary>
    public static (EvaluationResult Result, ExperimentOptions Options, string DataDescription) Evaluate(string checkpointPath, string? dataOverride, string deviceName)
    {
        var checkpoint = Checkpoint.Load(checkpointPath);
        var options = FromConfig(checkpoint.Config, checkpointPath) with { Data = dataOverride ?? checkpoint.Config.GetValueOrDefault("data_option"), Device = deviceName };
        var device = Device.Parse(deviceName);
        var data = ExperimentData.Load(options);
        var model = ExperimentModel.Create(options.Model, data.InputShape, data.Outputs, options.Dropout, data.Tabular, new Generator(options.Seed));
        try
        {
            model.LoadStateDict(checkpoint.Model);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"{checkpointPath}: the saved weights do not fit model '{options.Model}' on {options.Dataset}: {e.Message}", e);
        }
        model.To(device);
        var loss = TaskLosses.For(data.Task, ExperimentModel.ClassWeights(options.ClassWeights, data));
        var result = Trainer.Evaluate(model, loss, data.Task, new DataLoader(data.Test, 256, device: device), options.Threshold);
        return (Scale(result, data), options, data.Description);
    }

    private static int BestEpoch(IReadOnlyList<EpochRecord> history)
        => history.Where(r => r.ValidationLoss is not null).MinBy(r => r.ValidationLoss)?.Epoch ?? history.Count;

    /// <summary>A one-line description of a device.</summary>
    public static string DescribeDevice(Device device) => device.Kind == DeviceKind.Cpu
        ? $"cpu ({Environment.ProcessorCount} threads{(Device.CudaAvailable ? "" : "; CUDA unavailable: " + Device.CudaUnavailableReason)})"
        : device.ToString();

    /// <summary>
    /// The options of a resumed run. The checkpoint fixes what defines the run (model, data and split, optimizer,
    /// schedule, seed): giving one of them with another value is an error, not silently dropped. The loop's
    /// options (epochs, device, data folder, patience, checkpoint-every, clip-norm, out, run-name) come from
    /// the command line when given there, else from the checkpoint.
    /// </summary>
    private static ExperimentOptions Reconcile(ExperimentOptions options, Checkpoint checkpoint)
    {
        var saved = FromConfig(checkpoint.Config, options.Resume!);
        var c = CultureInfo.InvariantCulture;
        void Fixed(string name, string savedValue, string givenValue)
        {
            if (options.Given is not null && options.Given.Contains(name) && !string.Equals(savedValue, givenValue, StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"--{name} {givenValue}: {options.Resume} was trained with {savedValue}, which a resumed run keeps (leave --{name} out, or start a new run)");
        }
        if (options.Given is null && (!string.Equals(saved.Model, options.Model, StringComparison.OrdinalIgnoreCase) || !string.Equals(saved.Dataset, options.Dataset, StringComparison.OrdinalIgnoreCase)))
            throw new InvalidDataException($"{options.Resume}: checkpoint was written for model '{saved.Model}' on '{saved.Dataset}', not '{options.Model}' on '{options.Dataset}'");
        Fixed("model", saved.Model, options.Model);
        Fixed("dataset", saved.Dataset, options.Dataset);
        Fixed("dropout", saved.Dropout.ToString("R", c), options.Dropout.ToString("R", c));
        Fixed("optimizer", saved.Optimizer, options.Optimizer);
        Fixed("lr", saved.Lr.ToString("R", c), options.Lr.ToString("R", c));
        Fixed("weight-decay", saved.WeightDecay.ToString("R", c), options.WeightDecay.ToString("R", c));
        Fixed("batch-size", saved.BatchSize.ToString(c), options.BatchSize.ToString(c));
        Fixed("scheduler", saved.Scheduler, options.Scheduler);
        Fixed("seed", saved.Seed.ToString(c), options.Seed.ToString(c));
        Fixed("val-fraction", saved.ValidationFraction.ToString("R", c), options.ValidationFraction.ToString("R", c));
        Fixed("augment", saved.Augment ? "true" : "false", options.Augment ? "true" : "false");
        return saved with
        {
            Epochs = options.IsGiven("epochs") ? options.Epochs : saved.Epochs,
            Device = options.Device, Resume = options.Resume, Out = options.Out, RunName = options.RunName, Given = options.Given,
            Data = options.Data ?? saved.Data,
            Patience = options.IsGiven("patience") ? options.Patience : saved.Patience,
            CheckpointEvery = options.IsGiven("checkpoint-every") ? options.CheckpointEvery : saved.CheckpointEvery,
            ClipNorm = options.IsGiven("clip-norm") ? options.ClipNorm : saved.ClipNorm,
        };
    }

    /// <summary>
    /// Restores a scheduler's counters. A schedule is planned over the run's epoch count: when a resume changes
    /// it, the schedule is rebuilt for the new count and continues from its saved position, and says so.
    /// </summary>
    private static void LoadScheduler(SchedulerCallback scheduler, IReadOnlyDictionary<string, double> state, ExperimentOptions options)
    {
        try
        {
            scheduler.LoadStateDict(state);
        }
        catch (Exception e) when (e is KeyNotFoundException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"{options.Resume}: the saved scheduler state does not fit scheduler '{options.Scheduler}' ({e.Message})", e);
        }
    }

    private static Dictionary<string, string> Config(ExperimentOptions o, ExperimentData data, string runDirectory)
    {
        var c = CultureInfo.InvariantCulture;
        return new Dictionary<string, string>
        {
            ["model"] = o.Model, ["dataset"] = o.Dataset, ["dropout"] = o.Dropout.ToString("R", c), ["optimizer"] = o.Optimizer,
            ["lr"] = o.Lr.ToString("R", c), ["weight_decay"] = o.WeightDecay.ToString("R", c), ["batch_size"] = o.BatchSize.ToString(c),
            ["scheduler"] = o.Scheduler, ["seed"] = o.Seed.ToString(c), ["validation_fraction"] = o.ValidationFraction.ToString("R", c),
            ["augment"] = o.Augment ? "true" : "false", ["run_dir"] = runDirectory, ["data_option"] = o.Data ?? "",
            ["epochs"] = o.Epochs.ToString(c), ["patience"] = o.Patience.ToString(c), ["checkpoint_every"] = o.CheckpointEvery.ToString(c),
            ["clip_norm"] = o.ClipNorm.ToString("R", c),
            ["data"] = data.Description, ["classes"] = JsonSerializer.Serialize(data.ClassNames ?? []),
            ["task"] = ExperimentData.TaskName(data.Task), ["outputs"] = data.Outputs.ToString(c), ["input_shape"] = JsonSerializer.Serialize(data.InputShape),
            ["threshold"] = o.Threshold.ToString("R", c), ["class_weights"] = o.ClassWeights ?? "",
            ["csv"] = o.Csv is null ? "" : Path.GetFullPath(o.Csv), ["target"] = JsonSerializer.Serialize(o.Target), ["task_option"] = o.Task,
            ["categorical"] = JsonSerializer.Serialize(o.Categorical), ["drop"] = JsonSerializer.Serialize(o.Drop), ["one_hot"] = o.OneHot ? "true" : "false",
            ["tabular"] = data.Tabular?.ToJson() ?? "", ["images"] = o.Images is null ? "" : Path.GetFullPath(o.Images),
            ["image_size"] = o.ImageSize.ToString(c), ["init_from"] = o.InitFrom ?? "", ["freeze"] = JsonSerializer.Serialize(o.Freeze),
            ["new_head"] = o.NewHead ? "true" : "false", ["unfreeze_after"] = o.UnfreezeAfter.ToString(c), ["freeze_lr_factor"] = o.FreezeLrFactor.ToString("R", c), ["skip_bad_images"] = o.SkipBadImages ? "true" : "false",
        };
    }

    private static ExperimentOptions FromConfig(IReadOnlyDictionary<string, string> config, string path)
    {
        try
        {
            var c = CultureInfo.InvariantCulture;
            string data = config.GetValueOrDefault("data_option") ?? "";
            return new ExperimentOptions
            {
                Model = config["model"], Dataset = config["dataset"], Dropout = double.Parse(config["dropout"], c), Optimizer = config["optimizer"],
                Lr = double.Parse(config["lr"], c), WeightDecay = double.Parse(config["weight_decay"], c), BatchSize = int.Parse(config["batch_size"], c),
                Scheduler = config["scheduler"], Seed = ulong.Parse(config["seed"], c), ValidationFraction = double.Parse(config["validation_fraction"], c),
                Augment = config.GetValueOrDefault("augment") == "true", Data = data.Length == 0 ? null : data,
                Epochs = config.TryGetValue("epochs", out var epochs) ? int.Parse(epochs, c) : new ExperimentOptions().Epochs,
                Patience = config.TryGetValue("patience", out var patience) ? int.Parse(patience, c) : 0,
                CheckpointEvery = config.TryGetValue("checkpoint_every", out var every) ? int.Parse(every, c) : 0,
                ClipNorm = config.TryGetValue("clip_norm", out var clip) ? double.Parse(clip, c) : 0,
                Threshold = config.TryGetValue("threshold", out var threshold) ? double.Parse(threshold, c) : 0.5,
                ClassWeights = config.GetValueOrDefault("class_weights") is { Length: > 0 } weights ? weights : null,
                Csv = config.GetValueOrDefault("csv") is { Length: > 0 } csv ? csv : null,
                Target = Strings(config, "target"), Task = config.GetValueOrDefault("task_option") ?? "auto",
                Images = config.GetValueOrDefault("images") is { Length: > 0 } images ? images : null,
                ImageSize = config.TryGetValue("image_size", out var size) ? int.Parse(size, c) : 32, SkipBadImages = config.GetValueOrDefault("skip_bad_images") == "true",
                Freeze = Strings(config, "freeze"), NewHead = config.GetValueOrDefault("new_head") == "true",
                UnfreezeAfter = config.TryGetValue("unfreeze_after", out var unfreeze) ? int.Parse(unfreeze, c) : 0,
                FreezeLrFactor = config.TryGetValue("freeze_lr_factor", out var factor) ? double.Parse(factor, c) : 1,
                InitFrom = config.GetValueOrDefault("init_from") is { Length: > 0 } init ? init : null,
                Categorical = Strings(config, "categorical"), Drop = Strings(config, "drop"), OneHot = config.GetValueOrDefault("one_hot") == "true",
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or OverflowException or JsonException)
        {
            throw new InvalidDataException($"{path}: checkpoint has no complete run configuration ({e.Message})", e);
        }
    }

    private static string[] Strings(IReadOnlyDictionary<string, string> config, string key)
        => config.GetValueOrDefault(key) is { Length: > 0 } json ? JsonSerializer.Deserialize<string[]>(json) ?? [] : [];

    /// <summary>Regression metrics back in the target's units (the model was trained on standardised targets).</summary>
    private static EvaluationResult Scale(EvaluationResult result, ExperimentData data)
    {
        result = result with { LabelNames = data.ClassNames };
        if (data.Task != TaskKind.Regression || !data.Statistics.TryGetValue("target_std", out var std)) return result;
        double s = std.Item();
        return result with { Mae = result.Mae * s, Rmse = result.Rmse * s };
    }

    private static void WriteReport(string path, ExperimentOptions o, ExperimentData data, Trainer trainer, EvaluationResult test,
        long parameters, double secondsPerEpoch, Device device)
    {
        var c = CultureInfo.InvariantCulture;
        var report = new TrainingReport
        {
            Title = $"Scratch: {o.Model} on {o.Dataset}",
            Subtitle = data.Description,
            Config =
            [
                new("model", $"{o.Model} ({parameters:N0} parameters)"), new("optimizer", $"{o.Optimizer}, lr {o.Lr.ToString(c)}, weight decay {o.WeightDecay.ToString(c)}"),
                new("scheduler", o.Scheduler), new("batch size", o.BatchSize.ToString(c)), new("epochs", trainer.Epoch.ToString(c)),
                new("dropout", o.Dropout.ToString(c)), new("augmentation", o.Augment ? "random crop + flip" : "none"),
                new("seed", o.Seed.ToString(c)), new("device", DescribeDevice(device)),
            ],
            Epochs = trainer.History,
            StepLearningRates = trainer.LearningRates,
            TestMetrics = test.Describe().ToArray(),
            Timing = [new("seconds per epoch", secondsPerEpoch.ToString("F2", c)), new("training examples per second", (secondsPerEpoch > 0 ? data.Train.Count / secondsPerEpoch : 0).ToString("F0", c))],
            Confusion = test.Confusion,
            ClassNames = data.ClassNames,
        };
        report.Save(path);
    }
}
