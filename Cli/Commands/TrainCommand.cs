using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Scratch.Cli.Output;
using Scratch.Training;
using Spectre.Console;

namespace Scratch.Cli.Commands;

/// <summary><c>scratch train</c>: trains a model (by default the CNN on Fashion-MNIST) and reports on it.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var defaults = new ExperimentOptions();
        var model = new Option<string?>("--model") { Description = "model architecture (default: cnn for images, lstm for image rows, mlp for tables)" };
        model.AcceptOnlyFromAmong([.. Models.Names]);
        var dataset = Choice("--dataset", "dataset", defaults.Dataset, ["fashion-mnist", ExperimentData.FashionMnistRows, .. KnownDatasets.Csv.Select(d => d.Name)]);
        var epochs = new Option<int?>("--epochs") { Description = "total epochs (default: 5 for images, 100 for tables)" };
        var batchSize = new Option<int?>("--batch-size") { Description = "examples per batch (default: 128 for images, 32 for tables)" };
        var lr = new Option<double>("--lr") { Description = "learning rate", DefaultValueFactory = _ => defaults.Lr };
        var optimizer = Choice("--optimizer", "optimizer", defaults.Optimizer, OptimizerFactory.OptimizerNames);
        var scheduler = Choice("--scheduler", "learning-rate schedule", defaults.Scheduler, OptimizerFactory.SchedulerNames);
        var weightDecay = new Option<double>("--weight-decay") { Description = "weight decay", DefaultValueFactory = _ => 0 };
        var dropout = new Option<double?>("--dropout") { Description = "dropout before the classifier (default: 0 for images, 0.2 for tables)" };
        var seed = new Option<ulong>("--seed") { Description = "random seed", DefaultValueFactory = _ => 0 };
        var data = new Option<string?>("--data") { Description = "data folder, or 'builtin' for the shipped subset (default: full Fashion-MNIST when installed)" };
        var output = new Option<string>("--out") { Description = "folder for run outputs", DefaultValueFactory = _ => defaults.Out };
        var runName = new Option<string?>("--run-name") { Description = "name of the run folder (default: model-dataset-time)" };
        var resume = new Option<string?>("--resume") { Description = "checkpoint to resume from" };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto", DefaultValueFactory = _ => "auto" };
        var validation = new Option<double>("--val-fraction") { Description = "share of the training split held out for validation", DefaultValueFactory = _ => defaults.ValidationFraction };
        var augment = new Option<bool>("--augment") { Description = "random crop and flip of training images" };
        var patience = new Option<int>("--patience") { Description = "early-stopping patience in epochs (0 = off)", DefaultValueFactory = _ => 0 };
        var every = new Option<int>("--checkpoint-every") { Description = "also checkpoint every N steps (0 = per epoch)", DefaultValueFactory = _ => 0 };
        var clip = new Option<double>("--clip-norm") { Description = "clip gradients to this total norm (0 = off)", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "CPU threads for kernels (default: all)", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "end with one JSON line of results" };
        var csv = new Option<string?>("--csv") { Description = "train on this CSV file (header row; target given by --target)" };
        var target = new Option<string?>("--target") { Description = "CSV column to predict; several, comma-separated, make a multi-label task" };
        var task = Choice("--task", "what to predict (auto detects it from the target)", "auto", ["auto", "binary", "multiclass", "multilabel", "regression"]);
        var categorical = new Option<string?>("--categorical") { Description = "comma-separated CSV columns that are categorical although they hold numbers" };
        var drop = new Option<string?>("--drop") { Description = "comma-separated CSV columns to leave out (ids, leaks)" };
        var oneHot = new Option<bool>("--one-hot") { Description = "categorical CSV columns become one-hot features instead of embeddings" };
        var classWeights = new Option<string?>("--class-weights") { Description = "'balanced', or one weight per class, comma-separated (binary: negative,positive)" };
        var images = new Option<string?>("--images") { Description = "train on this image folder (one sub-folder per class; PNG, JPEG, BMP)" };
        var imageSize = new Option<int>("--image-size") { Description = "images are scaled (shorter side) and centre-cropped to this square size", DefaultValueFactory = _ => 32 };
        var badImages = Choice("--bad-images", "what to do with an image that cannot be decoded", "fail", ["fail", "skip"]);
        var initFrom = new Option<string?>("--init-from") { Description = "start from the matching weights of this checkpoint (fine-tuning)" };
        var freeze = new Option<string?>("--freeze") { Description = "comma-separated parameter-name prefixes to freeze, e.g. 0,3 or body.1" };
        var newHead = new Option<bool>("--new-head") { Description = "with --init-from: start the last Linear layer afresh (needed when the class count differs)" };
        var unfreezeAfter = new Option<int>("--unfreeze-after") { Description = "train the frozen parameters after this epoch (0 = never)", DefaultValueFactory = _ => 0 };
        var freezeLr = new Option<double>("--freeze-lr-factor") { Description = "learning rate of the frozen parameters once unfrozen, as a factor of --lr", DefaultValueFactory = _ => 1 };
        var threshold = new Option<double>("--threshold") { Description = "binary and multi-label: probability from which a prediction is positive", DefaultValueFactory = _ => 0.5 };

        var command = new Command("train", "train a model (default: the CNN on Fashion-MNIST)")
        {
            model, dataset, epochs, batchSize, lr, optimizer, scheduler, weightDecay, dropout, seed, data, output, runName, resume, device,
            validation, augment, patience, every, clip, threads, json, csv, target, task, categorical, drop, oneHot, classWeights, threshold, images, imageSize, badImages, initFrom, freeze, newHead, unfreezeAfter, freezeLr,
        };
        command.SetAction(parse =>
        {
            if (parse.GetResult(threads) is { Implicit: false })
            {
                int t = parse.GetValue(threads);
                if (t < 1 || t > Environment.ProcessorCount * 4)
                    throw new ArgumentException($"--threads {t}: must be between 1 and {Environment.ProcessorCount * 4} ({Environment.ProcessorCount} cores here; leave it out to use all)");
                Kernels.Cpu.CpuParallel.ThreadCount = t;
            }
            string? csvPath = parse.GetValue(csv);
            if (csvPath is null && parse.GetValue(target) is not null) throw new ArgumentException("--target needs --csv FILE");
            string? imageFolder = parse.GetValue(images);
            if ((csvPath is not null ? 1 : 0) + (imageFolder is not null ? 1 : 0) + (parse.GetResult(dataset) is { Implicit: false } ? 1 : 0) > 1)
                throw new ArgumentException("give one of --csv, --images and --dataset");
            string datasetName = csvPath is not null ? "csv" : imageFolder is not null ? "images" : parse.GetValue(dataset)!;
            var chosen = ExperimentOptions.ForDataset(datasetName, parse.GetValue(model), parse.GetValue(epochs), parse.GetValue(batchSize), parse.GetValue(dropout));
            var options = chosen with
            {
                Epochs = Positive(chosen.Epochs, "--epochs"), BatchSize = Positive(chosen.BatchSize, "--batch-size"), Lr = parse.GetValue(lr), Optimizer = parse.GetValue(optimizer)!,
                Scheduler = parse.GetValue(scheduler)!, WeightDecay = parse.GetValue(weightDecay),
                Seed = parse.GetValue(seed), Data = parse.GetValue(data), Out = parse.GetValue(output)!, RunName = parse.GetValue(runName), Resume = parse.GetValue(resume),
                Device = parse.GetValue(device)!, ValidationFraction = parse.GetValue(validation), Augment = parse.GetValue(augment),
                Patience = parse.GetValue(patience), CheckpointEvery = parse.GetValue(every), ClipNorm = parse.GetValue(clip),
                Given = command.Options.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name.TrimStart('-')).ToHashSet(),
                Csv = csvPath, Target = List(parse.GetValue(target)), Task = parse.GetValue(task)!, Categorical = List(parse.GetValue(categorical)),
                Drop = List(parse.GetValue(drop)), OneHot = parse.GetValue(oneHot), ClassWeights = parse.GetValue(classWeights), Threshold = parse.GetValue(threshold),
                InitFrom = parse.GetValue(initFrom), Freeze = List(parse.GetValue(freeze)), NewHead = parse.GetValue(newHead),
                UnfreezeAfter = parse.GetValue(unfreezeAfter), FreezeLrFactor = parse.GetValue(freezeLr),
                Images = imageFolder, ImageSize = Positive(parse.GetValue(imageSize), "--image-size"), SkipBadImages = parse.GetValue(badImages) == "skip",
            };
            var result = Experiment.Run(options, new ConsoleObserver());
            Report(result);
            if (parse.GetValue(json)) Console.WriteLine(Json(result));
            return 0;
        });
        return command;
    }

    private static void Report(ExperimentResult result)
    {
        var table = new Table().Title("test").AddColumns("metric", "value");
        foreach (var (name, value) in result.Test.Describe()) table.AddRow(Markup.Escape(name), Markup.Escape(value));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[bold]checkpoint[/] {Markup.Escape(result.CheckpointPath)}");
        AnsiConsole.MarkupLine($"[bold]report[/]     {Markup.Escape(result.ReportPath)}");
    }

    private static string Json(ExperimentResult r)
    {
        var values = new Dictionary<string, object?>
        {
            ["epochs"] = r.History.Count,
            ["seconds_per_epoch"] = Math.Round(r.SecondsPerEpoch, 3),
            ["images_per_second"] = Math.Round(r.ExamplesPerSecond, 1),
            ["parameters"] = r.Parameters,
            ["test_loss"] = r.Test.Loss,
            ["device"] = r.Device.ToString(),
            ["checkpoint"] = r.CheckpointPath,
            ["report"] = r.ReportPath,
        };
        values["task"] = ExperimentData.TaskName(r.Task);
        if (r.Task != TaskKind.Regression) values["test_accuracy"] = r.Test.Accuracy;
        if (r.Task == TaskKind.Binary)
        {
            values["test_roc_auc"] = r.Test.RocAuc;
            values["test_pr_auc"] = r.Test.PrAuc;
        }
        if (r.Test.MultiLabel is { } ml)
        {
            values["test_micro_f1"] = ml.MicroF1;
            values["test_macro_f1"] = ml.MacroF1;
        }
        if (r.Task == TaskKind.Regression)
        {
            values["test_r2"] = r.Test.R2;
            values["test_mae"] = r.Test.Mae;
            values["test_rmse"] = r.Test.Rmse;
        }
        // A NaN loss (an empty split) is written as "NaN", not refused.
        return JsonSerializer.Serialize(values, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
    }

    internal static Option<string> Choice(string name, string description, string fallback, IEnumerable<string> allowed)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => fallback };
        option.AcceptOnlyFromAmong([.. allowed]);
        return option;
    }

    private static string[] List(string? value) => value is null ? [] : value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static int Positive(int value, string name)
        => value > 0 ? value : throw new ArgumentException($"{name} must be positive, got {value.ToString(CultureInfo.InvariantCulture)}");
}
