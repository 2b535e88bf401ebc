namespace Scratch.Kernels.Gpu.Ops;

/// <summary>Launchers of the convolution primitives.</summary>
internal static class ConvolutionOps
{
    public static void Forward(GpuBackend backend, BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dParams p) => throw ElementwiseOps.NotYet("conv2d");

    public static void BackwardData(GpuBackend backend, BufferView gy, BufferView w, BufferView gx, Conv2dParams p) => throw ElementwiseOps.NotYet("conv2d backward data");

    public static void BackwardWeight(GpuBackend backend, BufferView x, BufferView gy, BufferView gw, Conv2dParams p) => throw ElementwiseOps.NotYet("conv2d backward weight");
}
