using NUnit.Framework;
using Scratch.Training;

namespace Scratch.Tests.Training;

/// <summary>Checks the datasets committed in data/ against what their READMEs promise.</summary>
public class ShippedDataTests
{
    private static string DataRoot =>
        DataLocator.FindDataRoot([AppContext.BaseDirectory]) ?? throw new AssertionException("data/ not found above the test binaries");

    [Test]
    public void FashionMnistSubsetIsClassBalanced()
    {
        var data = FashionMnist.Load(new DataSource(Path.Combine(DataRoot, "fashion-mnist"), DataSourceKind.Builtin, "subset"));
        Assert.That((data.TrainImages.Count, data.TrainImages.Rows, data.TrainImages.Cols), Is.EqualTo((12000, 28, 28)));
        Assert.That(data.TestImages.Count, Is.EqualTo(2000));
        Assert.That(data.TrainLabels.GroupBy(l => l).Select(g => g.Count()), Is.All.EqualTo(1200));
        Assert.That(data.TestLabels.GroupBy(l => l).Select(g => g.Count()), Is.All.EqualTo(200));
        Assert.That(data.TrainLabels.Distinct().Count(), Is.EqualTo(10));
    }

    [Test]
    public void FashionMnistSubsetIsTheFirstExamplesOfEachClass()
    {
        if (!FashionMnist.IsPresent(DataLocator.SystemFashionMnistDirectory))
            Assert.Ignore($"the full Fashion-MNIST is not installed in {DataLocator.SystemFashionMnistDirectory} (Debian package dataset-fashion-mnist)");

        foreach (var (imagesStem, labelsStem, perClass) in new[]
                 {
                     (FashionMnist.TestImages, FashionMnist.TestLabels, 200),
                     (FashionMnist.TrainImages, FashionMnist.TrainLabels, 1200),
                 })
        {
            string full = DataLocator.SystemFashionMnistDirectory, subset = Path.Combine(DataRoot, "fashion-mnist");
            var fullImages = IdxReader.ReadImages(FashionMnist.FindFile(full, imagesStem)!);
            var fullLabels = IdxReader.ReadLabels(FashionMnist.FindFile(full, labelsStem)!);
            var subImages = IdxReader.ReadImages(FashionMnist.FindFile(subset, imagesStem)!);
            var subLabels = IdxReader.ReadLabels(FashionMnist.FindFile(subset, labelsStem)!);

            var taken = new int[10];
            int next = 0;
            for (int i = 0; i < fullLabels.Length && next < subLabels.Length; i++)
            {
                if (taken[fullLabels[i]] == perClass) continue;
                taken[fullLabels[i]]++;
                Assert.That(subLabels[next], Is.EqualTo(fullLabels[i]), $"{labelsStem} example {next}");
                Assert.That(subImages.Image(next).SequenceEqual(fullImages.Image(i)), Is.True, $"{imagesStem} example {next} = source {i}");
                next++;
            }
            Assert.That(next, Is.EqualTo(subLabels.Length));
        }
    }

    [Test]
    public void WineHasItsDocumentedShape()
    {
        var wine = KnownDatasets.Load("wine", DataRoot);
        Assert.That((wine.RowCount, wine.FeatureCount), Is.EqualTo((178, 13)));
        Assert.That(wine.ClassNames, Is.EqualTo(new[] { "class_0", "class_1", "class_2" }));
        Assert.That(Enumerable.Range(0, 3).Select(k => wine.Labels.Count(l => l == k)), Is.EqualTo(new[] { 59, 71, 48 }));
        Assert.That(wine.FeatureNames[12], Is.EqualTo("proline"));
        // First row of sklearn's wine_data.csv.
        Assert.That(wine.Row(0).ToArray(), Is.EqualTo(new[] { 14.23, 1.71, 2.43, 15.6, 127, 2.8, 3.06, 0.28, 2.29, 5.64, 1.04, 3.92, 1065 }));
        Assert.That(wine.CategoricalColumns, Is.Empty);
    }

    [Test]
    public void BreastCancerHasItsDocumentedShape()
    {
        var cancer = KnownDatasets.Load("breast-cancer", DataRoot);
        Assert.That((cancer.RowCount, cancer.FeatureCount), Is.EqualTo((569, 30)));
        Assert.That(cancer.ClassNames, Is.EqualTo(new[] { "benign", "malignant" }));
        Assert.That(cancer.Labels.Count(l => l == 1), Is.EqualTo(212));
        Assert.That(cancer.FeatureNames[0], Is.EqualTo("mean radius"));
        Assert.That(cancer.FeatureNames[10], Is.EqualTo("radius error"));
        Assert.That(cancer.FeatureNames[29], Is.EqualTo("worst fractal dimension"));
    }

    [Test]
    public void DiabetesHasItsDocumentedShape()
    {
        var diabetes = KnownDatasets.Load("diabetes", DataRoot);
        Assert.That((diabetes.RowCount, diabetes.FeatureCount), Is.EqualTo((442, 10)));
        Assert.That(diabetes.TargetKind, Is.EqualTo(TargetKind.Regression));
        Assert.That(diabetes.Targets.Min(), Is.EqualTo(25));
        Assert.That(diabetes.Targets.Max(), Is.EqualTo(346));
        Assert.That(diabetes.Row(0).ToArray(), Is.EqualTo(new[] { 59, 2, 32.1, 101, 157, 93.2, 38, 4, 4.8598, 87 }));
        Assert.That(diabetes.Targets[0], Is.EqualTo(151));
    }

    [Test]
    public void UnknownDatasetListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => KnownDatasets.Get("iris"))!;
        Assert.That(e.Message, Does.Contain("wine").And.Contain("breast-cancer").And.Contain("diabetes"));
    }
}
