using NUnit.Framework;
using Scratch.Training;

namespace Scratch.Tests.Training.Loop;

public class DataLoaderTests
{
    private static TensorDataset Numbers(int n)
        => new(NDArray.FromArray(Enumerable.Range(0, n).Select(i => (float)i).ToArray(), [n, 1]), NDArray.FromArray(Enumerable.Range(0, n).ToArray()));

    private static int[] Labels(IEnumerable<Batch> batches) => batches.SelectMany(b => b.Target.ToArray<int>()).ToArray();

    [Test]
    public void UnshuffledBatchesCoverTheDatasetInOrder()
    {
        var loader = new DataLoader(Numbers(10), 4);
        var batches = loader.Enumerate(0).ToList();
        Assert.That(batches.Select(b => b.Size), Is.EqualTo(new[] { 4, 4, 2 }));
        Assert.That(Labels(batches), Is.EqualTo(Enumerable.Range(0, 10)));
        Assert.That(batches[1].Input.ToArray<float>(), Is.EqualTo(new[] { 4f, 5f, 6f, 7f }));
    }

    [Test]
    public void DropLastDropsTheIncompleteBatch()
    {
        var loader = new DataLoader(Numbers(10), 4, dropLast: true);
        Assert.That(loader.BatchCount, Is.EqualTo(2));
        Assert.That(loader.Enumerate(0).Select(b => b.Size), Is.EqualTo(new[] { 4, 4 }));
    }

    [Test]
    public void ShuffleIsAPermutationReproducibleBySeedAndEpochAndNewEachEpoch()
    {
        var a = new DataLoader(Numbers(50), 8, shuffle: true, seed: 3);
        var b = new DataLoader(Numbers(50), 8, shuffle: true, seed: 3, prefetch: false);
        var epoch0 = Labels(a.Enumerate(0));
        Assert.That(epoch0.Order(), Is.EqualTo(Enumerable.Range(0, 50)));
        Assert.That(epoch0, Is.Not.EqualTo(Enumerable.Range(0, 50)));
        Assert.That(Labels(b.Enumerate(0)), Is.EqualTo(epoch0));
        Assert.That(Labels(a.Enumerate(1)), Is.Not.EqualTo(epoch0));
        Assert.That(Labels(new DataLoader(Numbers(50), 8, shuffle: true, seed: 4).Enumerate(0)), Is.Not.EqualTo(epoch0));
    }

    [Test]
    public void EnumerateWithSkipResumesAnEpochWithTheSameBatches()
    {
        var loader = new DataLoader(Numbers(40), 6, shuffle: true, seed: 9, transform: new AddNoise());
        var full = loader.Enumerate(2).ToList();
        var resumed = loader.Enumerate(2, skipBatches: 3).ToList();
        Assert.That(resumed, Has.Count.EqualTo(full.Count - 3));
        for (int i = 0; i < resumed.Count; i++)
            Assert.That(resumed[i].Input.ToArray<float>(), Is.EqualTo(full[i + 3].Input.ToArray<float>()));
    }

    [Test]
    public void RandomCropFlipKeepsShapeAndMovesPixels()
    {
        var images = NDArray.FromArray(Enumerable.Range(0, 2 * 1 * 5 * 5).Select(i => (float)i + 1).ToArray(), [2, 1, 5, 5]);
        var (output, _) = new RandomCropFlip(padding: 2, flipProbability: 1).Apply(images, NDArray.FromArray(new[] { 0, 1 }), new Generator(1));
        Assert.That(output.Shape, Is.EqualTo(images.Shape));
        Assert.That(output.ToArray<float>(), Is.Not.EqualTo(images.ToArray<float>()));
        // Every output pixel is either padding (0) or a pixel of the same image.
        var o = output.ToArray<float>();
        for (int i = 0; i < o.Length; i++)
            Assert.That(o[i] == 0 || (int)((o[i] - 1) / 25) == i / 25, Is.True, $"pixel {i} = {o[i]}");
    }

    private sealed class AddNoise : IBatchTransform
    {
        public (NDArray Inputs, NDArray Targets) Apply(NDArray inputs, NDArray targets, Generator generator)
            => (inputs + NDArray.Rand(inputs.ShapeArray(), generator), targets);
    }
}
