using Scratch.Kernels.Cuda.Runtime;
using static Scratch.Kernels.Cuda.Ops.ViewChecks;

namespace Scratch.Kernels.Cuda.Ops;

/// <summary>
/// Launchers of softmax / log-softmax over contiguous [outer, n, inner]: a warp per row for rows of
/// up to 1024 (inner = 1), a block per row beyond, and a thread per column when inner &gt; 1.
/// </summary>
internal static class SoftmaxOps
{
    public static void Forward(IKernelHost backend, BufferView x, BufferView y, bool log)
    {
        var (outer, n, inner) = Check("softmax", x, "x", y, "y");
        if (outer * n * inner == 0) return;
        Launch(backend, "softmax", x.DType, outer, n, inner, log, [backend.Address(x), backend.Address(y)]);
    }

    public static void Backward(IKernelHost backend, BufferView y, BufferView gy, BufferView gx, bool log)
    {
        var (outer, n, inner) = Check("softmax backward", y, "y", gy, "gy");
        SameShape("softmax backward", y, "y", gx, "gx");
        SameDType("softmax backward", y, "y", gx, "gx");
        Contiguous("softmax backward", gx, "gx");
        if (outer * n * inner == 0) return;
        Launch(backend, "softmax_backward", y.DType, outer, n, inner, log, [backend.Address(y), backend.Address(gy), backend.Address(gx)]);
    }

    private static void Launch(IKernelHost backend, string kernel, DType dtype, long outer, int n, long inner, bool log, ulong[] pointers)
    {
        var args = new KernelArguments();
        foreach (var pointer in pointers) args.Add(pointer);
        string type = KernelName.CppType(dtype);
        if (inner > 1)
        {
            args.Add(outer);
            args.Add(n);
            args.Add(inner);
            args.Add(log ? 1 : 0);
            backend.Launch(KernelCatalog.Softmax, KernelName.Of($"{kernel}_columns", type), ElementwiseOps.Linear(backend, outer * inner), ref args);
            return;
        }
        args.Add(outer);
        args.Add(n);
        args.Add(log ? 1 : 0);
        if (n <= 1024)
        {
            const int warps = 8;
            uint grid = (uint)Math.Min((outer + warps - 1) / warps, backend.GridFor(outer * 32, 32 * warps));
            backend.Launch(KernelCatalog.Softmax, KernelName.Of($"{kernel}_rows_warp", type), LaunchShape.Linear(grid, 32 * warps), ref args);
        }
        else
        {
            uint grid = (uint)Math.Min(outer, int.MaxValue);
            backend.Launch(KernelCatalog.Softmax, KernelName.Of($"{kernel}_rows_block", type), LaunchShape.Linear(grid, 512), ref args);
        }
    }

    private static (long Outer, int N, long Inner) Check(string op, BufferView a, string aName, BufferView b, string bName)
    {
        SameShape(op, a, aName, b, bName);
        SameDType(op, a, aName, b, bName);
        Floating(op, a, aName);
        Rank(op, a, aName, 3);
        Contiguous(op, a, aName);
        Contiguous(op, b, bName);
        return (a.Shape[0], a.Shape[1], a.Shape[2]);
    }
}
