using Scratch.Kernels.Cuda.Runtime;
using static Scratch.Kernels.Cuda.Ops.ViewChecks;

namespace Scratch.Kernels.Cuda.Ops;

/// <summary>Launchers of the fused SGD and Adam/AdamW steps over contiguous parameters.</summary>
internal static class OptimizerOps
{
    public static void Sgd(IKernelHost backend, BufferView param, BufferView grad, BufferView? momentumBuffer, SgdUpdateParams p)
    {
        const string op = "sgd_update";
        CheckPair(op, param, grad, "grad");
        if (p.Momentum != 0)
        {
            if (momentumBuffer is not { } buffer) throw new ArgumentException($"{op}: momentum {p.Momentum} needs a momentum buffer");
            CheckPair(op, param, buffer, "momentumBuffer");
        }
        long n = param.Count;
        if (n == 0) return;
        var args = new KernelArguments();
        args.Add(backend.Address(param));
        args.Add(backend.Address(grad));
        args.Add(momentumBuffer is { } m && p.Momentum != 0 ? backend.Address(m) : 0UL);
        args.Add(n);
        args.Add(p.Lr);
        args.Add(p.Momentum);
        args.Add(1 - p.Dampening);
        args.Add(p.WeightDecay);
        args.Add(p.Nesterov ? 1 : 0);
        args.Add(p.FirstStep ? 1 : 0);
        backend.Launch(KernelCatalog.Optimizers, KernelName.Of("sgd_update", KernelName.CppType(param.DType)), ElementwiseOps.Linear(backend, n), ref args);
    }

    public static void Adam(IKernelHost backend, BufferView param, BufferView grad, BufferView m, BufferView v, BufferView? maxV, AdamUpdateParams p)
    {
        const string op = "adam_update";
        CheckPair(op, param, grad, "grad");
        CheckPair(op, param, m, "m");
        CheckPair(op, param, v, "v");
        if (p.Amsgrad)
        {
            if (maxV is not { } max) throw new ArgumentException($"{op}: AMSGrad needs the maxV buffer");
            CheckPair(op, param, max, "maxV");
        }
        if (p.Step < 1) throw new ArgumentOutOfRangeException(nameof(p), p.Step, $"{op}: step counts from 1");
        long n = param.Count;
        if (n == 0) return;
        var args = new KernelArguments();
        args.Add(backend.Address(param));
        args.Add(backend.Address(grad));
        args.Add(backend.Address(m));
        args.Add(backend.Address(v));
        args.Add(maxV is { } mv && p.Amsgrad ? backend.Address(mv) : 0UL);
        args.Add(n);
        args.Add(p.Beta1);
        args.Add(p.Beta2);
        args.Add(1 - p.Beta1);
        args.Add(1 - p.Beta2);
        args.Add(p.Eps);
        args.Add(p.WeightDecay);
        args.Add(1 - p.Lr * p.WeightDecay);
        args.Add(p.Lr / (1 - Math.Pow(p.Beta1, p.Step)));
        args.Add(Math.Sqrt(1 - Math.Pow(p.Beta2, p.Step)));
        args.Add(p.WeightDecay == 0 ? 0 : (p.Decoupled ? 2 : 1));
        args.Add(p.Amsgrad ? 1 : 0);
        backend.Launch(KernelCatalog.Optimizers, KernelName.Of("adam_update", KernelName.CppType(param.DType)), ElementwiseOps.Linear(backend, n), ref args);
    }

    private static void CheckPair(string op, BufferView param, BufferView other, string name)
    {
        Floating(op, param, "param");
        SameShape(op, param, "param", other, name);
        SameDType(op, param, "param", other, name);
        Contiguous(op, param, "param");
        Contiguous(op, other, name);
    }
}
