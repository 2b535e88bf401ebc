namespace Scratch.Kernels.Cpu;

/// <summary>Placeholder until implemented.</summary>
internal static class BatchNormKernel
{
    public static void ForwardTraining(BufferView x, BufferView? weight, BufferView? bias, BufferView y, BufferView saveMean, BufferView saveInvStd, BufferView? runningMean, BufferView? runningVar, double momentum, double eps) => throw new NotImplementedException("BatchNormKernel");
    public static void ForwardInference(BufferView x, BufferView? weight, BufferView? bias, BufferView mean, BufferView variance, BufferView y, double eps) => throw new NotImplementedException("BatchNormKernel");
    public static void Backward(BufferView x, BufferView gy, BufferView? weight, BufferView saveMean, BufferView saveInvStd, BufferView gx, BufferView? gWeight, BufferView? gBias) => throw new NotImplementedException("BatchNormKernel");
}
