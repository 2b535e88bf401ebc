using System.Runtime.CompilerServices;

namespace Scratch.Kernels.Cuda.Runtime;

/// <summary>
/// The parameter block of one kernel launch: each argument's bytes, in order, in inline storage.
/// <c>cuLaunchKernel</c> takes an array of pointers to the arguments and copies them at the call,
/// so a local instance of this struct lives exactly as long as needed. Argument types must match the
/// kernel's C++ parameters byte for byte (int ↔ int, long ↔ long long, ulong device pointers, double,
/// float, and <see cref="KernelShape"/>, <see cref="KernelStrides"/> and the other blittable structs).
/// </summary>
internal struct KernelArguments
{
    public const int MaxArguments = 24;
    private const int StorageBytes = 1024;

    [InlineArray(StorageBytes)]
    private struct Storage { private byte _first; }

    [InlineArray(MaxArguments)]
    private struct Offsets { private int _first; }

    private Storage _storage;
    private Offsets _offsets;
    private Offsets _sizes;
    private int _used;
    private int _count;

    /// <summary>Number of arguments added.</summary>
    public readonly int Count => _count;

    /// <summary>Appends one argument.</summary>
    public unsafe void Add<T>(T value) where T : unmanaged
    {
        int size = sizeof(T);
        int at = (_used + 7) & ~7; // 8-byte aligned, like the widest kernel parameter
        if (_count == MaxArguments || at + size > StorageBytes)
            throw new InvalidOperationException($"cuda: kernel argument block full ({_count} arguments, {at} bytes)");
        Unsafe.WriteUnaligned(ref ((Span<byte>)_storage)[at], value);
        _offsets[_count] = at;
        _sizes[_count] = size;
        _count++;
        _used = at + size;
    }

    /// <summary>Size in bytes of argument <paramref name="index"/>.</summary>
    public readonly int SizeAt(int index) => _sizes[index];

    /// <summary>Fills <paramref name="pointers"/> with the address of each argument inside <paramref name="block"/>, which must point at this instance's storage.</summary>
    internal readonly unsafe void WritePointers(byte* block, void** pointers)
    {
        for (int i = 0; i < _count; i++) pointers[i] = block + _offsets[i];
    }

    /// <summary>The storage bytes (for pinning during the launch).</summary>
    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    internal Span<byte> Bytes => _storage;
}
