using System.Globalization;
using Scratch.Training;
using Spectre.Console;

namespace Scratch.Cli.Output;

/// <summary>
/// Shows a run on the console: facts as a table, a live progress bar per epoch with loss, accuracy,
/// images/s and ETA on a terminal (plain progress lines when output is redirected), and a table of
/// the epochs at the end.
/// </summary>
internal sealed class ConsoleObserver : IExperimentObserver
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private readonly bool _live = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
    private readonly object _gate = new();
    private BatchProgress? _latest;
    private bool _finished;
    private Thread? _renderer;
    private int _lastPlainDecile = -1;

    /// <inheritdoc/>
    public void Info(string label, string value) => AnsiConsole.MarkupLine($"[bold]{Markup.Escape(label),-8}[/] {Markup.Escape(value)}");

    /// <inheritdoc/>
    public void ModelSummary(string summary) => AnsiConsole.WriteLine(summary);

    /// <inheritdoc/>
    public void TrainingStarted(Trainer trainer, int epochs)
    {
        trainer.BatchEnded += OnBatch;
        trainer.EpochEnded += OnEpoch;
        if (_live)
        {
            _renderer = new Thread(Render) { IsBackground = true, Name = "progress" };
            _renderer.Start();
        }
    }

    /// <inheritdoc/>
    public void TrainingFinished(Trainer trainer)
    {
        lock (_gate) _finished = true;
        _renderer?.Join();
        trainer.BatchEnded -= OnBatch;
        trainer.EpochEnded -= OnEpoch;
        var table = new Table().Title("epochs").AddColumns("epoch", "train loss", "train acc", "val loss", "val acc", "lr", "seconds");
        foreach (var r in trainer.History)
        {
            table.AddRow(r.Epoch.ToString(C), r.TrainLoss.ToString("F4", C), Percent(r.TrainAccuracy), r.ValidationLoss?.ToString("F4", C) ?? "-",
                Percent(r.ValidationAccuracy), r.LearningRate?.ToString("G4", C) ?? "-", r.Seconds?.ToString("F1", C) ?? "-");
        }
        AnsiConsole.Write(table);
    }

    private void OnBatch(BatchProgress p)
    {
        lock (_gate) _latest = p;
        if (_live) return;
        int decile = p.Batch * 10 / Math.Max(1, p.Batches);
        if (decile == _lastPlainDecile && p.Batch != p.Batches) return;
        _lastPlainDecile = decile;
        Console.WriteLine(Describe(p));
    }

    private void OnEpoch(EpochRecord r)
    {
        _lastPlainDecile = -1;
        if (_live) return;
        Console.WriteLine($"epoch {r.Epoch}: train loss {r.TrainLoss.ToString("F4", C)}, train acc {Percent(r.TrainAccuracy)}, " +
            $"val loss {r.ValidationLoss?.ToString("F4", C) ?? "-"}, val acc {Percent(r.ValidationAccuracy)}, {r.Seconds?.ToString("F1", C)} s");
    }

    private void Render()
    {
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask? task = null;
                int epoch = 0;
                while (true)
                {
                    BatchProgress? p;
                    bool finished;
                    lock (_gate) { p = _latest; finished = _finished; }
                    if (p is not null)
                    {
                        if (p.Epoch != epoch)
                        {
                            if (task is not null) task.StopTask();
                            epoch = p.Epoch;
                            task = context.AddTask($"epoch {p.Epoch}/{p.Epochs}", maxValue: p.Batches);
                        }
                        task!.Value = p.Batch;
                        task.Description = Markup.Escape(Describe(p));
                    }
                    if (finished) break;
                    Thread.Sleep(100);
                }
                task?.StopTask();
            });
    }

    private static string Describe(BatchProgress p)
        => $"epoch {p.Epoch}/{p.Epochs} batch {p.Batch}/{p.Batches} loss {p.Loss.ToString("F4", C)}" +
           (p.Accuracy is double a ? $" acc {a.ToString("P1", C)}" : "") +
           $" {p.ExamplesPerSecond.ToString("F0", C)} img/s ETA {p.Remaining:mm\\:ss}";

    private static string Percent(double? value) => value?.ToString("P2", C) ?? "-";
}
