using System.Reflection;
using System.Reflection.Emit;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu.Diagnostics;

/// <summary>
/// The complete list of GPU kernel instantiations, without a hand-kept list. Two sources, one check:
/// <list type="number">
/// <item>Every closed generic kernel method that a <see cref="KernelLauncher"/> in this process was asked to launch
/// (recorded by the launcher), after driving the backend's primitives, e.g. every op-registry sample in both float
/// dtypes, forward and backward, with <see cref="RecordWithoutRunning"/> (milliseconds, nothing compiled or run).</item>
/// <item>Every kernel <em>definition</em>: each static void method of <c>Scratch.Kernels.Gpu.Kernels</c> that the
/// GPU backend's code turns into a delegate (an <c>ldftn</c> in the IL of any method under <c>Scratch.Kernels.Gpu</c>,
/// which is how <c>backend.Kernels.Launch(SomeKernels.Method, …)</c> compiles). A definition that no driven
/// primitive reached (a path the simulator never takes, such as the TF32 tensor-core GEMM) is instantiated from its
/// generic constraints instead (<see cref="FromConstraints"/>), so every kernel is compiled at least once.</item>
/// </list>
/// </summary>
public static class KernelInventory
{
    /// <summary>The namespace whose methods are kernels when the backend makes delegates of them.</summary>
    public const string KernelNamespace = "Scratch.Kernels.Gpu.Kernels";

    /// <summary>Most instantiations made from constraints for one definition.</summary>
    public const int MaxFromConstraints = 16;

    /// <summary>Every kernel instantiation asked for in this process so far (see <see cref="KernelLauncher.Recorded"/>).</summary>
    public static IReadOnlyCollection<MethodInfo> Recorded => KernelLauncher.Recorded;

    /// <summary>
    /// Runs <paramref name="drive"/> with <paramref name="backend"/> recording each kernel it asks for instead of
    /// loading and running it: kernel outputs stay unwritten, so the values <paramref name="drive"/> computes are
    /// meaningless; only the list of kernels (<see cref="Recorded"/>) is the product. Not for concurrent use of the backend.
    /// </summary>
    public static void RecordWithoutRunning(GpuBackend backend, Action drive)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(drive);
        bool before = backend.Kernels.RecordOnly;
        backend.Kernels.RecordOnly = true;
        try
        {
            drive();
        }
        finally
        {
            backend.Kernels.RecordOnly = before;
        }
    }

    /// <summary>The kernel definitions (generic method definitions where generic) the GPU backend's code makes delegates of.</summary>
    public static IReadOnlyList<MethodInfo> Definitions()
    {
        var found = new HashSet<MethodInfo>();
        var assembly = typeof(GpuBackend).Assembly;
        foreach (var type in assembly.GetTypes())
        {
            if (type.Namespace is null || !type.Namespace.StartsWith("Scratch.Kernels.Gpu", StringComparison.Ordinal)) continue;
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                foreach (var target in FunctionPointersIn(method))
                {
                    if (target is MethodInfo m && IsKernel(m)) found.Add(m.IsGenericMethod ? m.GetGenericMethodDefinition() : m);
                }
            }
        }
        return [.. found.OrderBy(Describe, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Every instantiation to compile: <paramref name="recorded"/> (those of kernels under <see cref="KernelNamespace"/>),
    /// plus, for each of <paramref name="definitions"/> with no recorded instantiation, those made from its constraints.
    /// <paramref name="unreached"/> lists the definitions that needed the constraints; <paramref name="impossible"/> those
    /// for which no instantiation satisfies them (a kernel that cannot be compiled: report it).
    /// </summary>
    public static IReadOnlyList<MethodInfo> Instantiations(IEnumerable<MethodInfo> recorded, IReadOnlyList<MethodInfo> definitions,
        out IReadOnlyList<MethodInfo> unreached, out IReadOnlyList<MethodInfo> impossible)
    {
        var all = new HashSet<MethodInfo>(recorded.Where(IsKernel));
        var reached = new HashSet<MethodInfo>(all.Select(m => m.IsGenericMethod ? m.GetGenericMethodDefinition() : m));
        var missed = new List<MethodInfo>();
        var none = new List<MethodInfo>();
        foreach (var definition in definitions)
        {
            if (reached.Contains(definition)) continue;
            missed.Add(definition);
            var made = FromConstraints(definition);
            if (made.Count == 0) none.Add(definition);
            all.UnionWith(made);
        }
        unreached = missed;
        impossible = none;
        return [.. all.OrderBy(Describe, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Closed instantiations of <paramref name="definition"/> whose type arguments satisfy its constraints: element types
    /// float, double and int for unconstrained (or only <c>unmanaged</c>/<c>INumber</c>-style) parameters, and the
    /// non-generic structs of this assembly that implement the interfaces a parameter is constrained to. At most
    /// <see cref="MaxFromConstraints"/>, in a fixed order.
    /// </summary>
    public static IReadOnlyList<MethodInfo> FromConstraints(MethodInfo definition)
    {
        if (!definition.IsGenericMethodDefinition) return [definition];
        var parameters = definition.GetGenericArguments();
        var structs = OperatorStructs();
        var candidates = parameters.Select(p => Candidates(p, structs)).ToArray();
        var result = new List<MethodInfo>();
        var chosen = new Type[parameters.Length];
        void Choose(int index)
        {
            if (result.Count >= MaxFromConstraints) return;
            if (index == parameters.Length)
            {
                try
                {
                    result.Add(definition.MakeGenericMethod(chosen));
                }
                catch (ArgumentException)
                {
                    // a constraint (one parameter in terms of another, e.g. IUnaryOperator<T>) does not hold
                }
                return;
            }
            foreach (var candidate in candidates[index])
            {
                chosen[index] = candidate;
                Choose(index + 1);
            }
        }
        Choose(0);
        return result;
    }

    /// <summary>
    /// The structs of this assembly that may serve as operator type arguments: the non-generic ones, and the generic
    /// ones of one element-type parameter (the CPU's shared operators, e.g. <c>SumReduction&lt;T&gt;</c>) closed over
    /// float, double and int where their constraints allow.
    /// </summary>
    private static Type[] OperatorStructs()
    {
        Type[] elements = [typeof(float), typeof(double), typeof(int)];
        var result = new List<Type>();
        foreach (var t in typeof(GpuBackend).Assembly.GetTypes())
        {
            if (!t.IsValueType || t.IsEnum || t.Name.Contains('<') || t.GetInterfaces().Length == 0 && !t.IsGenericTypeDefinition) continue;
            if (!t.IsGenericTypeDefinition)
            {
                result.Add(t);
                continue;
            }
            if (t.GetGenericArguments().Length != 1 || t.IsNested && t.DeclaringType!.IsGenericType) continue;
            foreach (var element in elements)
            {
                try
                {
                    result.Add(t.MakeGenericType(element));
                }
                catch (ArgumentException)
                {
                    // the element type does not satisfy the struct's constraints
                }
            }
        }
        return [.. result.Where(t => t.GetInterfaces().Length > 0).OrderBy(t => t.FullName, StringComparer.Ordinal)];
    }

    private static Type[] Candidates(Type parameter, Type[] structs)
    {
        Type[] elements = [typeof(float), typeof(double), typeof(int)];
        var interfaces = parameter.GetGenericParameterConstraints().Where(c => c.IsInterface).ToArray();
        bool operatorLike = interfaces.Any(i => i.Assembly == typeof(GpuBackend).Assembly);
        if (!operatorLike) return elements;
        // Structs implementing every constraint interface of this assembly (compared by generic definition; the
        // exact type arguments are checked by MakeGenericMethod).
        var own = interfaces.Where(i => i.Assembly == typeof(GpuBackend).Assembly).Select(Definition).ToArray();
        var matching = structs.Where(s => own.All(i => s.GetInterfaces().Select(Definition).Contains(i))).ToArray();
        // Non-generic structs first (the GPU's own operator wrappers); the closed generic ones only where no
        // non-generic struct qualifies: some CPU operators' scalar forms are not ILGPU-compilable and are used on
        // the GPU only through a wrapper, so closing all of them would list kernels no launcher makes.
        var plain = matching.Where(s => !s.IsConstructedGenericType).ToArray();
        return plain.Length > 0 ? plain : matching;
    }

    private static Type Definition(Type t) => t.IsGenericType ? t.GetGenericTypeDefinition() : t;

    /// <summary>True for a static void method declared in <see cref="KernelNamespace"/> (or below).</summary>
    public static bool IsKernel(MethodInfo method)
        => method.IsStatic && method.ReturnType == typeof(void) && method.DeclaringType is { } type && !type.IsGenericType
           && type.Namespace is { } ns && (ns == KernelNamespace || ns.StartsWith(KernelNamespace + ".", StringComparison.Ordinal))
           && !method.Name.Contains('<');

    /// <summary><c>CopyKernels.FillContiguous&lt;Single&gt;</c>: the name used in the launcher's messages.</summary>
    public static string Describe(MethodInfo method) => KernelLauncher.Describe(method);

    private static readonly OpCode[] OneByte = new OpCode[256];
    private static readonly OpCode[] TwoByte = new OpCode[256];

    static KernelInventory()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.GetValue(null) is not OpCode code) continue;
            ushort value = (ushort)code.Value;
            if (value < 0x100) OneByte[value] = code;
            else if ((value & 0xFF00) == 0xFE00) TwoByte[value & 0xFF] = code;
        }
    }

    // The methods whose address an ldftn in this method's IL takes.
    private static IEnumerable<MethodBase> FunctionPointersIn(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (InvalidOperationException)
        {
            il = null;
        }
        if (il is null) yield break;
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int i = 0;
        while (i < il.Length)
        {
            OpCode code;
            if (il[i] == 0xFE)
            {
                code = TwoByte[il[i + 1]];
                i += 2;
            }
            else
            {
                code = OneByte[il[i]];
                i += 1;
            }
            if (code == OpCodes.Ldftn)
            {
                int token = BitConverter.ToInt32(il, i);
                MethodBase? target = null;
                try
                {
                    target = method.Module.ResolveMethod(token, typeArguments, methodArguments);
                }
                catch (ArgumentException)
                {
                    // not resolvable in this context
                }
                if (target is not null) yield return target;
            }
            i += OperandSize(code, il, i);
        }
    }

    private static int OperandSize(OpCode code, byte[] il, int at) => code.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };
}
