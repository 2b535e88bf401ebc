using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Scratch.Training;
using Spectre.Console;

namespace Scratch.Cli.Commands;

/// <summary>
/// <c>scratch bench</c>: quick throughput figures from the binary alone (square GEMM in GFLOP/s, and
/// the default CNN's training step), for machines without the SDK. The careful CPU measurements live
/// in the BenchmarkDotNet project (see docs/benchmarks.md).
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto", DefaultValueFactory = _ => "auto" };
        var sizes = new Option<int[]>("--gemm") { Description = "square GEMM sizes", DefaultValueFactory = _ => [256, 512, 1024], AllowMultipleArgumentsPerToken = true };
        var batch = new Option<int>("--batch-size") { Description = "CNN training-step batch size", DefaultValueFactory = _ => 128 };
        var json = new Option<bool>("--json") { Description = "print one JSON line per measurement" };
        var lstm = new Option<bool>("--lstm") { Description = "also time an LSTM forward + backward (batch 128, 28 steps, 28 -> 128)" };
        var command = new Command("bench", "measure GEMM and a CNN training step on a device") { device, sizes, batch, json, lstm };
        command.SetAction(parse =>
        {
            var target = Device.Parse(parse.GetValue(device)!);
            var rows = new List<(string Name, string Value, Dictionary<string, object> Json)>();
            foreach (int n in parse.GetValue(sizes)!)
            {
                double seconds = Gemm(target, n);
                double gflops = 2.0 * n * n * n / seconds / 1e9;
                rows.Add(($"sgemm {n}x{n}x{n}", $"{gflops:F1} GFLOP/s", new() { ["bench"] = "sgemm", ["n"] = n, ["gflops"] = Math.Round(gflops, 2), ["device"] = target.ToString() }));
            }
            int b = parse.GetValue(batch);
            double step = CnnStep(target, b);
            rows.Add(($"cnn train step, batch {b}", $"{step * 1e3:F2} ms ({b / step:F0} img/s)",
                new() { ["bench"] = "cnn_step", ["batch"] = b, ["ms"] = Math.Round(step * 1e3, 3), ["images_per_second"] = Math.Round(b / step, 1), ["device"] = target.ToString() }));
            if (parse.GetValue(lstm))
            {
                double pass = LstmPass(target);
                rows.Add(("lstm fwd+bwd, batch 128, 28 steps, 28->128", $"{pass * 1e3:F2} ms ({128 / pass:F0} seq/s)",
                    new() { ["bench"] = "lstm_fwd_bwd", ["batch"] = 128, ["steps"] = 28, ["ms"] = Math.Round(pass * 1e3, 3), ["device"] = target.ToString() }));
            }
            if (parse.GetValue(json)) foreach (var r in rows) Console.WriteLine(JsonSerializer.Serialize(r.Json));
            else
            {
                var table = new Table().Title($"bench on {target}").AddColumns("workload", "result");
                foreach (var r in rows) table.AddRow(r.Name, r.Value);
                AnsiConsole.Write(table);
            }
            return 0;
        });
        return command;
    }

    /// <summary>Best time of one n×n×n float32 product after warm-up.</summary>
    private static double Gemm(Device device, int n)
    {
        var a = NDArray.Randn([n, n], new Generator(1), device: device);
        var b = NDArray.Randn([n, n], new Generator(2), device: device);
        return Best(() => NDArray.MatMul(a, b)[0][0].Item<float>()); // reading one element waits for the queued work
    }

    /// <summary>Best time of one forward + backward + Adam step of the default CNN.</summary>
    private static double CnnStep(Device device, int batch)
    {
        var model = Models.Create("cnn", [1, 28, 28], 10, 0, new Generator(0));
        model.To(device);
        var optimizer = new Adam(model.Parameters(), 1e-3);
        var x = new Tensor(NDArray.Randn([batch, 1, 28, 28], new Generator(3), device: device));
        var y = new Tensor(NDArray.FromArray(Enumerable.Range(0, batch).Select(i => i % 10).ToArray(), device: device));
        return Best(() =>
        {
            var loss = Losses.CrossEntropy(model.Forward(x), y);
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
            return (float)loss.Item();
        });
    }

    /// <summary>Best time of one forward + backward of LSTM(28, 128) over [128, 28, 28] with loss = mean of all outputs.</summary>
    private static double LstmPass(Device device)
    {
        var model = new LSTM(28, 128, batchFirst: true, generator: new Generator(0));
        model.To(device);
        var x = new Tensor(NDArray.Randn([128, 28, 28], new Generator(4), device: device));
        return Best(() =>
        {
            var loss = model.Forward(x).Mean();
            model.ZeroGrad();
            loss.Backward();
            return (float)loss.Item();
        });
    }

    private static double Best(Func<float> run)
    {
        for (int i = 0; i < 3; i++) run();
        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        for (int i = 0; i < 50 && (i < 5 || total.Elapsed.TotalSeconds < 3); i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }
}
