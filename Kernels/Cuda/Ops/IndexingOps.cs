using Scratch.Kernels.Cuda.Runtime;
using static Scratch.Kernels.Cuda.Ops.ViewChecks;

namespace Scratch.Kernels.Cuda.Ops;

/// <summary>
/// Launchers of gather / scatter-add / index-select / index-add / one-hot. Out-of-range indices are
/// reported by the kernels through the device error word and thrown at the next synchronisation.
/// </summary>
internal static class IndexingOps
{
    public static void Gather(IKernelHost backend, BufferView x, BufferView index, BufferView y)
    {
        const string op = "gather";
        Check3(op, x, "x", index, y, "y");
        SameShape(op, y, "y", index, "index");
        SameOuterInner(op, x, "x", y);
        Launch(backend, "gather", x, index, y, x.Shape[1], y.Shape[1], y.Count);
    }

    public static void ScatterAdd(IKernelHost backend, BufferView src, BufferView index, BufferView y)
    {
        const string op = "scatter_add";
        Check3(op, src, "src", index, y, "y");
        SameShape(op, src, "src", index, "index");
        SameOuterInner(op, src, "src", y);
        Launch(backend, "scatter_add", src, index, y, y.Shape[1], src.Shape[1], (long)src.Shape[0] * src.Shape[2]);
    }

    public static void IndexSelect(IKernelHost backend, BufferView x, BufferView index, BufferView y)
    {
        const string op = "index_select";
        Check3(op, x, "x", index, y, "y");
        CheckIndexVector(op, index, y.Shape[1]);
        SameOuterInner(op, x, "x", y);
        Launch(backend, "index_select", x, index, y, x.Shape[1], y.Shape[1], y.Count);
    }

    public static void IndexAdd(IKernelHost backend, BufferView src, BufferView index, BufferView y)
    {
        const string op = "index_add";
        Check3(op, src, "src", index, y, "y");
        CheckIndexVector(op, index, src.Shape[1]);
        SameOuterInner(op, src, "src", y);
        Launch(backend, "index_add", src, index, y, y.Shape[1], src.Shape[1], (long)src.Shape[0] * src.Shape[2]);
    }

    public static void OneHot(IKernelHost backend, BufferView index, BufferView y)
    {
        const string op = "one_hot";
        HasDType(op, index, "index", DType.Int32);
        Rank(op, index, "index", 1);
        Rank(op, y, "y", 2);
        Contiguous(op, index, "index");
        Contiguous(op, y, "y");
        if (y.Shape[0] != index.Shape[0])
            throw new ArgumentException($"{op}: y {Describe(y.Shape)} must have {index.Shape[0]} rows, one per index");
        long total = y.Count;
        if (total == 0) return;
        var args = new KernelArguments();
        args.Add(backend.Address(index));
        args.Add(backend.Address(y));
        args.Add((long)y.Shape[0]);
        args.Add(y.Shape[1]);
        args.Add(backend.ErrorWord);
        backend.Launch(KernelCatalog.Indexing, KernelName.Of("one_hot", KernelName.CppType(y.DType)), ElementwiseOps.Linear(backend, total), ref args);
    }

    // Kernels take (source, index, destination, outer, n, m, inner, error) and run `threads` threads.
    private static void Launch(IKernelHost backend, string kernel, BufferView source, BufferView index, BufferView destination, int n, int m, long threads)
    {
        if (threads == 0 || m == 0) return;
        var args = new KernelArguments();
        args.Add(backend.Address(source));
        args.Add(backend.Address(index));
        args.Add(backend.Address(destination));
        args.Add((long)source.Shape[0]);
        args.Add(n);
        args.Add(m);
        args.Add((long)source.Shape[2]);
        args.Add(backend.ErrorWord);
        backend.Launch(KernelCatalog.Indexing, KernelName.Of(kernel, KernelName.CppType(source.DType)), ElementwiseOps.Linear(backend, threads), ref args);
    }

    private static void Check3(string op, BufferView data, string dataName, BufferView index, BufferView y, string yName)
    {
        SameDType(op, data, dataName, y, yName);
        HasDType(op, index, "index", DType.Int32);
        Rank(op, data, dataName, 3);
        Rank(op, y, yName, 3);
        Contiguous(op, data, dataName);
        Contiguous(op, index, "index");
        Contiguous(op, y, yName);
    }

    // The data view and y are [outer, ·, inner] with the same outer and inner.
    private static void SameOuterInner(string op, BufferView data, string dataName, BufferView y)
    {
        if (data.Shape[0] != y.Shape[0] || data.Shape[2] != y.Shape[2])
            throw new ArgumentException($"{op}: {dataName} {Describe(data.Shape)} and y {Describe(y.Shape)} must agree in dims 0 and 2");
    }

    private static void CheckIndexVector(string op, BufferView index, int m)
    {
        Rank(op, index, "index", 1);
        if (index.Shape[0] != m)
            throw new ArgumentException($"{op}: index {Describe(index.Shape)} must have {m} elements");
    }
}
