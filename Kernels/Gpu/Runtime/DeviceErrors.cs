using ILGPU;
using ILGPU.Runtime;

namespace Scratch.Kernels.Gpu.Runtime;

/// <summary>
/// What kernels report through <see cref="DeviceErrors"/>: the kind of bad input, and which primitive saw it.
/// </summary>
internal enum DeviceErrorCode
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>An index outside [0, bound).</summary>
    IndexOutOfRange = 1,
    /// <summary>An int32 division by zero.</summary>
    DivideByZero = 2,
}

/// <summary>
/// Four ints of device memory where kernels report bad input they cannot throw for (an index out of
/// range, an integer division by zero): code, operation, offending value, bound. Reading it needs the
/// stream to be idle, so it is read at the backend's synchronisation points (Download, Synchronize), and
/// the exception the CPU backend would have thrown at the call is thrown there.
/// </summary>
internal sealed class DeviceErrors : IDisposable
{
    private readonly Accelerator _accelerator;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _word;
    private readonly string _backendName;
    private readonly object _gate = new();

    public DeviceErrors(Accelerator accelerator, string backendName)
    {
        _accelerator = accelerator;
        _backendName = backendName;
        _word = accelerator.Allocate1D<int>(4);
        _word.MemSetToZero();
        accelerator.Synchronize();
    }

    /// <summary>The view kernels write to.</summary>
    public ArrayView<int> View => _word.View;

    /// <summary>Called from a kernel: records the first error since the last check.</summary>
    public static void Report(ArrayView<int> word, DeviceErrorCode code, int operation, int value, int bound)
    {
        if (Atomic.CompareExchange(ref word[0], 0, (int)code) == 0)
        {
            word[1] = operation;
            word[2] = value;
            word[3] = bound;
        }
    }

    /// <summary>Waits for the stream, then throws the first error a kernel reported since the last check.</summary>
    public void SynchronizeAndThrowIfSet()
    {
        int[] host;
        lock (_gate)
        {
            _accelerator.Synchronize();
            host = _word.GetAsArray1D();
            if (host[0] == 0) return;
            _word.MemSetToZero();
            _accelerator.Synchronize();
        }
        string name = Enum.IsDefined((DeviceOperation)host[1]) ? ((DeviceOperation)host[1]).ToString() : $"operation {host[1]}";
        throw (DeviceErrorCode)host[0] switch
        {
            DeviceErrorCode.IndexOutOfRange when host[1] == (int)DeviceOperation.MaxPool2dBackward => new ArgumentOutOfRangeException("indices",
                $"{_backendName}: max_pool2d backward: index {host[2]} is outside a plane of {host[3]} elements (reported at the first synchronisation after the call)"),
            DeviceErrorCode.IndexOutOfRange => new IndexOutOfRangeException(
                $"{_backendName}: {name}: index {host[2]} is outside [0, {host[3]}) (reported at the first synchronisation after the call)"),
            DeviceErrorCode.DivideByZero => new DivideByZeroException(
                $"{_backendName}: {name}: int32 division by zero (reported at the first synchronisation after the call)"),
            _ => new InvalidOperationException($"{_backendName}: {name}: kernel reported error code {host[0]}"),
        };
    }

    public void Dispose() => _word.Dispose();
}

/// <summary>The primitives whose kernels report errors through <see cref="DeviceErrors"/>.</summary>
internal enum DeviceOperation
{
    /// <summary>IBackend.Gather.</summary>
    Gather = 1,
    /// <summary>IBackend.ScatterAdd.</summary>
    ScatterAdd,
    /// <summary>IBackend.IndexSelect.</summary>
    IndexSelect,
    /// <summary>IBackend.IndexAdd.</summary>
    IndexAdd,
    /// <summary>IBackend.OneHot.</summary>
    OneHot,
    /// <summary>IBackend.Binary with Div on int32.</summary>
    BinaryDiv,
    /// <summary>IBackend.MaxPool2dBackward (an index outside its plane; thrown as the CPU's ArgumentOutOfRangeException).</summary>
    MaxPool2dBackward,
}
