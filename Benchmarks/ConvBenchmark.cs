using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;

namespace Scratch.Benchmarks;

/// <summary>
/// The two conv layers of the default CNN at batch 128 (3×3, padding 1): conv1 1→32 on 28×28 and
/// conv2 32→64 on 14×14, forward (with bias), backward-data and backward-weight, with GFLOP/s
/// (2·N·O·OH·OW·C·KH·KW flops per call).
/// </summary>
[Config(typeof(ConvConfig))]
public class ConvBenchmark
{
    private const int Batch = 128;
    private static readonly Conv2dParams Padding1 = new(PadH: 1, PadW: 1);
    private BufferView _x, _w, _bias, _y, _gy, _gx, _gw;

    [Params("conv1", "conv2")]
    public string Layer { get; set; } = "conv1";

    [GlobalSetup]
    public void Setup()
    {
        var (c, o, size) = Shape(Layer);
        _x = Random([Batch, c, size, size], 1);
        _w = Random([o, c, 3, 3], 2);
        _bias = Random([o], 3);
        _gy = Random([Batch, o, size, size], 4);
        _y = Empty([Batch, o, size, size]);
        _gx = Empty([Batch, c, size, size]);
        _gw = Empty([o, c, 3, 3]);
    }

    [Benchmark]
    public void Forward() => CpuBackend.Instance.Conv2dForward(_x, _w, _bias, _y, Padding1);

    [Benchmark]
    public void BackwardData() => CpuBackend.Instance.Conv2dBackwardData(_gy, _w, _gx, Padding1);

    [Benchmark]
    public void BackwardWeight() => CpuBackend.Instance.Conv2dBackwardWeight(_x, _gy, _gw, Padding1);

    /// <summary>(input channels, output channels, plane size) of a layer.</summary>
    private static (int C, int O, int Size) Shape(string layer) => layer == "conv1" ? (1, 32, 28) : (32, 64, 14);

    private static BufferView Empty(int[] shape)
        => BufferView.Contiguous(CpuBackend.Instance.Allocate(DType.Float32, BufferView.ElementCount(shape)), shape);

    private static BufferView Random(int[] shape, int seed)
    {
        var rng = new Random(seed);
        var values = new float[BufferView.ElementCount(shape)];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        var view = Empty(shape);
        CpuBackend.Instance.Upload<float>(values, view.Buffer, 0);
        return view;
    }

    private sealed class ConvConfig : ManualConfig
    {
        public ConvConfig()
        {
            static double Flops(BenchmarkCase benchmarkCase)
            {
                var (c, o, size) = Shape((string)benchmarkCase.Parameters["Layer"]);
                return 2.0 * Batch * o * size * size * c * 9;
            }
            AddColumn(new GflopsColumn(Flops, best: false), new GflopsColumn(Flops, best: true));
        }
    }
}
