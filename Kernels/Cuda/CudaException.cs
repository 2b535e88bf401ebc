using System.Runtime.InteropServices;
using Scratch.Kernels.Cuda.Native;

namespace Scratch.Kernels.Cuda;

/// <summary>A CUDA driver call failed; the message names the call, the error code's name and its description.</summary>
public sealed class CudaException : Exception
{
    internal CudaException(string call, int code, string message) : base(message)
    {
        Call = call;
        Code = code;
    }

    /// <summary>The driver function that failed, e.g. <c>cuLaunchKernel</c>.</summary>
    public string Call { get; }

    /// <summary>The numeric <c>CUresult</c>.</summary>
    public int Code { get; }

    /// <summary>Throws a <see cref="CudaException"/> (or an <see cref="OutOfMemoryException"/> for out-of-memory) unless <paramref name="result"/> is success.</summary>
    internal static void Check(CuResult result, string call, string? context = null)
    {
        if (result == CuResult.Success) return;
        throw Create(result, call, context);
    }

    /// <summary>Builds the exception for a failed call.</summary>
    internal static CudaException Create(CuResult result, string call, string? context = null)
    {
        string text = $"{call} failed with {Describe(result)}";
        if (context is not null) text += $" ({context})";
        if (result is CuResult.IllegalAddress or CuResult.LaunchOutOfResources)
            text += ". The error may come from an earlier kernel: CUDA reports kernel faults at the next call that waits.";
        return new CudaException(call, (int)result, text);
    }

    /// <summary>"CUDA_ERROR_NAME (description)" for a result code, using the driver's own strings.</summary>
    internal static string Describe(CuResult result)
    {
        string name = $"CUresult {(int)result}";
        string description = "";
        try
        {
            if (CudaDriverApi.cuGetErrorName(result, out nint namePtr) == CuResult.Success && namePtr != 0)
                name = Marshal.PtrToStringUTF8(namePtr) ?? name;
            if (CudaDriverApi.cuGetErrorString(result, out nint textPtr) == CuResult.Success && textPtr != 0)
                description = Marshal.PtrToStringUTF8(textPtr) ?? "";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // The driver could not even be bound; the numeric code is all there is.
        }
        return description.Length > 0 ? $"{name} ({description})" : name;
    }
}

/// <summary>NVRTC failed to compile a kernel source; <see cref="Log"/> holds the compiler's messages.</summary>
public sealed class CudaCompilationException : Exception
{
    internal CudaCompilationException(string message, string log) : base(log.Length > 0 ? $"{message}\n{log}" : message)
    {
        Log = log;
    }

    /// <summary>NVRTC's program log (errors and warnings with line numbers).</summary>
    public string Log { get; }
}
