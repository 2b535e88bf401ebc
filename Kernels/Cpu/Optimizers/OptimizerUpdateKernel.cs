namespace Scratch.Kernels.Cpu;

/// <summary>Placeholder until implemented.</summary>
internal static class OptimizerUpdateKernel
{
    public static void Sgd(BufferView param, BufferView grad, BufferView? momentumBuffer, SgdUpdateParams p) => throw new NotImplementedException("OptimizerUpdateKernel");
    public static void Adam(BufferView param, BufferView grad, BufferView m, BufferView v, BufferView? maxV, AdamUpdateParams p) => throw new NotImplementedException("OptimizerUpdateKernel");
}
