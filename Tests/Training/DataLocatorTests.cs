using NUnit.Framework;
using Scratch.Training;

namespace Scratch.Tests.Training;

public class DataLocatorTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDirectory();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    /// <summary>A tiny but complete Fashion-MNIST folder: <paramref name="train"/> and <paramref name="test"/> 2x2 images.</summary>
    private string FakeFashionMnist(string name, int train, int test, bool gzip = true)
    {
        string dir = Path.Combine(_dir.Path, name);
        Directory.CreateDirectory(dir);
        string suffix = gzip ? ".gz" : "";
        IdxWriter.WriteImages(Path.Combine(dir, FashionMnist.TrainImages + suffix), new IdxImages(train, 2, 2, new byte[train * 4]));
        IdxWriter.WriteLabels(Path.Combine(dir, FashionMnist.TrainLabels + suffix), [.. Enumerable.Range(0, train).Select(i => (byte)(i % 10))]);
        IdxWriter.WriteImages(Path.Combine(dir, FashionMnist.TestImages + suffix), new IdxImages(test, 2, 2, new byte[test * 4]));
        IdxWriter.WriteLabels(Path.Combine(dir, FashionMnist.TestLabels + suffix), [.. Enumerable.Range(0, test).Select(i => (byte)(i % 10))]);
        return dir;
    }

    /// <summary>A data root whose built-in subset is a fake one.</summary>
    private string FakeDataRoot()
    {
        string root = Path.Combine(_dir.Path, "repo", "data");
        Directory.CreateDirectory(root);
        string subset = FakeFashionMnist(Path.Combine("repo", "data", "fashion-mnist"), 12, 4);
        File.WriteAllText(Path.Combine(subset, "README.md"), "subset");
        return root;
    }

    [Test]
    public void FindsTheRepositoryDataFolderFromTheTestBinaries()
    {
        string? root = DataLocator.FindDataRoot([AppContext.BaseDirectory]);
        Assert.That(root, Is.Not.Null);
        Assert.That(File.Exists(Path.Combine(root!, DataLocator.MarkerFile)), Is.True);
        Assert.That(Path.GetFileName(root), Is.EqualTo("data"));
    }

    [Test]
    public void WalksUpFromNestedFolders()
    {
        string root = FakeDataRoot();
        string nested = Path.Combine(_dir.Path, "repo", "Cli", "bin", "Debug");
        Directory.CreateDirectory(nested);
        Assert.That(DataLocator.FindDataRoot([nested]), Is.EqualTo(root));
        Assert.That(DataLocator.FindDataRoot([_dir.Path]), Is.Null);
    }

    [Test]
    public void PrefersTheFullSetWhenNoOptionIsGiven()
    {
        string system = FakeFashionMnist("system", 60, 10);
        string root = FakeDataRoot();
        var source = DataLocator.LocateFashionMnist(null, system, () => root);
        Assert.That(source.Kind, Is.EqualTo(DataSourceKind.System));
        Assert.That(source.Directory, Is.EqualTo(system));
        Assert.That(source.Description, Is.EqualTo($"full Fashion-MNIST (60 train / 10 test) from {system}"));
    }

    [Test]
    public void FallsBackToTheBuiltinSubset()
    {
        string root = FakeDataRoot();
        var source = DataLocator.LocateFashionMnist(null, Path.Combine(_dir.Path, "missing"), () => root);
        Assert.That(source.Kind, Is.EqualTo(DataSourceKind.Builtin));
        Assert.That(source.Directory, Is.EqualTo(Path.Combine(root, "fashion-mnist")));
        Assert.That(source.Description, Does.StartWith("built-in subset of Fashion-MNIST (12 train / 4 test"));
    }

    [Test]
    public void BuiltinKeywordSelectsTheSubsetEvenWhenTheFullSetExists()
    {
        string system = FakeFashionMnist("system", 60, 10);
        string root = FakeDataRoot();
        var source = DataLocator.LocateFashionMnist("builtin", system, () => root);
        Assert.That(source.Kind, Is.EqualTo(DataSourceKind.Builtin));
    }

    [Test]
    public void DataOptionNamesAFolderWithRawFiles()
    {
        string mine = FakeFashionMnist("mine", 30, 20, gzip: false);
        var source = DataLocator.LocateFashionMnist(mine, Path.Combine(_dir.Path, "missing"), () => null);
        Assert.That(source.Kind, Is.EqualTo(DataSourceKind.UserDirectory));
        Assert.That(source.Description, Is.EqualTo($"Fashion-MNIST (30 train / 20 test) from {mine}"));
        var data = FashionMnist.Load(source);
        Assert.That((data.TrainImages.Count, data.TestLabels.Length), Is.EqualTo((30, 20)));
        Assert.That(data.Description, Is.EqualTo(source.Description));
    }

    [Test]
    public void IncompleteDataFolderListsTheMissingFiles()
    {
        string mine = FakeFashionMnist("mine", 3, 2);
        File.Delete(Path.Combine(mine, FashionMnist.TestLabels + ".gz"));
        var e = Assert.Throws<DirectoryNotFoundException>(() => DataLocator.LocateFashionMnist(mine, "/nonexistent", () => null))!;
        Assert.That(e.Message, Does.Contain("missing t10k-labels-idx1-ubyte[.gz]").And.Contain("--data builtin"));
    }

    [Test]
    public void NoDataAnywhereSaysWhatWasTried()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => DataLocator.LocateFashionMnist(null, "/nonexistent", () => null))!;
        Assert.That(e.Message, Does.Contain("/nonexistent").And.Contain(DataLocator.DataEnvironmentVariable));
    }

    [Test]
    public void LoadRejectsMismatchedImageAndLabelCounts()
    {
        string mine = FakeFashionMnist("mine", 5, 2);
        IdxWriter.WriteLabels(Path.Combine(mine, FashionMnist.TrainLabels + ".gz"), [1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(new DataSource(mine, DataSourceKind.UserDirectory, "")))!;
        Assert.That(e.Message, Does.Contain("holds 5 images but").And.Contain("holds 3 labels"));
    }

    [Test]
    public void LoadRejectsLabelsOutsideTheClasses()
    {
        string mine = FakeFashionMnist("mine", 3, 2);
        IdxWriter.WriteLabels(Path.Combine(mine, FashionMnist.TestLabels + ".gz"), [1, 10]);
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(new DataSource(mine, DataSourceKind.UserDirectory, "")))!;
        Assert.That(e.Message, Does.Contain("label 10 at index 1"));
    }
}
