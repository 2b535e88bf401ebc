namespace Scratch.Kernels.Gpu.Ops;

/// <summary>Launchers of the indexing primitives.</summary>
internal static class IndexingOps
{
    public static void Gather(GpuBackend backend, BufferView x, BufferView index, BufferView y) => throw ElementwiseOps.NotYet("gather");

    public static void ScatterAdd(GpuBackend backend, BufferView src, BufferView index, BufferView y) => throw ElementwiseOps.NotYet("scatter add");

    public static void IndexSelect(GpuBackend backend, BufferView x, BufferView index, BufferView y) => throw ElementwiseOps.NotYet("index select");

    public static void IndexAdd(GpuBackend backend, BufferView src, BufferView index, BufferView y) => throw ElementwiseOps.NotYet("index add");

    public static void OneHot(GpuBackend backend, BufferView index, BufferView y) => throw ElementwiseOps.NotYet("one hot");
}
