using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Scratch.Benchmarks;

/// <summary>
/// A summary column with the throughput in GFLOP/s, from the floating-point operations of one call
/// (given per benchmark case) and either the mean or the best (minimum) measured time.
/// </summary>
public sealed class GflopsColumn(Func<BenchmarkCase, double> flopsPerCall, bool best) : IColumn
{
    public string Id => best ? "GflopsBest" : "GflopsMean";
    public string ColumnName => best ? "GFLOP/s (best)" : "GFLOP/s (mean)";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => best ? 1 : 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => $"Floating-point operations per second, from the {(best ? "minimum" : "mean")} time of one call";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (statistics is null) return "-";
        double nanoseconds = best ? statistics.Min : statistics.Mean;
        return (flopsPerCall(benchmarkCase) / nanoseconds).ToString("F1");
    }

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public override string ToString() => ColumnName;
}
