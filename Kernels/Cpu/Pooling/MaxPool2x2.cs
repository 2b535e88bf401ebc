using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Max pooling with the most common geometry, a 2×2 window at stride 2 without padding, for float32:
/// four outputs at a time with SSE. The general loop branches on every comparison, and on real
/// activations half of those branches are mispredicted; here each window is four vector compares and
/// selects. The rule is the general kernel's: the first maximum in row-major window order wins, and a
/// NaN counts as the maximum (the first NaN wins).
/// </summary>
internal static unsafe class MaxPool2x2
{
    /// <summary>True when the fast path handles <paramref name="g"/>.</summary>
    public static bool Applies(in PoolGeometry g) =>
        Sse.IsSupported && g.P is { KernelH: 2, KernelW: 2, StrideH: 2, StrideW: 2, PadH: 0, PadW: 0 }
        && 2 * g.OutHeight <= g.Height && 2 * g.OutWidth <= g.Width;

    /// <summary>Pools one plane: <paramref name="x"/> [H, W] into <paramref name="y"/> and <paramref name="indices"/> [OH, OW].</summary>
    public static void Plane(float* x, float* y, int* indices, in PoolGeometry g)
    {
        int width = g.Width, outWidth = g.OutWidth;
        var lane = Vector128.Create(0, 2, 4, 6);
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            float* top = x + 2L * oh * width, bottom = top + width;
            float* yRow = y + (long)oh * outWidth;
            int* iRow = indices + (long)oh * outWidth;
            int rowStart = 2 * oh * width;
            int ow = 0;
            for (; ow + 4 <= outWidth; ow += 4)
            {
                // Even and odd columns of the eight inputs under four windows, in both rows.
                var t0 = Sse.LoadVector128(top + 2 * ow);
                var t1 = Sse.LoadVector128(top + 2 * ow + 4);
                var b0 = Sse.LoadVector128(bottom + 2 * ow);
                var b1 = Sse.LoadVector128(bottom + 2 * ow + 4);
                var topLeft = Sse.Shuffle(t0, t1, 0b10_00_10_00);
                var topRight = Sse.Shuffle(t0, t1, 0b11_01_11_01);
                var bottomLeft = Sse.Shuffle(b0, b1, 0b10_00_10_00);
                var bottomRight = Sse.Shuffle(b0, b1, 0b11_01_11_01);

                var index = Vector128.Create(rowStart + 2 * ow) + lane;
                var best = topLeft;
                var at = index;
                Take(ref best, ref at, topRight, index + Vector128.Create(1));
                Take(ref best, ref at, bottomLeft, index + Vector128.Create(width));
                Take(ref best, ref at, bottomRight, index + Vector128.Create(width + 1));
                best.Store(yRow + ow);
                at.Store(iRow + ow);
            }
            for (; ow < outWidth; ow++) Scalar(top, bottom, rowStart, width, ow, out yRow[ow], out iRow[ow]);
        }
    }

    /// <summary>
    /// The gradient of one plane: each input cell lies in at most one window, so every cell of
    /// <paramref name="gx"/> is written once, in order — gy where the window chose it, zero elsewhere —
    /// instead of clearing the plane and scattering gy through the indices. Returns false, with the
    /// plane unfinished, when an index lies outside its window (indices not made by the forward pass);
    /// the caller then scatters that plane the general way.
    /// </summary>
    public static bool BackwardPlane(float* gy, int* indices, float* gx, in PoolGeometry g)
    {
        int width = g.Width, outWidth = g.OutWidth;
        var lane = Vector128.Create(0, 2, 4, 6);
        var zero = Vector128<float>.Zero;
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            float* top = gx + 2L * oh * width, bottom = top + width;
            float* gyRow = gy + (long)oh * outWidth;
            int* iRow = indices + (long)oh * outWidth;
            int rowStart = 2 * oh * width;
            // Four windows at a time, without branches (which cell a window chose is data, and a branch on
            // it is mispredicted half the time): each cell takes gy where its offset in the window matches.
            var inWindow = Vector128<int>.AllBitsSet;
            int ow = 0;
            for (; ow + 4 <= outWidth; ow += 4)
            {
                var offset = Vector128.Load(iRow + ow) - (Vector128.Create(rowStart + 2 * ow) + lane);
                // 0 + gy, as the scatter computed it (turns a −0 gradient into +0 the same way).
                var value = zero + Vector128.Load(gyRow + ow);
                var topLeft = Vector128.ConditionalSelect(Vector128.Equals(offset, Vector128<int>.Zero).AsSingle(), value, zero);
                var topRight = Vector128.ConditionalSelect(Vector128.Equals(offset, Vector128.Create(1)).AsSingle(), value, zero);
                var bottomLeft = Vector128.ConditionalSelect(Vector128.Equals(offset, Vector128.Create(width)).AsSingle(), value, zero);
                var bottomRight = Vector128.ConditionalSelect(Vector128.Equals(offset, Vector128.Create(width + 1)).AsSingle(), value, zero);
                inWindow &= Vector128.LessThanOrEqual(offset.AsUInt32(), Vector128.Create(1u)).AsInt32()
                    | Vector128.LessThanOrEqual((offset - Vector128.Create(width)).AsUInt32(), Vector128.Create(1u)).AsInt32();
                Sse.UnpackLow(topLeft, topRight).Store(top + 2 * ow);
                Sse.UnpackHigh(topLeft, topRight).Store(top + 2 * ow + 4);
                Sse.UnpackLow(bottomLeft, bottomRight).Store(bottom + 2 * ow);
                Sse.UnpackHigh(bottomLeft, bottomRight).Store(bottom + 2 * ow + 4);
            }
            if (inWindow != Vector128<int>.AllBitsSet) return false;
            for (; ow < outWidth; ow++)
            {
                int c = 2 * ow, chosen = iRow[ow] - rowStart;
                if (chosen != c && chosen != c + 1 && chosen != width + c && chosen != width + c + 1) return false;
                float value = 0f + gyRow[ow];
                top[c] = chosen == c ? value : 0f;
                top[c + 1] = chosen == c + 1 ? value : 0f;
                bottom[c] = chosen == width + c ? value : 0f;
                bottom[c + 1] = chosen == width + c + 1 ? value : 0f;
            }
            // An odd width leaves a last column that no window covers.
            for (int w = 2 * outWidth; w < width; w++) top[w] = bottom[w] = 0f;
        }
        // Likewise an odd height leaves a last row.
        for (long at = 2L * g.OutHeight * width; at < (long)g.Height * width; at++) gx[at] = 0f;
        return true;
    }

    /// <summary>Replaces (best, at) by (candidate, index) where the candidate is larger, or is the first NaN.</summary>
    private static void Take(ref Vector128<float> best, ref Vector128<int> at, Vector128<float> candidate, Vector128<int> index)
    {
        var greater = Vector128.GreaterThan(candidate, best);
        var candidateNaN = ~Vector128.Equals(candidate, candidate);
        var bestNaN = ~Vector128.Equals(best, best);
        var take = greater | Vector128.AndNot(candidateNaN, bestNaN);
        best = Vector128.ConditionalSelect(take, candidate, best);
        at = Vector128.ConditionalSelect(take.AsInt32(), index, at);
    }

    private static void Scalar(float* top, float* bottom, int rowStart, int width, int ow, out float best, out int at)
    {
        int c = 2 * ow;
        best = top[c];
        at = rowStart + c;
        TakeScalar(ref best, ref at, top[c + 1], rowStart + c + 1);
        TakeScalar(ref best, ref at, bottom[c], rowStart + width + c);
        TakeScalar(ref best, ref at, bottom[c + 1], rowStart + width + c + 1);
    }

    private static void TakeScalar(ref float best, ref int at, float candidate, int index)
    {
        if (candidate > best || (float.IsNaN(candidate) && !float.IsNaN(best)))
        {
            best = candidate;
            at = index;
        }
    }
}
