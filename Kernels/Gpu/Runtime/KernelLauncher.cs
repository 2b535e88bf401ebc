using System.Collections.Concurrent;
using System.Reflection;
using ILGPU;
using ILGPU.Runtime;

namespace Scratch.Kernels.Gpu.Runtime;

/// <summary>
/// Loads ILGPU kernels once per accelerator and launches them on its default stream. A kernel is a
/// static C# method (explicitly grouped: its <see cref="KernelConfig"/> gives grid and group sizes); the
/// cache is keyed by the closed generic method, so each instantiation (dtype, operator) compiles once.
/// A failed compile or launch is rethrown naming the kernel; with <see cref="SynchronizeAfterLaunch"/> on
/// (environment variable <c>SCRATCH_GPU_SYNC=1</c>) every launch is waited for, so an error surfaces at the
/// launch that caused it instead of at the next synchronisation.
/// </summary>
internal sealed partial class KernelLauncher(Accelerator accelerator, string backendName)
{
    private readonly ConcurrentDictionary<MethodInfo, Delegate> _loaded = new();
    private readonly object _gate = new();

    /// <summary>Wait for every kernel as it is launched (a debugging aid; slow).</summary>
    public bool SynchronizeAfterLaunch { get; set; } = Environment.GetEnvironmentVariable("SCRATCH_GPU_SYNC") == "1";

    /// <summary>Number of kernel instantiations loaded so far.</summary>
    public int LoadedCount => _loaded.Count;

    /// <summary>The kernels loaded so far, by name.</summary>
    public IEnumerable<string> LoadedNames => _loaded.Keys.Select(Describe);

    private static readonly ConcurrentDictionary<MethodInfo, byte> _recorded = new();

    /// <summary>
    /// Every kernel instantiation (closed generic method) that any launcher in this process was asked to launch,
    /// loaded or not: the PTX assembly test compiles each of them for sm_90 (see Gpu/Diagnostics/KernelInventory).
    /// </summary>
    public static IReadOnlyCollection<MethodInfo> Recorded => [.. _recorded.Keys];

    /// <summary>
    /// Record each kernel asked for without loading or running it (a diagnostics mode, so that every primitive can be
    /// driven in milliseconds to list the kernels it uses; results are left unwritten).
    /// </summary>
    internal bool RecordOnly { get; set; }

    private TDelegate? Load<TDelegate>(Delegate kernel, Func<TDelegate> load) where TDelegate : Delegate
    {
        _recorded.TryAdd(kernel.Method, 0);
        if (RecordOnly) return null;
        if (_loaded.TryGetValue(kernel.Method, out var cached)) return (TDelegate)cached;
        lock (_gate)
        {
            if (_loaded.TryGetValue(kernel.Method, out cached)) return (TDelegate)cached;
            TDelegate loaded;
            try
            {
                loaded = load();
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"{backendName}: kernel {Describe(kernel.Method)} failed to compile: {e.Message}", e);
            }
            _loaded[kernel.Method] = loaded;
            return loaded;
        }
    }

    private void Launched(Delegate kernel, Exception? error)
    {
        if (error is not null)
            throw new InvalidOperationException($"{backendName}: launch of kernel {Describe(kernel.Method)} failed: {error.Message}", error);
        if (!SynchronizeAfterLaunch) return;
        try
        {
            accelerator.Synchronize();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{backendName}: kernel {Describe(kernel.Method)} failed: {e.Message}", e);
        }
    }

    /// <summary><c>Elementwise.Unary&lt;float, ExpOp&gt;</c>.</summary>
    internal static string Describe(MethodInfo method)
    {
        string name = $"{method.DeclaringType?.Name}.{method.Name}";
        if (!method.IsGenericMethod) return name;
        return $"{name}<{string.Join(", ", method.GetGenericArguments().Select(TypeName))}>";
    }

    private static string TypeName(Type t)
    {
        if (!t.IsGenericType) return t.Name;
        string n = t.Name[..t.Name.IndexOf('`')];
        return $"{n}<{string.Join(", ", t.GetGenericArguments().Select(TypeName))}>";
    }

    /// <summary>Launches <paramref name="kernel"/> with <paramref name="config"/> on the default stream.</summary>
    public void Launch<T1>(Action<T1> kernel, KernelConfig config, T1 a1) where T1 : struct
    {
        var loaded = Load(kernel, () => accelerator.LoadStreamKernel(kernel));
        if (loaded is null) return;
        Exception? error = null;
        try { loaded(config, a1); } catch (Exception e) { error = e; }
        Launched(kernel, error);
    }

    /// <summary>Launches <paramref name="kernel"/> with <paramref name="config"/> on the default stream.</summary>
    public void Launch<T1, T2>(Action<T1, T2> kernel, KernelConfig config, T1 a1, T2 a2) where T1 : struct where T2 : struct
    {
        var loaded = Load(kernel, () => accelerator.LoadStreamKernel(kernel));
        if (loaded is null) return;
        Exception? error = null;
        try { loaded(config, a1, a2); } catch (Exception e) { error = e; }
        Launched(kernel, error);
    }

    /// <summary>Launches <paramref name="kernel"/> with <paramref name="config"/> on the default stream.</summary>
    public void Launch<T1, T2, T3>(Action<T1, T2, T3> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3) where T1 : struct where T2 : struct where T3 : struct
    {
        var loaded = Load(kernel, () => accelerator.LoadStreamKernel(kernel));
        if (loaded is null) return;
        Exception? error = null;
        try { loaded(config, a1, a2, a3); } catch (Exception e) { error = e; }
        Launched(kernel, error);
    }

    /// <summary>Launches <paramref name="kernel"/> with <paramref name="config"/> on the default stream.</summary>
    public void Launch<T1, T2, T3, T4>(Action<T1, T2, T3, T4> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4) where T1 : struct where T2 : struct where T3 : struct where T4 : struct
    {
        var loaded = Load(kernel, () => accelerator.LoadStreamKernel(kernel));
        if (loaded is null) return;
        Exception? error = null;
        try { loaded(config, a1, a2, a3, a4); } catch (Exception e) { error = e; }
        Launched(kernel, error);
    }

    /// <summary>Launches <paramref name="kernel"/> with <paramref name="config"/> on the default stream.</summary>
    public void Launch<T1, T2, T3, T4, T5>(Action<T1, T2, T3, T4, T5> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct
    {
        var loaded = Load(kernel, () => accelerator.LoadStreamKernel(kernel));
        if (loaded is null) return;
        Exception? error = null;
        try { loaded(config, a1, a2, a3, a4, a5); } catch (Exception e) { error = e; }
        Launched(kernel, error);
    }

    /// <summary>Launches <paramref name="kernel"/> with <paramref name="config"/> on the default stream.</summary>
    public void Launch<T1, T2, T3, T4, T5, T6>(Action<T1, T2, T3, T4, T5, T6> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct
    {
        var loaded = Load(kernel, () => accelerator.LoadStreamKernel(kernel));
        if (loaded is null) return;
        Exception? error = null;
        try { loaded(config, a1, a2, a3, a4, a5, a6); } catch (Exception e) { error = e; }
        Launched(kernel, error);
    }

    /// <summary>Launches <paramref name="kernel"/> with <paramref name="config"/> on the default stream.</summary>
    public void Launch<T1, T2, T3, T4, T5, T6, T7>(Action<T1, T2, T3, T4, T5, T6, T7> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct
    {
        var loaded = Load(kernel, () => accelerator.LoadStreamKernel(kernel));
        if (loaded is null) return;
        Exception? error = null;
        try { loaded(config, a1, a2, a3, a4, a5, a6, a7); } catch (Exception e) { error = e; }
        Launched(kernel, error);
    }

    /// <summary>Launches <paramref name="kernel"/> with <paramref name="config"/> on the default stream.</summary>
    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8>(Action<T1, T2, T3, T4, T5, T6, T7, T8> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct
    {
        var loaded = Load(kernel, () => accelerator.LoadStreamKernel(kernel));
        if (loaded is null) return;
        Exception? error = null;
        try { loaded(config, a1, a2, a3, a4, a5, a6, a7, a8); } catch (Exception e) { error = e; }
        Launched(kernel, error);
    }

    /// <summary>Launches <paramref name="kernel"/> with <paramref name="config"/> on the default stream.</summary>
    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct
    {
        var loaded = Load(kernel, () => accelerator.LoadStreamKernel(kernel));
        if (loaded is null) return;
        Exception? error = null;
        try { loaded(config, a1, a2, a3, a4, a5, a6, a7, a8, a9); } catch (Exception e) { error = e; }
        Launched(kernel, error);
    }

    /// <summary>Launches <paramref name="kernel"/> with <paramref name="config"/> on the default stream.</summary>
    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct
    {
        var loaded = Load(kernel, () => accelerator.LoadStreamKernel(kernel));
        if (loaded is null) return;
        Exception? error = null;
        try { loaded(config, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10); } catch (Exception e) { error = e; }
        Launched(kernel, error);
    }

    /// <summary>Launches <paramref name="kernel"/> with <paramref name="config"/> on the default stream.</summary>
    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct where T11 : struct
    {
        var loaded = Load(kernel, () => accelerator.LoadStreamKernel(kernel));
        if (loaded is null) return;
        Exception? error = null;
        try { loaded(config, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11); } catch (Exception e) { error = e; }
        Launched(kernel, error);
    }

    /// <summary>Launches <paramref name="kernel"/> with <paramref name="config"/> on the default stream.</summary>
    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct where T11 : struct where T12 : struct
    {
        var loaded = Load(kernel, () => accelerator.LoadStreamKernel(kernel));
        if (loaded is null) return;
        Exception? error = null;
        try { loaded(config, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12); } catch (Exception e) { error = e; }
        Launched(kernel, error);
    }

    /// <summary>Launches <paramref name="kernel"/> with <paramref name="config"/> on the default stream.</summary>
    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct where T11 : struct where T12 : struct where T13 : struct
    {
        var loaded = Load(kernel, () => accelerator.LoadStreamKernel(kernel));
        if (loaded is null) return;
        Exception? error = null;
        try { loaded(config, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13); } catch (Exception e) { error = e; }
        Launched(kernel, error);
    }

    /// <summary>Launches <paramref name="kernel"/> with <paramref name="config"/> on the default stream.</summary>
    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct where T11 : struct where T12 : struct where T13 : struct where T14 : struct
    {
        var loaded = Load(kernel, () => accelerator.LoadStreamKernel(kernel));
        if (loaded is null) return;
        Exception? error = null;
        try { loaded(config, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14); } catch (Exception e) { error = e; }
        Launched(kernel, error);
    }
}
