using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Max pooling over NCHW planes, in parallel over the N·C planes. The forward pass records, per output,
/// the flat index h·W + w of the first maximum in its window (a NaN counts as the maximum, the first NaN
/// wins); the backward pass scatters gy through those indices.
/// </summary>
internal static unsafe class MaxPool2dKernel
{
    /// <summary>y = max over each window, indices = where, as <see cref="IBackend.MaxPool2dForward"/> documents.</summary>
    public static void Forward(BufferView x, BufferView y, BufferView indices, Pool2dParams p)
    {
        var g = BackendContract.MaxPool2dForward(x, y, indices, p);
        if (x.DType == DType.Float32) Forward<float>(x, y, indices, g);
        else Forward<double>(x, y, indices, g);
    }

    /// <summary>gx = 0, then gx[plane, indices] += gy, as <see cref="IBackend.MaxPool2dBackward"/> documents.</summary>
    public static void Backward(BufferView gy, BufferView indices, BufferView gx, Pool2dParams p)
    {
        var g = BackendContract.MaxPool2dBackward(gy, indices, gx, p);
        if (gx.DType == DType.Float32) Backward<float>(gy, indices, gx, g);
        else Backward<double>(gy, indices, gx, g);
    }

    private static void Forward<T>(BufferView x, BufferView y, BufferView indices, PoolGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = &CpuBuffer.Of(x).Ref<T>())
        fixed (T* py = &CpuBuffer.Of(y).Ref<T>())
        fixed (int* pi = &CpuBuffer.Of(indices).Ref<int>())
        {
            T* xBase = px + x.Offset, yBase = py + y.Offset;
            int* iBase = pi + indices.Offset;
            bool twoByTwo = typeof(T) == typeof(float) && MaxPool2x2.Applies(g);
            CpuParallel.For(g.Planes, g.Grain, (start, end) =>
            {
                for (long plane = start; plane < end; plane++)
                {
                    T* input = xBase + plane * g.InputPlane, output = yBase + plane * g.OutputPlane;
                    int* where = iBase + plane * g.OutputPlane;
                    if (twoByTwo) MaxPool2x2.Plane((float*)input, (float*)output, where, g);
                    else ForwardPlane(input, output, where, g);
                }
            });
        }
    }

    private static void ForwardPlane<T>(T* x, T* y, int* indices, in PoolGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = g.P;
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            int h0 = oh * p.StrideH - p.PadH;
            int hStart = Math.Max(h0, 0), hEnd = Math.Min(h0 + p.KernelH, g.Height);
            for (int ow = 0; ow < g.OutWidth; ow++)
            {
                int w0 = ow * p.StrideW - p.PadW;
                int wStart = Math.Max(w0, 0), wEnd = Math.Min(w0 + p.KernelW, g.Width);
                T best = T.NegativeInfinity;
                int bestIndex = hStart * g.Width + wStart;
                for (int h = hStart; h < hEnd; h++)
                {
                    T* row = x + (long)h * g.Width;
                    for (int w = wStart; w < wEnd; w++)
                    {
                        T value = row[w];
                        // Strictly greater keeps the first maximum; the first NaN ends the search.
                        if (value > best || T.IsNaN(value))
                        {
                            best = value;
                            bestIndex = h * g.Width + w;
                            if (T.IsNaN(value)) goto Found;
                        }
                    }
                }
            Found:
                int at = oh * g.OutWidth + ow;
                y[at] = best;
                indices[at] = bestIndex;
            }
        }
    }

    private static void Backward<T>(BufferView gy, BufferView indices, BufferView gx, PoolGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pgy = &CpuBuffer.Of(gy).Ref<T>())
        fixed (int* pi = &CpuBuffer.Of(indices).Ref<int>())
        fixed (T* pgx = &CpuBuffer.Of(gx).Ref<T>())
        {
            T* gyBase = pgy + gy.Offset, gxBase = pgx + gx.Offset;
            int* iBase = pi + indices.Offset;
            // Check every index up front: the scatter below writes through raw pointers.
            long total = (long)g.Planes * g.OutputPlane;
            for (long i = 0; i < total; i++)
            {
                if ((uint)iBase[i] >= (uint)g.InputPlane)
                    throw new ArgumentOutOfRangeException(nameof(indices), $"max_pool2d backward: index {iBase[i]} at element {i} is outside a {g.Height}x{g.Width} plane");
            }
            bool twoByTwo = typeof(T) == typeof(float) && MaxPool2x2.Applies(g);
            CpuParallel.For(g.Planes, g.Grain, (start, end) =>
            {
                for (long plane = start; plane < end; plane++)
                {
                    T* gradIn = gxBase + plane * g.InputPlane;
                    T* gradOut = gyBase + plane * g.OutputPlane;
                    int* where = iBase + plane * g.OutputPlane;
                    if (twoByTwo && MaxPool2x2.BackwardPlane((float*)gradOut, where, (float*)gradIn, g)) continue;
                    new Span<T>(gradIn, g.InputPlane).Clear();
                    for (int i = 0; i < g.OutputPlane; i++) gradIn[where[i]] += gradOut[i];
                }
            });
        }
    }
}
