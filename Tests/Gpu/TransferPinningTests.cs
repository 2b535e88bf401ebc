using NUnit.Framework;
using Scratch.Kernels.Gpu;

namespace Scratch.Tests.Gpu;

/// <summary>
/// Uploads and downloads copy through a raw pointer to host memory, so the backend must pin managed arrays for
/// the copy: while a background thread keeps the GC compacting, thousands of small round trips (arrays on the
/// small-object heap, which gen-0 collections move) must all come back intact. Without pinning some came back as
/// zeros (a download written to where the array used to be).
/// </summary>
[TestFixture, Category("GpuSimulator")]
public class TransferPinningTests
{
    [Test]
    public void RoundTripsSurviveACompactingGarbageCollector()
    {
        var gpu = GpuRuntime.Simulator;
        var buffer = gpu.Allocate(DType.Float32, 4096);
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                _ = new byte[256]; // garbage to move
                GC.Collect(0, GCCollectionMode.Forced, blocking: true, compacting: true);
            }
        }) { IsBackground = true };
        collector.Start();
        int bad = 0;
        try
        {
            for (int round = 0; round < 4000 && bad == 0; round++)
            {
                int n = 512 + round % 3584;
                var sent = new float[n];
                for (int i = 0; i < n; i++) sent[i] = round + i + 1;
                gpu.Upload<float>(sent, buffer, 0);
                var back = new float[n];
                gpu.Download<float>(buffer, 0, back);
                for (int i = 0; i < n; i++) if (back[i] != sent[i]) { bad++; break; }
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
            buffer.Release();
        }
        Assert.That(bad, Is.Zero, "round trips that came back changed");
    }
}
