using System.Diagnostics;

namespace Scratch.Training;

/// <summary>
/// The training loop: for each batch forward, loss, backward, optional gradient clipping, optimizer
/// step; after each epoch validation, an <see cref="EpochRecord"/> and the callbacks (early stopping,
/// checkpoints, schedulers, logs). It knows nothing of the console: displays subscribe to
/// <see cref="BatchEnded"/> and <see cref="EpochEnded"/>.
/// </summary>
/// <remarks>
/// Memory is freed as the loop goes rather than left to the garbage collector: after each step the
/// step's activations and batch (<see cref="Tensor.DisposeGraph"/>), before each backward pass the
/// previous gradients, and in evaluation everything made for a batch (<see cref="ArrayScope"/>). A
/// callback that wants a gradient or an activation beyond the step must copy it.
/// </remarks>
public sealed class Trainer
{
    private readonly List<EpochRecord> _history = [];
    private readonly List<(double Step, double LearningRate)> _learningRates = [];
    private double _threshold = 0.5;

    /// <summary>Creates a trainer.</summary>
    /// <param name="model">The model; its parameters must be the optimizer's.</param>
    /// <param name="optimizer">Updates the parameters.</param>
    /// <param name="loss">(model output, target) → scalar loss.</param>
    /// <param name="task">What the model predicts; accuracy is tracked for every task but regression.</param>
    public Trainer(Module model, Optimizer optimizer, Func<Tensor, Tensor, Tensor> loss, TaskKind task = TaskKind.Classification)
    {
        Model = model;
        Optimizer = optimizer;
        Loss = loss;
        Task = task;
    }

    /// <summary>The model being trained.</summary>
    public Module Model { get; }
    /// <summary>The optimizer.</summary>
    public Optimizer Optimizer { get; }
    /// <summary>The loss function.</summary>
    public Func<Tensor, Tensor, Tensor> Loss { get; }
    /// <summary>What the model predicts.</summary>
    public TaskKind Task { get; }
    /// <summary>Callbacks run in order at each hook.</summary>
    public List<TrainerCallback> Callbacks { get; } = [];
    /// <summary>Binary and multi-label tasks: the probability at or above which an output counts as positive (default 0.5).</summary>
    public double Threshold
    {
        get => _threshold;
        set => _threshold = value is > 0 and < 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Trainer: the threshold must be in (0, 1)");
    }
    /// <summary>When set, gradients are clipped to this total 2-norm before each step.</summary>
    public double? GradientClipNorm { get; set; }

    /// <summary>Epochs completed.</summary>
    public int Epoch { get; private set; }
    /// <summary>Batches completed within the current (unfinished) epoch; 0 between epochs.</summary>
    public int BatchInEpoch { get; private set; }
    /// <summary>Optimizer steps taken.</summary>
    public long Step { get; private set; }
    /// <summary>The running sums of the current (unfinished) epoch; <see cref="EpochTotals.Empty"/> between epochs.</summary>
    public EpochTotals PartialEpoch { get; private set; } = EpochTotals.Empty;
    /// <summary>Set by a callback (e.g. early stopping) to end training after the current epoch.</summary>
    public bool StopRequested { get; set; }
    /// <summary>One record per completed epoch.</summary>
    public IReadOnlyList<EpochRecord> History => _history;
    /// <summary>The learning rate at each step (for reports).</summary>
    public IReadOnlyList<(double Step, double LearningRate)> LearningRates => _learningRates;

    /// <summary>Raised after every optimizer step.</summary>
    public event Action<BatchProgress>? BatchEnded;
    /// <summary>Raised after every epoch.</summary>
    public event Action<EpochRecord>? EpochEnded;

    /// <summary>The first parameter group's learning rate.</summary>
    public double LearningRate => Optimizer.ParamGroups[0].Lr;

    /// <summary>
    /// Trains until <paramref name="epochs"/> epochs are complete in total (continuing from
    /// <see cref="Epoch"/> and <see cref="BatchInEpoch"/> after a resume), or a callback stops it.
    /// </summary>
    /// <exception cref="TrainingDivergedException">A batch's loss or a gradient is NaN or infinite: found before the
    /// optimizer step, so the weights (and every checkpoint) keep the last finite values.</exception>
    public IReadOnlyList<EpochRecord> Fit(DataLoader train, DataLoader? validation, int epochs)
    {
        if (epochs < 0) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "Fit: epochs must be >= 0");
        StopRequested = false;
        foreach (var c in Callbacks) c.OnTrainBegin(this);
        while (Epoch < epochs && !StopRequested)
        {
            int epoch = Epoch + 1;
            foreach (var c in Callbacks) c.OnEpochBegin(this, epoch);
            var (loss, accuracy, seconds) = TrainEpoch(train, epoch, epochs);
            var val = validation is null ? null : Evaluate(validation);
            var record = new EpochRecord(epoch, loss, val?.Loss, accuracy, val?.Accuracy, LearningRate, seconds);
            Epoch = epoch;
            BatchInEpoch = 0;
            PartialEpoch = EpochTotals.Empty;
            _history.Add(record);
            EpochEnded?.Invoke(record);
            foreach (var c in Callbacks) c.OnEpochEnd(this, record);
        }
        foreach (var c in Callbacks) c.OnTrainEnd(this);
        return _history;
    }

    private (double Loss, double? Accuracy, double Seconds) TrainEpoch(DataLoader train, int epoch, int epochs)
    {
        Model.Train();
        var clock = Stopwatch.StartNew();
        // After a mid-epoch resume the epoch's means include the batches before it.
        var (lossSum, correct, seen) = BatchInEpoch > 0 ? PartialEpoch : EpochTotals.Empty;
        int batches = train.BatchCount;
        foreach (var (input, target) in train.Enumerate(epoch - 1, BatchInEpoch))
        {
            var output = Model.Forward(input);
            var loss = Loss(output, target);
            double lossValue = loss.Item();
            if (!double.IsFinite(lossValue)) throw Diverged("the loss is not finite", epoch, lossValue);
            ReleaseGradients();
            loss.Backward();
            if (!GradientsFinite()) throw Diverged("a gradient is NaN or infinite", epoch, lossValue);
            if (GradientClipNorm is double maxNorm) GradClip.ClipByNorm(Optimizer.Parameters, maxNorm);
            Optimizer.Step();
            Step++;
            BatchInEpoch++;

            int n = input.Shape[0];
            lossSum += lossValue * n;
            seen += n;
            if (HasAccuracy) correct += TaskOutputs.CountCorrect(Task, output.Data, target.Data, Threshold);
            PartialEpoch = new EpochTotals(lossSum, correct, seen);
            _learningRates.Add((Step, LearningRate));
            // Nothing of the step is needed any more: its activations and the batch go back to the allocator now.
            loss.DisposeGraph();
            input.Dispose();
            target.Dispose();

            var progress = new BatchProgress(epoch, epochs, BatchInEpoch, batches, Step, lossSum / seen,
                HasAccuracy ? (double)correct / seen : null, seen / clock.Elapsed.TotalSeconds, LearningRate, clock.Elapsed);
            BatchEnded?.Invoke(progress);
            foreach (var c in Callbacks) c.OnBatchEnd(this, progress);
        }
        return (seen == 0 ? double.NaN : lossSum / seen, HasAccuracy && seen > 0 ? (double)correct / seen : null, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Loss and metrics of the model on <paramref name="data"/>, in evaluation mode and without recording gradients.</summary>
    public EvaluationResult Evaluate(DataLoader data) => Evaluate(Model, Loss, Task, data, Threshold);

    /// <summary>
    /// Loss and metrics of <paramref name="model"/> on <paramref name="data"/> for <paramref name="task"/>; binary and
    /// multi-label outputs count as positive where their sigmoid is at least <paramref name="threshold"/>.
    /// </summary>
    public static EvaluationResult Evaluate(Module model, Func<Tensor, Tensor, Tensor> loss, TaskKind task, DataLoader data, double threshold = 0.5)
    {
        bool wasTraining = model.IsTraining;
        model.Eval();
        var clock = Stopwatch.StartNew();
        try
        {
            using var _ = Tensor.NoGrad();
            var results = new EvaluationAccumulator(task, threshold);
            foreach (var (input, target) in data.Enumerate(0))
            {
                // Everything made for this batch (the batch too) is freed when the scope ends.
                using var batchScope = new ArrayScope();
                using var batchInput = input;
                using var batchTarget = target;
                var output = model.Forward(input);
                results.Add(loss(output, target).Item(), output.Data, target.Data);
            }
            return results.Result(results.Count / Math.Max(clock.Elapsed.TotalSeconds, 1e-9));
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    /// <summary>
    /// Restores the loop position and history saved in a checkpoint, and the running sums of the unfinished
    /// epoch (<paramref name="partialEpoch"/>; without them its means count only the batches after the resume).
    /// </summary>
    public void RestorePosition(int epoch, int batchInEpoch, long step, IEnumerable<EpochRecord> history, EpochTotals? partialEpoch = null)
    {
        Epoch = epoch;
        BatchInEpoch = batchInEpoch;
        Step = step;
        PartialEpoch = batchInEpoch > 0 ? partialEpoch ?? EpochTotals.Empty : EpochTotals.Empty;
        _history.Clear();
        _history.AddRange(history);
    }

    /// <summary>
    /// Frees the previous step's gradients and sets them to null (PyTorch's <c>zero_grad(set_to_none=True)</c>),
    /// so the coming backward pass hands its gradients to the parameters without a copy.
    /// </summary>
    private void ReleaseGradients()
    {
        foreach (var p in Optimizer.Parameters)
        {
            p.Grad?.Dispose();
            p.Grad = null;
        }
    }

    private TrainingDivergedException Diverged(string what, int epoch, double loss)
        => new(what, Step + 1, epoch, BatchInEpoch + 1, loss, LearningRate);

    /// <summary>True when every gradient is finite: Σ 0·g is 0 then and NaN otherwise, with one read-back for all.</summary>
    private bool GradientsFinite()
    {
        using var _ = Tensor.NoGrad();
        using var scope = new ArrayScope();
        NDArray? total = null;
        foreach (var p in Optimizer.Parameters)
        {
            if (p.Grad is not { } g || g.Count == 0) continue;
            var zeroed = (g.Data * 0).Sum().To(DType.Float64);
            total = total is null ? zeroed : total + zeroed;
        }
        return total is null || double.IsFinite(total.Item());
    }

    /// <summary>Every task but regression has an accuracy (multi-label: the subset accuracy).</summary>
    private bool HasAccuracy => Task != TaskKind.Regression;
}
