namespace Scratch;

/// <summary>
/// A seeded source of random numbers: a Philox4x32-10 key (the seed) and a position in its stream
/// (the offset, in 128-bit blocks). Every draw consumes blocks, so successive draws never overlap,
/// and the same seed gives the same numbers on every device.
/// </summary>
public sealed class Generator
{
    private readonly object _gate = new();
    private ulong _offset;

    /// <summary>A generator at the start of the stream of <paramref name="seed"/>.</summary>
    public Generator(ulong seed) => Seed = seed;

    /// <summary>The process-wide generator used when none is passed (seed 0 unless <see cref="ManualSeed"/> is called).</summary>
    public static Generator Default { get; private set; } = new(0);

    /// <summary>Reseeds the default generator, like <c>torch.manual_seed</c>.</summary>
    public static void ManualSeed(ulong seed) => Default = new Generator(seed);

    /// <summary>The Philox key.</summary>
    public ulong Seed { get; private set; }

    /// <summary>The next unused block of the stream.</summary>
    public ulong Offset
    {
        get { lock (_gate) return _offset; }
    }

    /// <summary>Reserves <paramref name="blocks"/> blocks and returns the first.</summary>
    public ulong Advance(ulong blocks)
    {
        lock (_gate)
        {
            ulong start = _offset;
            _offset += blocks;
            return start;
        }
    }

    /// <summary>The state to save in a checkpoint.</summary>
    public (ulong Seed, ulong Offset) GetState()
    {
        lock (_gate) return (Seed, _offset);
    }

    /// <summary>Restores a state saved by <see cref="GetState"/>.</summary>
    public void SetState(ulong seed, ulong offset)
    {
        lock (_gate)
        {
            Seed = seed;
            _offset = offset;
        }
    }

    /// <summary>A uniform integer in [0, n) drawn on the host from the stream (for shuffles and crops).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "NextInt: n must be positive");
        return (int)(NextDouble() * n) % n;
    }

    /// <summary>A uniform double in (0, 1) drawn on the host from the stream.</summary>
    public double NextDouble() => NextDoubles(1)[0];

    /// <summary><paramref name="count"/> uniform doubles in (0, 1) drawn on the host from the stream.</summary>
    public double[] NextDoubles(int count)
    {
        var cpu = Kernels.Cpu.CpuBackend.Instance;
        var buffer = cpu.Allocate(DType.Float64, count);
        ulong start = Advance(((ulong)count + 3) / 4);
        cpu.Random(Kernels.RandomDistribution.Uniform, Kernels.BufferView.Contiguous(buffer, [count]), Seed, start, 0, 1);
        var values = new double[count];
        cpu.Download<double>(buffer, 0, values);
        buffer.Release();
        return values;
    }
}
