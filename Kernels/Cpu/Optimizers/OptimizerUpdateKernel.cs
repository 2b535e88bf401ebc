using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Fused SGD and Adam/AdamW steps, in place over contiguous float32/float64 tensors, following
/// PyTorch's documented update rules (<see cref="SgdUpdateParams"/>, <see cref="AdamUpdateParams"/>).
/// Per-step constants are computed once in float64 and rounded to the element type; each element is
/// updated independently, so the parallel split cannot change the result.
/// </summary>
/// <remarks>
/// Adam is arranged as PyTorch's implementation: p ← p − (lr / (1 − β1^t))·(m / (√v / √(1 − β2^t) + eps)),
/// which equals the documented m̂ / (√v̂ + eps) form; AdamW first scales p by 1 − lr·wd.
/// </remarks>
internal static class OptimizerUpdateKernel
{
    /// <summary>Smallest chunk worth a thread.</summary>
    private const long MinGrain = 16 * 1024;

    public static void Sgd(BufferView param, BufferView grad, BufferView? momentumBuffer, SgdUpdateParams p)
    {
        bool momentum = BackendContract.SgdUpdate(param, grad, momentumBuffer, p);
        if (param.DType == DType.Float32) Sgd<float>(param, grad, momentum ? momentumBuffer : null, p);
        else Sgd<double>(param, grad, momentum ? momentumBuffer : null, p);
    }

    public static void Adam(BufferView param, BufferView grad, BufferView m, BufferView v, BufferView? maxV, AdamUpdateParams p)
    {
        BackendContract.AdamUpdate(param, grad, m, v, maxV, p);
        if (param.DType == DType.Float32) Adam<float>(param, grad, m, v, p.Amsgrad ? maxV : null, p);
        else Adam<double>(param, grad, m, v, p.Amsgrad ? maxV : null, p);
    }

    private static void Sgd<T>(BufferView paramView, BufferView gradView, BufferView? bufferView, SgdUpdateParams p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] param = CpuViews.Array<T>(paramView), grad = CpuViews.Array<T>(gradView);
        T[] buffer = bufferView is { } b ? CpuViews.Array<T>(b) : param;
        int po = (int)paramView.Offset, go = (int)gradView.Offset, bo = bufferView is { } bb ? (int)bb.Offset : po;
        var k = new SgdConstants<T>(p, bufferView is not null);
        CpuParallel.ForBalanced(paramView.Count, MinGrain, (start, end) =>
        {
            int s = (int)start, n = (int)(end - start);
            SgdRange(param.AsSpan(po + s, n), grad.AsSpan(go + s, n), buffer.AsSpan(bo + s, n), k);
        });
    }

    /// <summary>SGD's per-step scalars in the element type (also the GPU kernel's).</summary>
    internal readonly struct SgdConstants<T>(SgdUpdateParams p, bool momentum) where T : unmanaged, IFloatingPointIeee754<T>
    {
        public readonly T Lr = T.CreateTruncating(p.Lr);
        public readonly T WeightDecay = T.CreateTruncating(p.WeightDecay);
        public readonly T Momentum = T.CreateTruncating(p.Momentum);
        public readonly T OneMinusDampening = T.CreateTruncating(1 - p.Dampening);
        public readonly bool Decay = p.WeightDecay != 0;
        public readonly bool UseMomentum = momentum;
        public readonly bool First = p.FirstStep;
        public readonly bool Nesterov = p.Nesterov;
    }

    private static void SgdRange<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> buffer, in SgdConstants<T> k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T pr = ref MemoryMarshal.GetReference(param);
        ref T gr = ref MemoryMarshal.GetReference(grad);
        ref T br = ref MemoryMarshal.GetReference(buffer);
        int n = param.Length, i = 0;
        if (Vector512.IsHardwareAccelerated) i = SgdSteps<T, Vector512x<T>>(ref pr, ref gr, ref br, i, n, k);
        if (Vector256.IsHardwareAccelerated) i = SgdSteps<T, Vector256x<T>>(ref pr, ref gr, ref br, i, n, k);
        SgdSteps<T, Scalar<T>>(ref pr, ref gr, ref br, i, n, k);
    }

    /// <summary>SGD on elements [i, n) in whole vectors of <typeparamref name="TV"/>; returns where it stopped.</summary>
    private static int SgdSteps<T, TV>(ref T pr, ref T gr, ref T br, int i, int n, in SgdConstants<T> k)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimdVector<TV, T>
    {
        TV lr = TV.Create(k.Lr), wd = TV.Create(k.WeightDecay);
        TV mu = TV.Create(k.Momentum), keep = TV.Create(k.OneMinusDampening);
        for (; i + TV.Count <= n; i += TV.Count)
        {
            var pv = TV.Load(ref pr, i);
            var g = TV.Load(ref gr, i);
            if (k.Decay) g += wd * pv;
            if (k.UseMomentum)
            {
                var buf = k.First ? g : mu * TV.Load(ref br, i) + keep * g;
                buf.Store(ref br, i);
                g = k.Nesterov ? g + mu * buf : buf;
            }
            (pv - lr * g).Store(ref pr, i);
        }
        return i;
    }

    private static void Adam<T>(BufferView paramView, BufferView gradView, BufferView mView, BufferView vView, BufferView? maxView, AdamUpdateParams p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] param = CpuViews.Array<T>(paramView), grad = CpuViews.Array<T>(gradView);
        T[] m = CpuViews.Array<T>(mView), v = CpuViews.Array<T>(vView);
        T[] max = maxView is { } mx ? CpuViews.Array<T>(mx) : v;
        int po = (int)paramView.Offset, go = (int)gradView.Offset, mo = (int)mView.Offset, vo = (int)vView.Offset;
        int xo = maxView is { } mxv ? (int)mxv.Offset : vo;
        var k = new AdamConstants<T>(p);
        CpuParallel.ForBalanced(paramView.Count, MinGrain, (start, end) =>
        {
            int s = (int)start, n = (int)(end - start);
            AdamRange(param.AsSpan(po + s, n), grad.AsSpan(go + s, n), m.AsSpan(mo + s, n), v.AsSpan(vo + s, n), max.AsSpan(xo + s, n), k);
        });
    }

    /// <summary>Adam's per-step scalars in the element type (PyTorch's arrangement of the bias corrections; also the GPU kernel's).</summary>
    internal readonly struct AdamConstants<T>(AdamUpdateParams p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        public readonly T Beta1 = T.CreateTruncating(p.Beta1);
        public readonly T OneMinusBeta1 = T.CreateTruncating(1 - p.Beta1);
        public readonly T Beta2 = T.CreateTruncating(p.Beta2);
        public readonly T OneMinusBeta2 = T.CreateTruncating(1 - p.Beta2);
        public readonly T Eps = T.CreateTruncating(p.Eps);
        public readonly T WeightDecay = T.CreateTruncating(p.WeightDecay);
        /// <summary>AdamW's p ·= 1 − lr·wd.</summary>
        public readonly T DecayFactor = T.CreateTruncating(1 - p.Lr * p.WeightDecay);
        /// <summary>lr / (1 − β1^t).</summary>
        public readonly T StepSize = T.CreateTruncating(p.Lr / (1 - Math.Pow(p.Beta1, p.Step)));
        /// <summary>√(1 − β2^t): denominator = √v / this + eps.</summary>
        public readonly T Correction2Sqrt = T.CreateTruncating(Math.Sqrt(1 - Math.Pow(p.Beta2, p.Step)));
        public readonly bool L2 = !p.Decoupled && p.WeightDecay != 0;
        public readonly bool Decoupled = p.Decoupled && p.WeightDecay != 0;
        public readonly bool Amsgrad = p.Amsgrad;
    }

    private static void AdamRange<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> m, Span<T> v, Span<T> max, in AdamConstants<T> k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T pr = ref MemoryMarshal.GetReference(param);
        ref T gr = ref MemoryMarshal.GetReference(grad);
        ref T mr = ref MemoryMarshal.GetReference(m);
        ref T vr = ref MemoryMarshal.GetReference(v);
        ref T xr = ref MemoryMarshal.GetReference(max);
        int n = param.Length, i = 0;
        if (Vector512.IsHardwareAccelerated) i = AdamSteps<T, Vector512x<T>>(ref pr, ref gr, ref mr, ref vr, ref xr, i, n, k);
        if (Vector256.IsHardwareAccelerated) i = AdamSteps<T, Vector256x<T>>(ref pr, ref gr, ref mr, ref vr, ref xr, i, n, k);
        AdamSteps<T, Scalar<T>>(ref pr, ref gr, ref mr, ref vr, ref xr, i, n, k);
    }

    /// <summary>Adam on elements [i, n) in whole vectors of <typeparamref name="TV"/>; returns where it stopped.</summary>
    private static int AdamSteps<T, TV>(ref T pr, ref T gr, ref T mr, ref T vr, ref T xr, int i, int n, in AdamConstants<T> k)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimdVector<TV, T>
    {
        TV b1 = TV.Create(k.Beta1), c1 = TV.Create(k.OneMinusBeta1);
        TV b2 = TV.Create(k.Beta2), c2 = TV.Create(k.OneMinusBeta2);
        TV eps = TV.Create(k.Eps), wd = TV.Create(k.WeightDecay), decay = TV.Create(k.DecayFactor);
        TV step = TV.Create(k.StepSize), corr = TV.Create(k.Correction2Sqrt);
        for (; i + TV.Count <= n; i += TV.Count)
        {
            var pv = TV.Load(ref pr, i);
            var g = TV.Load(ref gr, i);
            if (k.Decoupled) pv *= decay;
            else if (k.L2) g += wd * pv;
            var mv = b1 * TV.Load(ref mr, i) + c1 * g;
            var vv = b2 * TV.Load(ref vr, i) + c2 * (g * g);
            mv.Store(ref mr, i);
            vv.Store(ref vr, i);
            if (k.Amsgrad)
            {
                vv = TV.Max(TV.Load(ref xr, i), vv);
                vv.Store(ref xr, i);
            }
            (pv - step * (mv / (TV.Sqrt(vv) / corr + eps))).Store(ref pr, i);
        }
        return i;
    }
}
