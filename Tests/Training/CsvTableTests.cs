using NUnit.Framework;
using Scratch.Training;

namespace Scratch.Tests.Training;

public class CsvTableTests
{
    private static readonly CsvLoadOptions Classify = new() { TargetColumn = "label" };

    [Test]
    public void ReadsNumericFeaturesAndSortedClassNames()
    {
        const string csv = "a,b,label\n1.5,-2,spam\n0,1e3,ham\n3,4.25,spam\n";
        var table = CsvTable.Parse(csv, "mail.csv", Classify);
        Assert.That(table.RowCount, Is.EqualTo(3));
        Assert.That(table.FeatureNames, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(table.Features, Is.EqualTo(new[] { 1.5, -2, 0, 1000, 3, 4.25 }));
        Assert.That(table.ClassNames, Is.EqualTo(new[] { "ham", "spam" }));
        Assert.That(table.Labels, Is.EqualTo(new[] { 1, 0, 1 }));
        Assert.That(table.Targets, Is.Empty);
        Assert.That(table.FeaturesAsSingle(), Is.EqualTo(new[] { 1.5f, -2f, 0f, 1000f, 3f, 4.25f }));
    }

    [Test]
    public void NumericClassLabelsSortNumerically()
    {
        var table = CsvTable.Parse("x,label\n1,10\n2,2\n3,1\n4,2\n", "t.csv", Classify);
        Assert.That(table.ClassNames, Is.EqualTo(new[] { "1", "2", "10" }));
        Assert.That(table.Labels, Is.EqualTo(new[] { 2, 1, 0, 1 }));
    }

    [Test]
    public void ClassOrderFixesTheIndices()
    {
        var options = Classify with { ClassOrder = ["malignant", "benign", "unseen"] };
        var table = CsvTable.Parse("x,label\n1,benign\n2,malignant\n", "t.csv", options);
        Assert.That(table.Labels, Is.EqualTo(new[] { 1, 0 }));
        Assert.That(table.ClassCount, Is.EqualTo(3));
    }

    [Test]
    public void LabelOutsideClassOrderNamesLineAndColumn()
    {
        var options = Classify with { ClassOrder = ["a", "b"] };
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Parse("x,label\n1,a\n2,c\n", "t.csv", options))!;
        Assert.That(e.Message, Does.StartWith("t.csv, line 3, column 'label': class 'c' is not in ClassOrder"));
    }

    [Test]
    public void CategoricalColumnsBecomeIndicesIntoASortedVocabulary()
    {
        const string csv = "colour,size,label\nred,1,x\nblue,2,y\nred,3,x\ngreen,4,y\n";
        var table = CsvTable.Parse(csv, "t.csv", Classify);
        Assert.That(table.FeatureNames, Is.EqualTo(new[] { "colour", "size" }));
        Assert.That(table.Features, Is.EqualTo(new double[] { 2, 1, 0, 2, 2, 3, 1, 4 }));
        Assert.That(table.CategoricalColumns, Has.Count.EqualTo(1));
        var colour = table.CategoricalColumns[0];
        Assert.That((colour.Name, colour.FirstFeature), Is.EqualTo(("colour", 0)));
        Assert.That(colour.Categories, Is.EqualTo(new[] { "blue", "green", "red" }));
    }

    [Test]
    public void OneHotExpandsCategoricalColumns()
    {
        const string csv = "size,colour,label\n1,red,x\n2,blue,y\n3,red,x\n";
        var table = CsvTable.Parse(csv, "t.csv", Classify with { CategoricalEncoding = CategoricalEncoding.OneHot });
        Assert.That(table.FeatureNames, Is.EqualTo(new[] { "size", "colour=blue", "colour=red" }));
        Assert.That(table.Features, Is.EqualTo(new double[] { 1, 0, 1, 2, 1, 0, 3, 0, 1 }));
        Assert.That(table.CategoricalColumns[0].FirstFeature, Is.EqualTo(1));
    }

    [Test]
    public void NumericColumnsCanBeForcedCategoricalAndOthersIgnored()
    {
        const string csv = "id,sex,age,label\n17,2,30,a\n18,1,40,b\n19,2,50,a\n";
        var options = Classify with { CategoricalColumns = ["sex"], IgnoredColumns = ["id"] };
        var table = CsvTable.Parse(csv, "t.csv", options);
        Assert.That(table.FeatureNames, Is.EqualTo(new[] { "sex", "age" }));
        Assert.That(table.Features, Is.EqualTo(new double[] { 1, 30, 0, 40, 1, 50 }));
        Assert.That(table.CategoricalColumns[0].Categories, Is.EqualTo(new[] { "1", "2" }));
    }

    [Test]
    public void RegressionTargetsAreNumbers()
    {
        var options = new CsvLoadOptions { TargetColumn = "y", TargetKind = TargetKind.Regression };
        var table = CsvTable.Parse("x,y\n1,0.5\n2,-1.25\n", "t.csv", options);
        Assert.That(table.Targets, Is.EqualTo(new[] { 0.5, -1.25 }));
        Assert.That(table.Labels, Is.Empty);
        Assert.That(table.ClassCount, Is.EqualTo(0));
    }

    [Test]
    public void QuotedCellsAndWhitespaceAreHandled()
    {
        const string csv = "name, value ,label\n\"Smith, J.\", 1.5 ,a\n\"O\"\"Brien\",2,b\n";
        var table = CsvTable.Parse(csv, "t.csv", Classify);
        Assert.That(table.FeatureNames, Is.EqualTo(new[] { "name", "value" }));
        Assert.That(table.CategoricalColumns[0].Categories, Is.EqualTo(new[] { "O\"Brien", "Smith, J." }));
        Assert.That(table.Row(0).ToArray(), Is.EqualTo(new[] { 1.0, 1.5 }));
    }

    [Test]
    public void LoadReadsAFileAndNamesItInErrors()
    {
        using var dir = new TempDirectory();
        string path = dir.File("data.csv");
        File.WriteAllText(path, "a,label\n1,x\n2,y\n");
        Assert.That(CsvTable.Load(path, Classify).Source, Is.EqualTo(path));
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Load(path, new CsvLoadOptions { TargetColumn = "class" }))!;
        Assert.That(e.Message, Is.EqualTo($"{path}: no target column 'class' (columns: a, label)"));
    }

    [Test]
    public void BadCellInNumericColumnNamesFileLineColumnAndCell()
    {
        const string csv = "a,b,label\n1,2,x\n3,4,y\n5,4..5,x\n6,7,y\n";
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Parse(csv, "t.csv", Classify))!;
        Assert.That(e.Message, Does.StartWith("t.csv, line 4, column 'b': '4..5' is not a number"));
    }

    [Test]
    public void BadRegressionTargetIsReported()
    {
        var options = new CsvLoadOptions { TargetColumn = "y", TargetKind = TargetKind.Regression };
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Parse("x,y\n1,2\n2,abc\n", "t.csv", options))!;
        Assert.That(e.Message, Is.EqualTo("t.csv, line 3, column 'y': cannot read 'abc' as a finite number"));
    }

    [Test]
    public void NonFiniteValuesAreRejected()
    {
        var options = new CsvLoadOptions { TargetColumn = "y", TargetKind = TargetKind.Regression };
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Parse("x,y\n1,2\n2,NaN\n", "t.csv", options))!;
        Assert.That(e.Message, Does.Contain("line 3").And.Contain("'NaN'"));
    }

    [Test]
    public void EmptyCellIsReported()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Parse("a,label\n1,x\n,y\n", "t.csv", Classify))!;
        Assert.That(e.Message, Is.EqualTo("t.csv, line 3, column 'a': empty cell (missing values are not supported)"));
    }

    [Test]
    public void WrongCellCountIsReported()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Parse("a,b,label\n1,2,x\n3,y\n", "t.csv", Classify))!;
        Assert.That(e.Message, Is.EqualTo("t.csv, line 3: 2 cells, the header has 3"));
    }

    [Test]
    public void LineNumbersCountBlankLinesAndQuotedLineBreaks()
    {
        const string csv = "note,a,label\n\"two\nlines\",1,x\n\nok,oops,y\nok,2,x\nok,3,y\n";
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Parse(csv, "t.csv", Classify))!;
        Assert.That(e.Message, Does.StartWith("t.csv, line 5, column 'a': 'oops'"));
    }

    [Test]
    public void DuplicateHeaderIsRejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Parse("a,a,label\n1,2,x\n", "t.csv", Classify))!;
        Assert.That(e.Message, Is.EqualTo("t.csv: the header names column 'a' 2 times"));
    }

    [Test]
    public void EmptyInputIsRejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Parse("", "empty.csv", Classify))!;
        Assert.That(e.Message, Does.StartWith("empty.csv: no header row"));
    }

    [Test]
    public void UnknownOptionColumnIsRejected()
    {
        var e = Assert.Throws<InvalidDataException>(() =>
            CsvTable.Parse("a,label\n1,x\n", "t.csv", Classify with { IgnoredColumns = ["id"] }))!;
        Assert.That(e.Message, Does.Contain("column 'id', which the file lacks"));
    }

    [Test]
    public void UnclosedQuoteIsReportedAsMalformed()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Parse("a,label\n\"1,x\n2,y\n", "t.csv", Classify))!;
        Assert.That(e.Message, Does.StartWith("t.csv").And.Contain("malformed CSV"));
    }
}
