using System.CommandLine;
using System.Globalization;
using Scratch.Training;
using Spectre.Console;

namespace Scratch.Cli.Commands;

/// <summary><c>scratch predict --checkpoint CKPT INPUT...</c>: applies a trained model to new rows and writes the predictions.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "checkpoint file (.safetensors) of scratch train --csv or --images", Required = true };
        var inputs = new Argument<string[]>("INPUT") { Description = "CSV files with the feature columns the model was trained on, or image files and folders", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "where to write the predictions (CSV)", DefaultValueFactory = _ => "predictions.csv" };
        var topK = new Option<int>("--top-k") { Description = "classification: how many most likely classes to list", DefaultValueFactory = _ => 3 };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto", DefaultValueFactory = _ => "auto" };
        var command = new Command("predict", "apply a trained model to new data and write predictions.csv") { checkpoint, inputs, output, topK, device };
        command.SetAction(parse =>
        {
            var predictor = Predictor.Load(parse.GetValue(checkpoint)!, Device.Parse(parse.GetValue(device)!));
            string path = parse.GetValue(output)!;
            var (rows, unseen, skipped) = predictor.PredictToFile(parse.GetValue(inputs)!, path, parse.GetValue(topK));
            AnsiConsole.MarkupLine($"[bold]predicted[/] {rows.ToString(CultureInfo.InvariantCulture)} {(predictor.TakesImages ? "images" : "rows")} ({Markup.Escape(ExperimentData.TaskName(predictor.Task))}) → {Markup.Escape(path)}");
            foreach (string bad in skipped) Console.Error.WriteLine($"scratch: warning: skipped {bad}");
            if (unseen > 0)
                Console.Error.WriteLine($"scratch: warning: {unseen} categorical cells held values not seen in training; they were treated as missing");
            return 0;
        });
        return command;
    }
}
