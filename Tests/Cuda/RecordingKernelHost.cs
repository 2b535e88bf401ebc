using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Cuda.Runtime;

namespace Scratch.Tests.Cuda;

/// <summary>
/// An <see cref="IKernelHost"/> without a GPU: buffers are CPU buffers given fake, 256-byte aligned
/// device addresses, and every launch is recorded with the byte size of each argument so tests can
/// compare it with the compiled kernel's parameter list. Launch shapes are checked against CUDA's limits.
/// </summary>
internal sealed class RecordingKernelHost : IKernelHost
{
    private readonly Dictionary<DeviceBuffer, ulong> _addresses = new(ReferenceEqualityComparer.Instance);
    private ulong _nextAddress = 0x7f00_0000_0000;

    public sealed record Launch(KernelSource Source, string Name, LaunchShape Shape, int[] ArgumentSizes)
    {
        public string Kernel => Name.Split('<')[0];
    }

    public List<Launch> Launches { get; } = [];
    public int Memsets { get; private set; }
    public int Copies { get; private set; }

    public string Name => "recording";
    public int MultiprocessorCount => 132;
    public int Architecture => 90;
    public int MaxGridDimY => 65535;
    public int MaxGridDimZ => 65535;
    public bool AllowTf32 { get; set; }
    public ulong ErrorWord => 0x7e00_0000_0000;

    public ulong Address(DeviceBuffer buffer, long elementOffset)
    {
        if (!_addresses.TryGetValue(buffer, out var start))
        {
            start = _nextAddress;
            _nextAddress += ((ulong)buffer.SizeInBytes + 511) / 256 * 256;
            _addresses[buffer] = start;
        }
        return start + (ulong)(elementOffset * buffer.DType.SizeInBytes());
    }

    public DeviceBuffer Workspace(DType dtype, long length) => CpuBackend.Instance.Allocate(dtype, Math.Max(1, length));

    void IKernelHost.Launch(KernelSource source, string name, LaunchShape shape, ref KernelArguments arguments)
    {
        Assert.That(shape.BlockX * shape.BlockY * shape.BlockZ, Is.InRange(1u, 1024u), $"{name}: threads per block");
        Assert.That(shape.GridX, Is.InRange(1u, (uint)int.MaxValue), $"{name}: grid x");
        Assert.That(shape.GridY, Is.InRange(1u, 65535u), $"{name}: grid y");
        Assert.That(shape.GridZ, Is.InRange(1u, 65535u), $"{name}: grid z");
        var sizes = new int[arguments.Count];
        for (int i = 0; i < sizes.Length; i++) sizes[i] = arguments.SizeAt(i);
        Launches.Add(new Launch(source, name, shape, sizes));
    }

    public void Memset32(ulong address, uint pattern, long words) => Memsets++;

    public void CopyDeviceToDevice(ulong destination, ulong source, long bytes) => Copies++;

    public uint GridFor(long count, int block) => (uint)Math.Clamp((count + block - 1) / block, 1, MultiprocessorCount * 32);
}
