namespace Scratch.Kernels.Cuda.Ops;

/// <summary>Argument checks shared by the launchers; messages name the op and the offending shapes.</summary>
internal static class ViewChecks
{
    public static string Describe(int[] shape) => $"[{string.Join(", ", shape)}]";

    public static void SameShape(string op, BufferView a, string aName, BufferView b, string bName)
    {
        if (!a.Shape.AsSpan().SequenceEqual(b.Shape))
            throw new ArgumentException($"{op}: {bName} {Describe(b.Shape)} does not match {aName} {Describe(a.Shape)}");
    }

    public static void SameDType(string op, BufferView a, string aName, BufferView b, string bName)
    {
        if (a.DType != b.DType)
            throw new ArgumentException($"{op}: {bName} is {b.DType.Name()} but {aName} is {a.DType.Name()}");
    }

    public static void HasDType(string op, BufferView view, string name, DType dtype)
    {
        if (view.DType != dtype)
            throw new ArgumentException($"{op}: {name} must be {dtype.Name()}, got {view.DType.Name()}");
    }

    public static void Floating(string op, BufferView view, string name)
    {
        if (!view.DType.IsFloatingPoint())
            throw new NotSupportedException($"{op}: {name} must be float32 or float64, got {view.DType.Name()}");
    }

    public static void Contiguous(string op, BufferView view, string name)
    {
        if (!view.IsContiguous)
            throw new ArgumentException($"{op}: {name} must be contiguous, got {view}");
    }

    public static void Rank(string op, BufferView view, string name, int rank)
    {
        if (view.Rank != rank)
            throw new ArgumentException($"{op}: {name} must have rank {rank}, got {Describe(view.Shape)}");
    }
}
