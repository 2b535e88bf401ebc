namespace Scratch.Training;

/// <summary>
/// Cuts a dataset into mini-batches, optionally shuffled, applies a batch transform and moves each
/// batch to the target device. The next batch is prepared on a background thread while the caller
/// trains on the current one.
/// </summary>
/// <remarks>
/// Every random choice is derived from (<see cref="Seed"/>, epoch, batch): epoch e's order and batch
/// b's augmentation come from fixed, disjoint positions of the Philox stream. An epoch can therefore
/// be replayed or resumed part-way (<see cref="Enumerate"/>) with exactly the same batches, whatever
/// the prefetching did.
/// </remarks>
public sealed class DataLoader : IEnumerable<Batch>
{
    // Stream layout: epoch e uses offsets [e·2^40, (e+1)·2^40); its order the first 2^32 blocks,
    // batch b's transform the 2^20 blocks from 2^32 + b·2^20.
    private const ulong EpochStride = 1UL << 40, TransformBase = 1UL << 32, BatchStride = 1UL << 20;
    private int _nextEpoch;

    /// <summary>Creates a loader.</summary>
    /// <param name="dataset">The examples.</param>
    /// <param name="batchSize">Examples per batch.</param>
    /// <param name="shuffle">Draw a new order every epoch.</param>
    /// <param name="dropLast">Drop the last batch when it is smaller than <paramref name="batchSize"/>.</param>
    /// <param name="seed">Seed of the shuffles and transforms.</param>
    /// <param name="transform">Applied to each batch before it is moved to the device.</param>
    /// <param name="device">Where batches go (default CPU).</param>
    /// <param name="prefetch">Prepare the next batch on a background thread.</param>
    public DataLoader(IDataset dataset, int batchSize, bool shuffle = false, bool dropLast = false, ulong seed = 0,
        IBatchTransform? transform = null, Device? device = null, bool prefetch = true)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "DataLoader: batch size must be positive");
        Dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        Seed = seed;
        Transform = transform;
        Device = device ?? Scratch.Device.Cpu;
        Prefetch = prefetch;
    }

    /// <summary>The examples.</summary>
    public IDataset Dataset { get; }
    /// <summary>Examples per batch.</summary>
    public int BatchSize { get; }
    /// <summary>True when each epoch uses a new random order.</summary>
    public bool Shuffle { get; }
    /// <summary>True when an incomplete last batch is dropped.</summary>
    public bool DropLast { get; }
    /// <summary>Seed of every random choice the loader makes.</summary>
    public ulong Seed { get; }
    /// <summary>The batch transform, if any.</summary>
    public IBatchTransform? Transform { get; }
    /// <summary>Where batches are delivered.</summary>
    public Device Device { get; }
    /// <summary>True when batches are prepared in the background.</summary>
    public bool Prefetch { get; }

    /// <summary>Number of batches per epoch.</summary>
    public int BatchCount => DropLast ? Dataset.Count / BatchSize : (Dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>Iterates the next epoch (0, 1, 2, … on successive calls).</summary>
    public IEnumerator<Batch> GetEnumerator() => Enumerate(_nextEpoch++).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The batches of epoch <paramref name="epoch"/> (0-based), starting after the first <paramref name="skipBatches"/>.</summary>
    public IEnumerable<Batch> Enumerate(int epoch, int skipBatches = 0)
    {
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "DataLoader: epoch must be >= 0");
        var order = OrderOf(epoch);
        int batches = BatchCount;
        if (!Prefetch)
        {
            for (int b = skipBatches; b < batches; b++) yield return Load(order, epoch, b);
            yield break;
        }
        // One batch in flight: while the caller works on batch b, batch b + 1 is being loaded.
        Task<Batch>? next = skipBatches < batches ? Task.Run(() => Load(order, epoch, skipBatches)) : null;
        for (int b = skipBatches; b < batches; b++)
        {
            var current = next!.GetAwaiter().GetResult();
            int following = b + 1;
            next = following < batches ? Task.Run(() => Load(order, epoch, following)) : null;
            yield return current;
        }
    }

    private int[] OrderOf(int epoch)
    {
        if (!Shuffle) return Enumerable.Range(0, Dataset.Count).ToArray();
        var generator = new Generator(Seed);
        generator.SetState(Seed, (ulong)epoch * EpochStride);
        return NDArray.RandpermHost(Dataset.Count, generator);
    }

    private Batch Load(int[] order, int epoch, int batch)
    {
        int start = batch * BatchSize;
        int count = Math.Min(BatchSize, order.Length - start);
        var indices = order.AsSpan(start, count).ToArray();
        var (inputs, targets) = Dataset.GetBatch(indices);
        if (Transform is not null)
        {
            var generator = new Generator(Seed);
            generator.SetState(Seed, (ulong)epoch * EpochStride + TransformBase + (ulong)batch * BatchStride);
            (inputs, targets) = Transform.Apply(inputs, targets, generator);
        }
        return new Batch(new Tensor(inputs.To(Device)), new Tensor(targets.To(Device)));
    }
}
