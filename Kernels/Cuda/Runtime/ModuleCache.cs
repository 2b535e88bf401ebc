using System.Text;
using Scratch.Kernels.Cuda.Native;
using static Scratch.Kernels.Cuda.Native.CudaDriverApi;

namespace Scratch.Kernels.Cuda.Runtime;

/// <summary>
/// Kernel functions of one context: each <see cref="KernelSource"/> is compiled (or read from the
/// <see cref="PtxDiskCache"/>) and loaded as a module the first time one of its kernels is asked for;
/// modules stay loaded for the life of the process.
/// </summary>
internal sealed unsafe class ModuleCache
{
    private readonly CudaContext _context;
    private readonly Dictionary<KernelSource, Dictionary<string, nint>> _functions = [];
    private readonly object _gate = new();

    public ModuleCache(CudaContext context)
    {
        _context = context;
        Architecture = CudaCompiler.ArchitectureFor(context.Major, context.Minor);
    }

    /// <summary>The virtual architecture kernels are compiled for, e.g. <c>compute_90</c>.</summary>
    public string Architecture { get; }

    /// <summary>The function for <paramref name="nameExpression"/> of <paramref name="source"/>.</summary>
    public nint Function(KernelSource source, string nameExpression)
    {
        Dictionary<string, nint>? table;
        lock (_gate)
        {
            if (!_functions.TryGetValue(source, out table))
            {
                table = Load(source);
                _functions[source] = table;
            }
        }
        return table.TryGetValue(nameExpression, out var function)
            ? function
            : throw new InvalidOperationException($"cuda: {source.Path} declares no instantiation '{nameExpression}'");
    }

    /// <summary>Compiles (or reads from disk) the PTX of <paramref name="source"/> for <paramref name="architecture"/>.</summary>
    public static CudaCompilation Compile(KernelSource source, string architecture)
    {
        var text = KernelResources.Source(source.Path);
        var headers = KernelResources.Headers;
        var key = PtxDiskCache.Key(text, headers, KernelCatalog.CompileOptions, architecture, source.NameExpressions,
            CudaCompiler.Version.ToString());
        var cached = PtxDiskCache.TryRead(key, architecture);
        if (cached is not null && source.NameExpressions.All(cached.LoweredNames.ContainsKey)) return cached;
        var compiled = CudaCompiler.CompileToPtx(text, source.Path, architecture, KernelCatalog.CompileOptions,
            source.NameExpressions, headers);
        PtxDiskCache.Write(key, compiled);
        return compiled;
    }

    private Dictionary<string, nint> Load(KernelSource source)
    {
        int architectureNumber = int.Parse(Architecture["compute_".Length..]);
        if (source.MinimumArchitecture > architectureNumber)
            throw new NotSupportedException($"cuda: {source.Path} needs sm_{source.MinimumArchitecture} or newer; device {_context.Ordinal} ({_context.Name}) is compiled for {Architecture}");
        var compilation = Compile(source, Architecture);
        nint module = LoadModule(source, compilation.Ptx);
        var table = new Dictionary<string, nint>(source.NameExpressions.Count);
        foreach (var expression in source.NameExpressions)
        {
            var lowered = Encoding.UTF8.GetBytes(compilation.LoweredNames[expression] + "\0");
            fixed (byte* name = lowered)
            {
                CudaException.Check(cuModuleGetFunction(out nint function, module, name), "cuModuleGetFunction", $"{source.Path}: {expression}");
                table[expression] = function;
            }
        }
        return table;
    }

    private nint LoadModule(KernelSource source, string ptx)
    {
        _context.MakeCurrent();
        const int logSize = 16 * 1024;
        var image = Encoding.UTF8.GetBytes(ptx + "\0");
        var errorLog = new byte[logSize];
        int* options = stackalloc int[2];
        void** values = stackalloc void*[2];
        fixed (byte* imagePtr = image)
        fixed (byte* logPtr = errorLog)
        {
            options[0] = CuConstants.JitErrorLogBuffer;
            values[0] = logPtr;
            options[1] = CuConstants.JitErrorLogBufferSizeBytes;
            values[1] = (void*)(nint)logSize;
            var result = cuModuleLoadDataEx(out nint module, imagePtr, 2, options, values);
            if (result == CuResult.Success) return module;
            string log = Encoding.UTF8.GetString(errorLog).TrimEnd('\0').Trim();
            string hint = result == CuResult.UnsupportedPtxVersion
                ? $" NVRTC {CudaCompiler.Version} ({CudaCompiler.LibraryPath}) emits PTX newer than this driver accepts; point {CudaLibraries.NvrtcVariable} at an NVRTC no newer than the driver's CUDA version."
                : "";
            throw new CudaException("cuModuleLoadDataEx", (int)result,
                $"cuModuleLoadDataEx failed for {source.Path} ({Architecture}) with {CudaException.Describe(result)}.{hint}{(log.Length > 0 ? "\n" + log : "")}");
        }
    }
}
