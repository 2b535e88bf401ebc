using System.Runtime.InteropServices;
using System.Text;
using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Cuda.Runtime;

namespace Scratch.Tests.Cuda.Emulator;

/// <summary>
/// An <see cref="IKernelHost"/> whose "device memory" is pinned CPU buffers and whose launches run in
/// the <see cref="CudaEmulator"/>, with exactly the argument block cuLaunchKernel would receive. The
/// launchers of the CUDA backend run unchanged on it, so their results can be checked without a GPU.
/// It reports 4 SMs (so the large GEMM tiles are chosen on small problems) and grids of at most 3
/// blocks for grid-stride kernels (so the loops go round).
/// </summary>
internal sealed unsafe class EmulatedKernelHost : IKernelHost, IDisposable
{
    private readonly Dictionary<Array, GCHandle> _pins = new(ReferenceEqualityComparer.Instance);
    private readonly int[] _error = new int[4];
    private readonly List<DeviceBuffer> _workspaces = [];

    public EmulatedKernelHost()
    {
        CudaEmulator.Require();
        _pins[_error] = GCHandle.Alloc(_error, GCHandleType.Pinned);
    }

    public string Name => "emulator";
    public int MultiprocessorCount => 4;
    public int Architecture => 80;
    public int MaxGridDimY => 65535;
    public int MaxGridDimZ => 65535;
    public bool AllowTf32 { get; set; }
    public ulong ErrorWord => (ulong)_pins[_error].AddrOfPinnedObject();

    /// <summary>The error the kernels reported (code, op, value, bound), then cleared.</summary>
    public int[] TakeError()
    {
        var copy = (int[])_error.Clone();
        Array.Clear(_error);
        return copy;
    }

    public ulong Address(DeviceBuffer buffer, long elementOffset)
    {
        var data = (buffer as CpuBuffer ?? throw new ArgumentException($"emulator: buffer belongs to backend '{buffer.Backend.Name}'")).Data;
        if (!_pins.TryGetValue(data, out var handle)) _pins[data] = handle = GCHandle.Alloc(data, GCHandleType.Pinned);
        return (ulong)handle.AddrOfPinnedObject() + (ulong)(elementOffset * buffer.DType.SizeInBytes());
    }

    public DeviceBuffer Workspace(DType dtype, long length)
    {
        var buffer = CpuBackend.Instance.Allocate(dtype, Math.Max(1, length));
        _workspaces.Add(buffer); // kept (and pinned) until the host is disposed, like queued GPU work
        buffer.Retain();
        return buffer;
    }

    public void Launch(KernelSource source, string name, LaunchShape shape, ref KernelArguments arguments)
    {
        Assert.That(source.NameExpressions, Does.Contain(name), $"{source.Path} does not instantiate {name}");
        var utf8 = Encoding.UTF8.GetBytes(name + "\0");
        void** pointers = stackalloc void*[KernelArguments.MaxArguments];
        int result;
        fixed (byte* block = arguments.Bytes)
        fixed (byte* namePtr = utf8)
        {
            arguments.WritePointers(block, pointers);
            result = CudaEmulator.Launch(namePtr, shape.GridX, shape.GridY, shape.GridZ, shape.BlockX, shape.BlockY, shape.BlockZ, pointers);
        }
        Assert.That(result, Is.Zero, $"the emulator has no kernel {name}");
    }

    public void Memset32(ulong address, uint pattern, long words) => new Span<uint>((void*)address, checked((int)words)).Fill(pattern);

    public void CopyDeviceToDevice(ulong destination, ulong source, long bytes) => System.Buffer.MemoryCopy((void*)source, (void*)destination, bytes, bytes);

    public uint GridFor(long count, int block) => (uint)Math.Clamp((count + block - 1) / block, 1, 3);

    public void Dispose()
    {
        foreach (var handle in _pins.Values) handle.Free();
        _pins.Clear();
        foreach (var buffer in _workspaces) buffer.Release();
    }
}
