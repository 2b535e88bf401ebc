using System.Globalization;
using System.Text;
using System.Text.Json;
using NUnit.Framework;
using Scratch.Tests.Training;

namespace Scratch.Tests.Cli;

/// <summary><c>scratch train --csv</c> and <c>scratch predict</c> through the real command, on tables made here.</summary>
public class CsvCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>y = 30 + 4·x1 − 3·x2 + 5·[kind = b] + noise; x2 is missing ('?') in some rows, kind empty in some. System.Random, not the code under test.</summary>
    private static string Cars(int rows, int seed, bool withTarget = true)
    {
        var rng = new System.Random(seed);
        var text = new StringBuilder(withTarget ? "id,x1,x2,kind,y,big\n" : "kind,x2,x1\n");
        string[] kinds = ["a", "b", "c"];
        for (int i = 0; i < rows; i++)
        {
            double x1 = rng.NextDouble() * 4, x2 = rng.NextDouble() * 4;
            string kind = kinds[rng.Next(3)];
            double y = 30 + 4 * x1 - 3 * x2 + (kind == "b" ? 5 : 0) + (rng.NextDouble() - 0.5);
            string x2Cell = withTarget && i % 13 == 5 ? "?" : x2.ToString("F3", C);
            string kindCell = withTarget && i % 17 == 3 ? "" : kind;
            text.Append(withTarget
                ? $"{i},{x1.ToString("F3", C)},{x2Cell},{kindCell},{y.ToString("F3", C)},{(y > 32 ? "yes" : "no")}\n"
                : $"{kind},{x2.ToString("F3", C)},{x1.ToString("F3", C)}\n");
        }
        return text.ToString();
    }

    private static double Truth(double x1, double x2, string kind) => 30 + 4 * x1 - 3 * x2 + (kind == "b" ? 5 : 0);

    private static JsonElement LastJson(string output) =>
        JsonDocument.Parse(output.Split('\n').Last(l => l.StartsWith('{'))).RootElement;

    [Test]
    public void RegressionTrainsReportsR2AndPredictsInTheTargetsUnits()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("cars.csv"), Cars(400, 1));
        var (code, output, error) = CliProcess.Run(Timeout, "train", "--csv", dir.File("cars.csv"), "--target", "y", "--drop", "id,big",
            "--epochs", "60", "--dropout", "0", "--out", dir.Path, "--run-name", "r", "--device", "cpu", "--json");
        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("regression").And.Contain("embeddings of kind"));
        var json = LastJson(output);
        Assert.That(json.GetProperty("task").GetString(), Is.EqualTo("regression"));
        Assert.That(json.GetProperty("test_r2").GetDouble(), Is.GreaterThan(0.9));
        // The targets' standard deviation is about 5; an MAE left in standardised units would be about 0.1.
        Assert.That(json.GetProperty("test_mae").GetDouble(), Is.InRange(0.2, 1.5));

        string newRows = Cars(20, 2, withTarget: false);
        File.WriteAllText(dir.File("new.csv"), newRows);
        (code, output, error) = CliProcess.Run(Timeout, "predict", "--checkpoint", json.GetProperty("checkpoint").GetString()!, dir.File("new.csv"),
            "--out", dir.File("predictions.csv"), "--device", "cpu");
        Assert.That(code, Is.EqualTo(0), error);
        var lines = File.ReadAllLines(dir.File("predictions.csv"));
        Assert.That(lines[0], Is.EqualTo("source,line,y"));
        Assert.That(lines, Has.Length.EqualTo(21));
        var inputs = newRows.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToArray();
        double errorSum = 0;
        for (int i = 0; i < 20; i++)
        {
            var cells = lines[i + 1].Split(',');
            Assert.That(cells[1], Is.EqualTo((i + 2).ToString(C)), "rows are named by their line");
            double predicted = double.Parse(cells[2], C);
            errorSum += Math.Abs(predicted - Truth(double.Parse(inputs[i][2], C), double.Parse(inputs[i][1], C), inputs[i][0]));
        }
        Assert.That(errorSum / 20, Is.LessThan(1.5), "predictions are in the target's units, columns found by name");
    }

    [Test]
    public void BinaryWithOneLogitReportsRankingMetricsAndPredictsProbabilities()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("cars.csv"), Cars(400, 3));
        var (code, output, error) = CliProcess.Run(Timeout, "train", "--csv", dir.File("cars.csv"), "--target", "big", "--drop", "id,y",
            "--epochs", "40", "--out", dir.Path, "--run-name", "b", "--device", "cpu", "--json", "--class-weights", "balanced");
        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("stratified"));
        var json = LastJson(output);
        Assert.That(json.GetProperty("task").GetString(), Is.EqualTo("binary"));
        Assert.That(json.GetProperty("parameters").GetInt64(), Is.GreaterThan(0));
        Assert.That(json.GetProperty("test_accuracy").GetDouble(), Is.InRange(0.85, 1.0));
        Assert.That(json.GetProperty("test_roc_auc").GetDouble(), Is.InRange(0.93, 1.0));
        Assert.That(json.GetProperty("test_pr_auc").GetDouble(), Is.InRange(0.9, 1.0));

        File.WriteAllText(dir.File("new.csv"), "kind,x2,x1\nb,0.1,3.9\na,3.9,0.1\n");
        (code, _, error) = CliProcess.Run(Timeout, "predict", "--checkpoint", json.GetProperty("checkpoint").GetString()!, dir.File("new.csv"),
            "--out", dir.File("p.csv"), "--device", "cpu");
        Assert.That(code, Is.EqualTo(0), error);
        var lines = File.ReadAllLines(dir.File("p.csv"));
        Assert.That(lines[0], Is.EqualTo("source,line,big,p(yes)"));
        Assert.That(lines[1].Split(',')[2], Is.EqualTo("yes"), "y ≈ 50");
        Assert.That(lines[2].Split(',')[2], Is.EqualTo("no"), "y ≈ 18");
        Assert.That(double.Parse(lines[1].Split(',')[3], C), Is.GreaterThan(0.9));
        Assert.That(double.Parse(lines[2].Split(',')[3], C), Is.LessThan(0.1));
    }

    [Test]
    public void SeveralTargetsTrainAMultiLabelModel()
    {
        using var dir = new TempDirectory();
        var rng = new System.Random(5);
        var text = new StringBuilder("a,b,up,right\n");
        for (int i = 0; i < 300; i++)
        {
            double a = rng.NextDouble() * 2 - 1, b = rng.NextDouble() * 2 - 1;
            text.Append(C, $"{a:F3},{b:F3},{(a > 0 ? 1 : 0)},{(b > 0 ? 1 : 0)}\n");
        }
        File.WriteAllText(dir.File("m.csv"), text.ToString());
        var (code, output, error) = CliProcess.Run(Timeout, "train", "--csv", dir.File("m.csv"), "--target", "up,right", "--epochs", "40",
            "--out", dir.Path, "--run-name", "m", "--device", "cpu", "--json");
        Assert.That(code, Is.EqualTo(0), error);
        var json = LastJson(output);
        Assert.That(json.GetProperty("task").GetString(), Is.EqualTo("multilabel"));
        Assert.That(json.GetProperty("test_micro_f1").GetDouble(), Is.GreaterThan(0.9));
        Assert.That(output, Does.Contain("F1 of up").And.Contain("F1 of right").And.Contain("subset accuracy"));
    }

    [Test]
    public void ABadCellIsNamedByFileLineAndColumnWithoutAStackTrace()
    {
        using var dir = new TempDirectory();
        string csv = Cars(40, 4);
        var lines = csv.Split('\n');
        var cells = lines[7].Split(',');
        cells[1] = "3.1.4";
        lines[7] = string.Join(',', cells);
        File.WriteAllText(dir.File("bad.csv"), string.Join('\n', lines));
        var (code, _, error) = CliProcess.Run(Timeout, "train", "--csv", dir.File("bad.csv"), "--target", "y", "--epochs", "1",
            "--out", dir.Path, "--device", "cpu");
        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(error, Does.Contain($"{dir.File("bad.csv")}, line 8, column 'x1'").And.Contain("'3.1.4'"));
        Assert.That(error, Does.Not.Contain("   at "));

        (code, _, error) = CliProcess.Run(Timeout, "train", "--csv", dir.File("bad.csv"), "--target", "nope", "--epochs", "1", "--out", dir.Path, "--device", "cpu");
        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(error, Does.Contain("--target names column 'nope'").And.Contain("columns: id, x1, x2, kind, y, big"));
        Assert.That(error, Does.Not.Contain("   at "));
    }

    [Test]
    public void ShippedDiabetesRegressionReportsErrorsInTheTargetsUnits()
    {
        using var dir = new TempDirectory();
        var (code, output, error) = CliProcess.Run(Timeout, "train", "--dataset", "diabetes", "--epochs", "40", "--out", dir.Path,
            "--run-name", "d", "--device", "cpu", "--json");
        Assert.That(code, Is.EqualTo(0), error);
        var json = LastJson(output);
        Assert.That(json.GetProperty("task").GetString(), Is.EqualTo("regression"));
        // Disease progression spans 25..346 (std ≈ 77); a linear model reaches R² ≈ 0.45, MAE ≈ 43.
        Assert.That(json.GetProperty("test_r2").GetDouble(), Is.InRange(0.25, 0.8));
        Assert.That(json.GetProperty("test_mae").GetDouble(), Is.InRange(30, 70));
        Assert.That(json.GetProperty("test_rmse").GetDouble(), Is.GreaterThan(json.GetProperty("test_mae").GetDouble()));
    }
}
