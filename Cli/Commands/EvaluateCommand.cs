using System.CommandLine;
using Scratch.Training;
using Spectre.Console;

namespace Scratch.Cli.Commands;

/// <summary><c>scratch evaluate --checkpoint PATH</c>: a saved model's metrics on its test split.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "checkpoint file (.safetensors)", Required = true };
        var data = new Option<string?>("--data") { Description = "data folder, or 'builtin'" };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto", DefaultValueFactory = _ => "auto" };
        var command = new Command("evaluate", "evaluate a checkpoint on the test split") { checkpoint, data, device };
        command.SetAction(parse =>
        {
            var (result, options, description) = Experiment.Evaluate(parse.GetValue(checkpoint)!, parse.GetValue(data), parse.GetValue(device)!);
            AnsiConsole.MarkupLine($"[bold]model[/] {Markup.Escape(options.Model)} on {Markup.Escape(options.Dataset)}");
            AnsiConsole.MarkupLine($"[bold]data[/]  {Markup.Escape(description)}");
            var table = new Table().Title("test").AddColumns("metric", "value");
            foreach (var (name, value) in result.Describe()) table.AddRow(Markup.Escape(name), Markup.Escape(value));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
