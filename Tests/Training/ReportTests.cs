using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using NUnit.Framework;
using Scratch.Training;

namespace Scratch.Tests.Training;

public class ReportTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XDocument ParseXml(string markup)
    {
        // The page must be well-formed XML as well as HTML; the HTML5 doctype is the only DTD in it.
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore };
        using var reader = XmlReader.Create(new StringReader(markup), settings);
        return XDocument.Load(reader);
    }

    private static ConfusionMatrix SampleConfusion() =>
        ConfusionMatrix.From([0, 1, 1, 2, 2, 2, 0, 2], [0, 1, 0, 2, 2, 1, 0, 2], 3);

    private static TrainingReport ClassificationReport() => new()
    {
        Title = "Test run <A&B>",
        Subtitle = "built-in subset",
        Config = [new("optimizer", "Adam"), new("batch size", "64")],
        Epochs =
        [
            new EpochRecord(1, 1.2, 1.3, 0.55, 0.5, 1e-3, 2.0),
            new EpochRecord(2, 0.8, 0.9, 0.7, 0.66, 5e-4, 2.1),
            new EpochRecord(3, 0.6, double.NaN, 0.8, null, 2.5e-4, 2.0),
        ],
        TestMetrics = [new("accuracy", "75.00%")],
        Timing = [new("total", "6.1 s")],
        Confusion = SampleConfusion(),
        ClassNames = ["cat", "dog", "bird"],
    };

    [Test]
    public void ClassificationReportIsWellFormedAndHasEveryChart()
    {
        string html = ClassificationReport().ToHtml();
        Assert.That(html, Does.StartWith("<!DOCTYPE html>"));
        var doc = ParseXml(html);
        Assert.That(doc.Descendants("title").Single().Value, Is.EqualTo("Test run <A&B>"));

        var charts = doc.Descendants(Svg + "svg").Select(s => (string)s.Attribute("aria-label")!).ToList();
        Assert.That(charts, Is.EqualTo(new[] { "Loss", "Accuracy", "Learning rate", "Confusion matrix (test)", "Per-class accuracy (test)" }));
        var tables = doc.Descendants("caption").Select(c => c.Value).ToList();
        Assert.That(tables, Is.EqualTo(new[] { "Run configuration", "Test metrics", "Timing", "Per-class metrics (test)" }));
    }

    [Test]
    public void PageIsSelfContained()
    {
        string html = ClassificationReport().ToHtml();
        var doc = ParseXml(html);
        Assert.That(doc.Descendants().Where(e => e.Name.LocalName is "script" or "link" or "img" or "iframe"), Is.Empty);
        Assert.That(doc.Descendants().Attributes().Where(a => a.Name.LocalName is "src" or "href"), Is.Empty);
        Assert.That(html, Does.Not.Contain("url(").And.Not.Contain("@import"));
    }

    [Test]
    public void HeatmapShowsEveryCountWithClassNames()
    {
        var matrix = SampleConfusion();
        var svg = XElement.Parse(SvgHeatmap.FromConfusionMatrix(matrix, ["cat", "dog", "bird"]).ToSvg());
        var cells = svg.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "cells");
        var counts = cells.Elements(Svg + "text").Select(t => long.Parse(t.Value, CultureInfo.InvariantCulture)).ToList();
        var expected = Enumerable.Range(0, 9).Select(i => matrix[i / 3, i % 3]).ToList();
        Assert.That(counts, Is.EqualTo(expected));
        Assert.That(cells.Elements(Svg + "rect").Count(), Is.EqualTo(9));
        var labels = svg.Elements(Svg + "text").Select(t => t.Value).ToList();
        Assert.That(labels.Count(l => l == "bird"), Is.EqualTo(2), "row and column label");
        Assert.That(labels, Does.Contain("Actual").And.Contain("Predicted"));
    }

    [Test]
    public void HeatmapColoursRowsByTheirShare()
    {
        // Both rows are 90% correct although their counts differ tenfold: the diagonal cells get the same colour.
        var svg = XElement.Parse(new SvgHeatmap("m", ["a", "b"], ["a", "b"], new double[,] { { 9, 1 }, { 9, 81 } }) { NormalizeRows = true }.ToSvg());
        var fills = svg.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "cells")
            .Elements(Svg + "rect").Select(r => (string)r.Attribute("fill")!).ToList();
        Assert.That(fills[0], Is.EqualTo(fills[3]));
        Assert.That(fills[1], Is.EqualTo(fills[2]));
        Assert.That(fills[0], Is.Not.EqualTo(fills[1]));
    }

    [Test]
    public void BarHeightsAreProportionalToValues()
    {
        var chart = new SvgBarChart("acc", ["a", "b", "c"], [0.25, 0.5, 1.0], "accuracy") { YMax = 1, Percent = true, ReferenceValue = 0.6 };
        var svg = XElement.Parse(chart.ToSvg());
        var bars = svg.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "bars").Elements(Svg + "rect")
            .Select(r => double.Parse((string)r.Attribute("height")!, CultureInfo.InvariantCulture)).ToList();
        Assert.That(bars, Has.Count.EqualTo(3));
        Assert.That(bars[1] / bars[0], Is.EqualTo(2).Within(0.02));
        Assert.That(bars[2] / bars[0], Is.EqualTo(4).Within(0.02));
        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.That(texts, Does.Contain("25.0%").And.Contain("100%").And.Contain("60.0%"));
        Assert.That(svg.Descendants(Svg + "line").Count(l => (string?)l.Attribute("class") == "reference"), Is.EqualTo(1));
    }

    [Test]
    public void LineChartBreaksAtMissingValuesAndLabelsAxes()
    {
        var chart = new SvgLineChart("Loss", "epoch", "loss").Add("validation", [1, 2, 3, 4, 5], [1.0, 0.8, double.NaN, 0.5, 0.4], dashed: true);
        var svg = XElement.Parse(chart.ToSvg());
        string d = (string)svg.Descendants(Svg + "path").Single().Attribute("d")!;
        Assert.That(d.Count(c => c == 'M'), Is.EqualTo(2), "a gap at the NaN");
        Assert.That(d.Count(c => c == 'L'), Is.EqualTo(2));
        Assert.That(svg.Descendants(Svg + "circle").Count(), Is.EqualTo(4));
        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.That(texts, Does.Contain("epoch").And.Contain("loss").And.Contain("validation").And.Contain("0.4"));
    }

    [Test]
    public void LineChartYAxisCoversTheData()
    {
        var chart = new SvgLineChart("t", "x", "y").Add("s", [0, 1, 2], [0.13, 0.87, 0.5]);
        var svg = XElement.Parse(chart.ToSvg());
        var ys = svg.Descendants(Svg + "circle").Select(c => double.Parse((string)c.Attribute("cy")!, CultureInfo.InvariantCulture)).ToList();
        var frame = svg.Elements(Svg + "rect").Skip(1).First(); // the plot frame, after the background
        double top = double.Parse((string)frame.Attribute("y")!, CultureInfo.InvariantCulture);
        double bottom = top + double.Parse((string)frame.Attribute("height")!, CultureInfo.InvariantCulture);
        Assert.That(ys, Is.All.InRange(top, bottom));
        Assert.That(ys[1], Is.LessThan(ys[2]).And.LessThan(ys[0]), "higher values are drawn higher up");
    }

    [Test]
    public void NiceScaleTicksAreRoundAndCoverTheRange()
    {
        var scale = NiceScale.Linear(0.13, 0.87);
        Assert.That(scale.Ticks, Is.EqualTo(new[] { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9 }));
        Assert.That(scale.Ticks.Select(scale.Format), Does.Contain("0.3"));

        var epochs = NiceScale.Linear(1, 3, 8, integerSteps: true);
        Assert.That(epochs.Ticks, Is.EqualTo(new double[] { 1, 2, 3 }));

        var big = NiceScale.Linear(0, 1234);
        Assert.That(big.Ticks.First(), Is.EqualTo(0));
        Assert.That(big.Ticks.Last(), Is.GreaterThanOrEqualTo(1234));
        Assert.That(big.Format(1000), Is.EqualTo("1,000"));

        var small = NiceScale.Linear(0, 0.001);
        var labels = small.Ticks.Select(small.Format).ToList();
        Assert.That(labels, Does.Contain("0.0010").And.Contain("0.0002"));

        var log = NiceScale.Log(3e-5, 2e-3);
        Assert.That(log.Ticks.First(), Is.EqualTo(1e-5).Within(1e-20));
        Assert.That(log.Ticks.Last(), Is.EqualTo(1e-2).Within(1e-17));
        Assert.That(log.Format(1e-4), Is.EqualTo("1e-4"));
    }

    [Test]
    public void RegressionReportLeavesOutClassificationCharts()
    {
        var report = new TrainingReport
        {
            Title = "diabetes",
            Epochs = [new EpochRecord(1, 3000), new EpochRecord(2, 2500, 2700)],
            TestMetrics = [new("MAE", "43.1"), new("R²", "0.48")],
        };
        var doc = ParseXml(report.ToHtml());
        var charts = doc.Descendants(Svg + "svg").Select(s => (string)s.Attribute("aria-label")!).ToList();
        Assert.That(charts, Is.EqualTo(new[] { "Loss" }));
        Assert.That(doc.Descendants("td").Select(t => t.Value), Does.Contain("R²"));
    }

    [Test]
    public void StepLearningRatesUseAStepAxis()
    {
        var report = ClassificationReport() with { StepLearningRates = [(0, 1e-4), (100, 1e-3), (200, 5e-4)], LogLearningRate = true };
        var doc = ParseXml(report.ToHtml());
        var lr = doc.Descendants(Svg + "svg").Single(s => (string?)s.Attribute("aria-label") == "Learning rate");
        Assert.That(lr.Descendants(Svg + "text").Select(t => t.Value), Does.Contain("step"));
    }

    [Test]
    public void SaveWritesTheFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("report.html");
        ClassificationReport().Save(path);
        Assert.That(File.ReadAllText(path), Is.EqualTo(ClassificationReport().ToHtml()));
    }
}
