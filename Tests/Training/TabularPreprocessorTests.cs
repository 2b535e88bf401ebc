using CsvHelper;
using NUnit.Framework;
using Scratch.Training;

namespace Scratch.Tests.Training;

public class TabularPreprocessorTests
{
    private static CsvRawTable Raw(string text)
    {
        using var reader = CsvReader.FromText(text, CsvTable.ReaderOptions(new CsvLoadOptions { TargetColumn = "" }));
        return CsvRawTable.Read(reader, "cars.csv");
    }

    // Row 3 is held out: its 100 and its unseen 'z' must not touch the fitted statistics.
    private const string Table = "n,c\n1,a\n2,b\nNA,a\n100,z\n4,\n";
    private static readonly int[] TrainRows = [0, 1, 2, 4];

    [Test]
    public void StatisticsComeFromTheTrainingRowsOnly()
    {
        var p = TabularPreprocessor.Fit(Raw(Table), [0, 1], TrainRows, new HashSet<string>(), oneHot: false);
        var n = p.Columns[0];
        var c = p.Columns[1];
        Assert.That(n.Kind, Is.EqualTo(TabularColumnKind.Numeric));
        Assert.That(n.Median, Is.EqualTo(2), "median of 1, 2, 4");
        Assert.That(n.Mean, Is.EqualTo(2.25).Within(1e-12), "mean of 1, 2, 2 (imputed), 4");
        Assert.That(n.Std, Is.EqualTo(Math.Sqrt(4.75 / 4)).Within(1e-12));
        Assert.That(n.MissingIndicator, Is.True);
        Assert.That(c.Kind, Is.EqualTo(TabularColumnKind.Categorical));
        Assert.That(c.Categories, Is.EqualTo(new[] { "a", "b" }), "'z' occurs only in the held-out row");
        Assert.That(c.Mode, Is.EqualTo("a"));
        Assert.That(c.MissingIndicator, Is.True);
        Assert.That(c.EmbeddingDim, Is.EqualTo(1));
    }

    [Test]
    public void TransformImputesStandardisesAndFlagsMissingCells()
    {
        var raw = Raw(Table);
        var p = TabularPreprocessor.Fit(raw, [0, 1], TrainRows, new HashSet<string>(), oneHot: false);
        Assert.That(p.FeatureNames, Is.EqualTo(new[] { "c", "n", "n (missing)", "c (missing)" }));
        var (features, unseen) = p.Transform(raw, [2, 3, 4]);
        double std = Math.Sqrt(4.75 / 4);
        float[] expected =
        [
            0, (float)((2 - 2.25) / std), 1, 0, // n missing → median 2; c = a → index 0
            0, (float)((100 - 2.25) / std), 0, 1, // c = z unseen → mode a, flagged missing
            0, (float)((4 - 2.25) / std), 0, 1, // c empty → mode a
        ];
        Assert.That(features, Is.EqualTo(expected).Within(1e-6));
        Assert.That(unseen, Is.EqualTo(1));
    }

    [Test]
    public void OneHotFeaturesFollowTheNumbers()
    {
        var raw = Raw(Table);
        var p = TabularPreprocessor.Fit(raw, [0, 1], TrainRows, new HashSet<string>(), oneHot: true);
        Assert.That(p.FeatureNames, Is.EqualTo(new[] { "n", "c=a", "c=b", "n (missing)", "c (missing)" }));
        var (features, _) = p.Transform(raw, [1]);
        Assert.That(features, Is.EqualTo(new[] { (float)((2 - 2.25) / Math.Sqrt(4.75 / 4)), 0f, 1f, 0f, 0f }).Within(1e-6));
    }

    [Test]
    public void NumbersListedAsCategoricalBecomeCategories()
    {
        var raw = Raw("origin,x\n1,0.5\n2,0.1\n3,0.2\n1,0.3\n");
        var p = TabularPreprocessor.Fit(raw, [0, 1], [0, 1, 2, 3], new HashSet<string> { "origin" }, oneHot: false);
        Assert.That(p.Columns[0].Kind, Is.EqualTo(TabularColumnKind.Categorical));
        Assert.That(p.Columns[0].Categories, Is.EqualTo(new[] { "1", "2", "3" }));
        Assert.That(p.Columns[1].MissingIndicator, Is.False, "no missing cells, no indicator");
    }

    [Test]
    public void ATypoInANumericColumnIsNamedByFileLineAndColumn()
    {
        var raw = Raw("weight,y\n1,0\n2,1\n3O,0\n4,1\n");
        var e = Assert.Throws<InvalidDataException>(() => TabularPreprocessor.Fit(raw, [0], [0, 1, 2, 3], new HashSet<string>(), false));
        Assert.That(e!.Message, Does.Contain("cars.csv, line 4, column 'weight'").And.Contain("'3O'"));
    }

    [Test]
    public void TheSavedJsonTransformsTheSameWay()
    {
        var raw = Raw(Table);
        var p = TabularPreprocessor.Fit(raw, [0, 1], TrainRows, new HashSet<string>(), oneHot: false);
        var back = TabularPreprocessor.FromJson(p.ToJson(), "ckpt");
        Assert.That(back.Transform(raw, [0, 1, 2, 3, 4]).Features, Is.EqualTo(p.Transform(raw, [0, 1, 2, 3, 4]).Features));
        Assert.Throws<InvalidDataException>(() => TabularPreprocessor.FromJson("{not json", "ckpt"));
    }

    [TestCase(2, 1)]
    [TestCase(6, 3)]
    [TestCase(7, 4)]
    [TestCase(1000, 50)]
    public void EmbeddingSizeIsHalfTheCategoriesAtMostFifty(int categories, int size)
        => Assert.That(TabularPreprocessor.EmbeddingSize(categories), Is.EqualTo(size));

    [Test]
    public void StratifiedSplitKeepsEachClassShare()
    {
        var labels = Enumerable.Range(0, 100).Select(i => i % 5 == 0 ? 1 : 0).ToArray();
        var (kept, held) = StratifiedSplit.Split(100, labels, 0.25, new Generator(3));
        Assert.That(held.Count(i => labels[i] == 1), Is.EqualTo(5), "a quarter of the 20 ones");
        Assert.That(held.Count(i => labels[i] == 0), Is.EqualTo(20), "a quarter of the 80 zeros");
        Assert.That(kept.Concat(held).Order(), Is.EqualTo(Enumerable.Range(0, 100)));
        var (again, _) = StratifiedSplit.Split(100, labels, 0.25, new Generator(3));
        Assert.That(again, Is.EqualTo(kept), "reproducible for a seed");
    }

    [Test]
    public void TabularNetFeedsEmbeddingsAndTheRestToTheMlp()
    {
        var net = new TabularNet([(3, 2)], 2, [4], 1, 0, new Generator(1));
        var names = net.StateDict().Keys.ToArray();
        Assert.That(names, Does.Contain("embeddings.0.weight"));
        var x = new Tensor(NDArray.FromArray(new[] { 2f, 0.5f, -1f, 0f, 0.5f, -1f }, [2, 3]));
        var y = net.Forward(x);
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 1 }));
        Assert.That(y.ToArray<float>()[0], Is.Not.EqualTo(y.ToArray<float>()[1]), "rows differ only in their category, which must matter");
        y.Sum().Backward();
        var grad = net.Parameters().First().Grad!.ToArray<float>();
        Assert.That(grad[2 * 1], Is.EqualTo(0f), "category 1 was not looked up");
        Assert.That(grad[2 * 2] != 0 || grad[2 * 2 + 1] != 0, Is.True, "category 2 was");
    }
}
