using static Scratch.Kernels.Cuda.Native.CudaDriverApi;

namespace Scratch.Kernels.Cuda.Runtime;

/// <summary>
/// Four ints of device memory where kernels report bad input they cannot throw for (an index out of
/// range, an integer division by zero): code, operation, offending value, bound. Checking it needs
/// the stream to be idle, so it is read at the backend's synchronisation points (Download,
/// Synchronize), and the exception the CPU backend would have thrown at the call is thrown there.
/// </summary>
internal sealed unsafe class DeviceErrorWord
{
    private const int IndexOutOfRange = 1;
    private const int DivideByZero = 2;

    private readonly CudaContext _context;
    private readonly int* _host;
    private readonly object _gate = new();

    public DeviceErrorWord(CudaContext context)
    {
        _context = context;
        context.MakeCurrent();
        CudaException.Check(cuMemAlloc_v2(out ulong device, 16), "cuMemAlloc_v2", "error word");
        Pointer = device;
        CudaException.Check(cuMemAllocHost_v2(out nint host, 16), "cuMemAllocHost_v2", "error word");
        _host = (int*)host;
        CudaException.Check(cuMemsetD32Async(Pointer, 0, 4, context.Stream), "cuMemsetD32Async");
    }

    /// <summary>The device address kernels write to (an <c>int*</c>).</summary>
    public ulong Pointer { get; }

    /// <summary>Waits for the stream, then throws the first error a kernel reported since the last check.</summary>
    public void SynchronizeAndThrowIfSet()
    {
        int code, operation, value, bound;
        lock (_gate)
        {
            _context.MakeCurrent();
            CudaException.Check(cuMemcpyDtoHAsync_v2(_host, Pointer, 16, _context.Stream), "cuMemcpyDtoHAsync_v2", "error word");
            _context.SynchronizeStream();
            code = _host[0];
            if (code == 0) return;
            (operation, value, bound) = (_host[1], _host[2], _host[3]);
            CudaException.Check(cuMemsetD32Async(Pointer, 0, 4, _context.Stream), "cuMemsetD32Async");
            _host[0] = 0;
        }
        string name = OperationName(operation);
        throw code switch
        {
            IndexOutOfRange => new IndexOutOfRangeException(
                $"cuda: {name}: index {value} is outside [0, {bound}) (reported at the first synchronisation after the call)"),
            DivideByZero => new DivideByZeroException($"cuda: {name}: int32 division by zero (reported at the first synchronisation after the call)"),
            _ => new InvalidOperationException($"cuda: {name}: kernel reported error code {code}"),
        };
    }

    /// <summary>Names of the SCRATCH_OP_* values of common.cuh.</summary>
    private static string OperationName(int operation) => operation switch
    {
        1 => "gather",
        2 => "scatter_add",
        3 => "index_select",
        4 => "index_add",
        5 => "one_hot",
        6 => "binary Div",
        _ => $"operation {operation}",
    };
}
