using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Scratch.Kernels.Gpu;
using Scratch.Training;
using Spectre.Console;

namespace Scratch.Cli.Commands;

/// <summary>
/// <c>scratch bench</c>: quick throughput figures from the binary alone (square GEMM in GFLOP/s, and
/// the default CNN's training step), for machines without the SDK. On a GPU device the GEMM is timed
/// from synchronised start to synchronised end (<see cref="GpuBackend.TimeMilliseconds"/>) over enough
/// products to last about 50 ms, and <c>--tf32</c> lets it use TF32 tensor cores
/// (<see cref="GpuBackend.AllowTf32"/>, off by default like PyTorch's). The careful CPU measurements live
/// in the BenchmarkDotNet project (see docs/benchmarks.md).
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N, gpu-sim or auto", DefaultValueFactory = _ => "auto" };
        var sizes = new Option<int[]>("--gemm") { Description = "square GEMM sizes", DefaultValueFactory = _ => [256, 512, 1024], AllowMultipleArgumentsPerToken = true };
        var batch = new Option<int>("--batch-size") { Description = "CNN training-step batch size", DefaultValueFactory = _ => 128 };
        var json = new Option<bool>("--json") { Description = "print one JSON line per measurement" };
        var tf32 = new Option<bool>("--tf32") { Description = "GPU: let float32 products use TF32 tensor cores (like torch's allow_tf32)" };
        var noCnn = new Option<bool>("--no-cnn") { Description = "skip the CNN training step" };
        var noGemm = new Option<bool>("--no-gemm") { Description = "skip the GEMMs" };
        var soak = new Option<int>("--soak")
        {
            Description = "instead: run this many training steps of --model on random data, printing device memory as they run",
        };
        var model = new Option<string>("--model") { Description = "the model of --soak (cnn or mlp)", DefaultValueFactory = _ => "mlp" };
        var every = new Option<int>("--sample-every") { Description = "--soak: steps between memory samples", DefaultValueFactory = _ => 500 };
        var lstm = new Option<bool>("--lstm") { Description = "also time an LSTM forward + backward (batch 128, 28 steps, 28 -> 128)" };
        var command = new Command("bench", "measure GEMM and a CNN training step on a device") { device, sizes, batch, json, tf32, noCnn, noGemm, soak, model, every, lstm };
        command.SetAction(parse =>
        {
            var gemmSizes = parse.GetValue(sizes)!;
            foreach (int n in gemmSizes)
                if (n <= 0) throw new ArgumentException($"--gemm {n}: sizes must be positive");
            if (parse.GetValue(batch) is int size and <= 0) throw new ArgumentException($"--batch-size {size}: must be positive");
            var target = Device.Parse(parse.GetValue(device)!);
            var gpu = target.Backend as GpuBackend; // fails here, with the reason, when the device is unavailable
            bool useTf32 = parse.GetValue(tf32);
            if (useTf32 && gpu is null) throw new ArgumentException("--tf32 needs a GPU device (cuda, cuda:N or gpu-sim)");
            if (gpu is not null) gpu.AllowTf32 = useTf32;
            string deviceName = gpu is null ? "cpu" : gpu.DeviceName;
            if (parse.GetValue(soak) > 0)
                return Soak(target, gpu, parse.GetValue(model)!, parse.GetValue(soak), parse.GetValue(batch), Math.Max(1, parse.GetValue(every)));
            var rows = new List<(string Name, string Value, Dictionary<string, object> Json)>();
            foreach (int n in parse.GetValue(noGemm) ? [] : gemmSizes)
            {
                double seconds = gpu is null ? Gemm(target, n) : GemmOnGpu(gpu, target, n);
                double gflops = 2.0 * n * n * n / seconds / 1e9;
                rows.Add(($"sgemm {n}x{n}x{n}{(useTf32 ? " tf32" : "")}", $"{gflops:F1} GFLOP/s ({seconds * 1e3:F3} ms)", new()
                {
                    ["bench"] = "sgemm", ["n"] = n, ["tf32"] = useTf32, ["ms"] = Math.Round(seconds * 1e3, 4), ["gflops"] = Math.Round(gflops, 2),
                    ["device"] = target.ToString(), ["device_name"] = deviceName,
                }));
            }
            if (!parse.GetValue(noCnn))
            {
                int b = parse.GetValue(batch);
                double step = CnnStep(target, b);
                rows.Add(($"cnn train step, batch {b}", $"{step * 1e3:F2} ms ({b / step:F0} img/s)", new()
                {
                    ["bench"] = "cnn_step", ["batch"] = b, ["tf32"] = useTf32, ["ms"] = Math.Round(step * 1e3, 3), ["images_per_second"] = Math.Round(b / step, 1),
                    ["device"] = target.ToString(), ["device_name"] = deviceName,
                }));
            }
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

    /// <summary>
    /// <paramref name="steps"/> forward + backward + Adam steps of <paramref name="modelName"/> on fixed random data, with
    /// no Dispose anywhere (as a user's loop), printing one JSON line per sample: the step, its loss, the allocator's
    /// bytes in use and cached (GPU devices), the process's managed heap, and the seconds so far. Memory that keeps
    /// growing over the run is a leak; a flat line is what the caching allocator promises.
    /// </summary>
    private static int Soak(Device device, GpuBackend? gpu, string modelName, int steps, int batch, int every)
    {
        var net = Models.Create(modelName, [1, 28, 28], 10, 0, new Generator(0));
        net.To(device);
        var optimizer = new Adam(net.Parameters(), 1e-3);
        var x = new Tensor(NDArray.Randn([batch, 1, 28, 28], new Generator(3), device: device));
        var y = new Tensor(NDArray.FromArray(Enumerable.Range(0, batch).Select(i => i % 10).ToArray(), device: device));
        var clock = Stopwatch.StartNew();
        for (int step = 1; step <= steps; step++)
        {
            var loss = Losses.CrossEntropy(net.Forward(x), y);
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
            if (step % every != 0 && step != 1 && step != steps) continue;
            double value = loss.Item(); // waits for the step
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["bench"] = "soak", ["model"] = modelName, ["batch"] = batch, ["step"] = step, ["loss"] = Math.Round(value, 5),
                ["bytes_in_use"] = gpu?.BytesInUse ?? 0, ["bytes_cached"] = gpu?.BytesCached ?? 0,
                ["managed_heap"] = GC.GetTotalMemory(false), ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3), ["device"] = device.ToString(),
            }));
            if (!double.IsFinite(value)) throw new InvalidOperationException($"soak: the loss is {value} at step {step}");
        }
        return 0;
    }

    /// <summary>
    /// Seconds per n×n×n float32 product on a GPU: the best of several measurements, each timing enough products
    /// back to back (queued on the stream, synchronised before and after) to last about 50 ms.
    /// </summary>
    private static double GemmOnGpu(GpuBackend gpu, Device device, int n)
    {
        var a = NDArray.Randn([n, n], new Generator(1), device: device);
        var b = NDArray.Randn([n, n], new Generator(2), device: device);
        void Products(int count)
        {
            for (int i = 0; i < count; i++) NDArray.MatMul(a, b).Dispose(); // the stream orders the buffer's reuse
        }
        double first = gpu.TimeMilliseconds(() => Products(1)); // includes loading the kernels
        first = gpu.TimeMilliseconds(() => Products(1));
        int count = (int)Math.Clamp(Math.Ceiling(50 / Math.Max(first, 1e-3)), 1, 1000);
        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        for (int i = 0; i < 10 && (i < 3 || total.Elapsed.TotalSeconds < 3); i++) best = Math.Min(best, gpu.TimeMilliseconds(() => Products(count)) / count);
        return best / 1e3;
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
