using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;
using Scratch.Kernels.Cuda.Native;

namespace Scratch.Kernels.Cuda;

/// <summary>
/// Compiles CUDA C++ to PTX with NVRTC. Needs only the NVRTC library, not a GPU, so compile checks run
/// on CPU-only machines.
/// </summary>
public static class CudaCompiler
{
    private static readonly Lazy<(int Major, int Minor)?> _version = new(QueryVersion);
    private static readonly Lazy<int[]> _architectures = new(QueryArchitectures);

    /// <summary>True when the NVRTC library was found and loads.</summary>
    public static bool IsAvailable => CudaLibraries.Nvrtc.Found && _version.Value is not null;

    /// <summary>Why NVRTC is unavailable (what was looked for and where), or null when it is available.</summary>
    public static string? UnavailableReason => !CudaLibraries.Nvrtc.Found
        ? CudaLibraries.Nvrtc.FailureMessage()
        : _version.Value is null ? $"NVRTC at {CudaLibraries.Nvrtc.Path} does not answer nvrtcVersion" : null;

    /// <summary>Where NVRTC was loaded from, when found.</summary>
    public static string? LibraryPath => CudaLibraries.Nvrtc.Path;

    /// <summary>NVRTC's version (e.g. 11.8, 12.4, 13.0); throws when NVRTC is unavailable.</summary>
    public static Version Version
    {
        get
        {
            RequireAvailable();
            var (major, minor) = _version.Value!.Value;
            return new Version(major, minor);
        }
    }

    /// <summary>The SM numbers this NVRTC can target (e.g. 52, 60, …, 90), ascending.</summary>
    public static IReadOnlyList<int> SupportedArchitectures
    {
        get
        {
            RequireAvailable();
            return _architectures.Value;
        }
    }

    /// <summary>
    /// Compiles <paramref name="source"/> to PTX for <paramref name="architecture"/> (e.g. <c>compute_80</c>).
    /// <paramref name="nameExpressions"/> are template instantiations such as <c>unary_contig&lt;float&gt;</c>
    /// whose mangled names are returned; <paramref name="headers"/> maps include names to their text.
    /// Throws <see cref="CudaCompilationException"/> with NVRTC's log on failure.
    /// </summary>
    public static unsafe CudaCompilation CompileToPtx(string source, string name, string architecture,
        IReadOnlyList<string> options, IReadOnlyList<string>? nameExpressions = null,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(options);
        RequireAvailable();
        nameExpressions ??= [];
        headers ??= new Dictionary<string, string>();

        using var strings = new NativeStrings();
        byte* sourcePtr = strings.Add(source);
        byte* namePtr = strings.Add(name);
        var headerNames = headers.Keys.ToArray();
        byte** headerTexts = stackalloc byte*[Math.Max(1, headerNames.Length)];
        byte** includeNames = stackalloc byte*[Math.Max(1, headerNames.Length)];
        for (int i = 0; i < headerNames.Length; i++)
        {
            headerTexts[i] = strings.Add(headers[headerNames[i]]);
            includeNames[i] = strings.Add(headerNames[i]);
        }

        nint program;
        Check(NvrtcApi.nvrtcCreateProgram(out program, sourcePtr, namePtr, headerNames.Length,
            headerNames.Length == 0 ? null : headerTexts, headerNames.Length == 0 ? null : includeNames), "nvrtcCreateProgram", name);
        try
        {
            var expressionPtrs = new nint[nameExpressions.Count];
            for (int i = 0; i < nameExpressions.Count; i++)
            {
                byte* expression = strings.Add(nameExpressions[i]);
                expressionPtrs[i] = (nint)expression;
                Check(NvrtcApi.nvrtcAddNameExpression(program, expression), "nvrtcAddNameExpression", nameExpressions[i]);
            }

            var allOptions = new List<string> { $"--gpu-architecture={architecture}" };
            allOptions.AddRange(options);
            byte** optionPtrs = stackalloc byte*[allOptions.Count];
            for (int i = 0; i < allOptions.Count; i++) optionPtrs[i] = strings.Add(allOptions[i]);

            var compiled = NvrtcApi.nvrtcCompileProgram(program, allOptions.Count, optionPtrs);
            string log = ReadLog(program);
            if (compiled != NvrtcResult.Success)
                throw new CudaCompilationException(
                    $"NVRTC {ErrorString(compiled)} compiling {name} for {architecture} with options [{string.Join(" ", allOptions)}]", log);

            Check(NvrtcApi.nvrtcGetPTXSize(program, out nuint ptxSize), "nvrtcGetPTXSize", name);
            var ptxBytes = new byte[(int)ptxSize];
            fixed (byte* ptx = ptxBytes) Check(NvrtcApi.nvrtcGetPTX(program, ptx), "nvrtcGetPTX", name);
            string ptxText = System.Text.Encoding.UTF8.GetString(ptxBytes).TrimEnd('\0');

            var lowered = new Dictionary<string, string>(nameExpressions.Count);
            for (int i = 0; i < nameExpressions.Count; i++)
            {
                Check(NvrtcApi.nvrtcGetLoweredName(program, (byte*)expressionPtrs[i], out byte* loweredName), "nvrtcGetLoweredName", nameExpressions[i]);
                lowered[nameExpressions[i]] = Utf8StringMarshaller.ConvertToManaged(loweredName)
                    ?? throw new CudaCompilationException($"NVRTC returned no lowered name for {nameExpressions[i]}", log);
            }
            return new CudaCompilation(ptxText, lowered, log, architecture);
        }
        finally
        {
            NvrtcApi.nvrtcDestroyProgram(&program);
        }
    }

    /// <summary>The virtual architecture to compile for on a device of compute capability major.minor: the device's own, or the newest this NVRTC supports below it.</summary>
    public static string ArchitectureFor(int major, int minor)
    {
        int wanted = major * 10 + minor;
        var supported = SupportedArchitectures;
        int best = supported.Where(a => a <= wanted).DefaultIfEmpty(0).Max();
        if (best == 0)
            throw new InvalidOperationException($"NVRTC {Version} at {LibraryPath} cannot target compute capability {major}.{minor} (it supports sm_{string.Join(", sm_", supported)})");
        return $"compute_{best}";
    }

    private static void RequireAvailable()
    {
        if (!IsAvailable) throw new InvalidOperationException(UnavailableReason);
    }

    private static unsafe string ReadLog(nint program)
    {
        if (NvrtcApi.nvrtcGetProgramLogSize(program, out nuint size) != NvrtcResult.Success || size <= 1) return "";
        var bytes = new byte[(int)size];
        fixed (byte* log = bytes)
            if (NvrtcApi.nvrtcGetProgramLog(program, log) != NvrtcResult.Success) return "";
        return System.Text.Encoding.UTF8.GetString(bytes).TrimEnd('\0').Trim();
    }

    private static unsafe string ErrorString(NvrtcResult result)
    {
        byte* text = NvrtcApi.nvrtcGetErrorString(result);
        return text == null ? $"nvrtcResult {(int)result}" : Utf8StringMarshaller.ConvertToManaged(text) ?? $"nvrtcResult {(int)result}";
    }

    private static void Check(NvrtcResult result, string call, string what)
    {
        if (result != NvrtcResult.Success)
            throw new CudaCompilationException($"{call} failed with {ErrorString(result)} ({what})", "");
    }

    private static (int, int)? QueryVersion()
    {
        if (!CudaLibraries.Nvrtc.Found) return null;
        try
        {
            return NvrtcApi.nvrtcVersion(out int major, out int minor) == NvrtcResult.Success ? (major, minor) : null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    private static unsafe int[] QueryArchitectures()
    {
        Check(NvrtcApi.nvrtcGetNumSupportedArchs(out int count), "nvrtcGetNumSupportedArchs", "architectures");
        var architectures = new int[count];
        fixed (int* p = architectures) Check(NvrtcApi.nvrtcGetSupportedArchs(p), "nvrtcGetSupportedArchs", "architectures");
        Array.Sort(architectures);
        return architectures;
    }

    /// <summary>NUL-terminated UTF-8 copies of managed strings, freed together.</summary>
    private sealed unsafe class NativeStrings : IDisposable
    {
        private readonly List<nint> _allocations = [];

        public byte* Add(string text)
        {
            byte* p = Utf8StringMarshaller.ConvertToUnmanaged(text);
            _allocations.Add((nint)p);
            return p;
        }

        public void Dispose()
        {
            foreach (var p in _allocations) Utf8StringMarshaller.Free((byte*)p);
            _allocations.Clear();
        }
    }
}
