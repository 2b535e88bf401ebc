namespace Scratch.Training;

/// <summary>What an <see cref="Experiment"/> tells the outside world as it runs (the CLI renders it).</summary>
public interface IExperimentObserver
{
    /// <summary>A fact about the run (device, data, model, paths).</summary>
    void Info(string label, string value);

    /// <summary>The model's layer table.</summary>
    void ModelSummary(string summary);

    /// <summary>Called once the trainer exists, to subscribe to its progress events.</summary>
    void TrainingStarted(Trainer trainer, int epochs);

    /// <summary>Called when training has finished, before the test evaluation.</summary>
    void TrainingFinished(Trainer trainer);
}
