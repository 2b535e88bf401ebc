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

        var command = new Command("train", "train a model (default: the CNN on Fashion-MNIST)")
        {
            model, dataset, epochs, batchSize, lr, optimizer, scheduler, weightDecay, dropout, seed, data, output, runName, resume, device,
            validation, augment, patience, every, clip, threads, json,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(threads) is int t and > 0) Kernels.Cpu.CpuParallel.ThreadCount = t;
            var chosen = ExperimentOptions.ForDataset(parse.GetValue(dataset)!, parse.GetValue(model), parse.GetValue(epochs), parse.GetValue(batchSize), parse.GetValue(dropout));
            var options = chosen with
            {
                Epochs = Positive(chosen.Epochs, "--epochs"), BatchSize = Positive(chosen.BatchSize, "--batch-size"), Lr = parse.GetValue(lr), Optimizer = parse.GetValue(optimizer)!,
                Scheduler = parse.GetValue(scheduler)!, WeightDecay = parse.GetValue(weightDecay),
                Seed = parse.GetValue(seed), Data = parse.GetValue(data), Out = parse.GetValue(output)!, RunName = parse.GetValue(runName), Resume = parse.GetValue(resume),
                Device = parse.GetValue(device)!, ValidationFraction = parse.GetValue(validation), Augment = parse.GetValue(augment),
                Patience = parse.GetValue(patience), CheckpointEvery = parse.GetValue(every), ClipNorm = parse.GetValue(clip),
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
        if (r.Task == TaskKind.Classification) values["test_accuracy"] = r.Test.Accuracy;
        else
        {
            values["test_r2"] = r.Test.R2;
            values["test_mae"] = r.Test.Mae;
            values["test_rmse"] = r.Test.Rmse;
        }
        return JsonSerializer.Serialize(values);
    }

    internal static Option<string> Choice(string name, string description, string fallback, IEnumerable<string> allowed)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => fallback };
        option.AcceptOnlyFromAmong([.. allowed]);
        return option;
    }

    private static int Positive(int value, string name)
        => value > 0 ? value : throw new ArgumentException($"{name} must be positive, got {value.ToString(CultureInfo.InvariantCulture)}");
}
