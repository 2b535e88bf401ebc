namespace Scratch.Kernels;

internal static partial class BackendContract
{
    /// <summary><see cref="IBackend.MaxPool2dForward"/>: x, y contiguous NCHW of one floating dtype and matching sizes; indices int32 shaped as y.</summary>
    public static PoolGeometry MaxPool2dForward(BufferView x, BufferView y, BufferView indices, Pool2dParams p)
    {
        var g = PoolGeometry.Create("max_pool2d", x, "x", y, "y", p);
        PoolGeometry.RequireIndices("max_pool2d", indices, y, "y");
        return g;
    }

    /// <summary><see cref="IBackend.MaxPool2dBackward"/>: as the forward with gx for x and gy for y (the indices' values are checked by the backends).</summary>
    public static PoolGeometry MaxPool2dBackward(BufferView gy, BufferView indices, BufferView gx, Pool2dParams p)
    {
        var g = PoolGeometry.Create("max_pool2d backward", gx, "gx", gy, "gy", p);
        PoolGeometry.RequireIndices("max_pool2d backward", indices, gy, "gy");
        return g;
    }

    /// <summary><see cref="IBackend.AvgPool2dForward"/>.</summary>
    public static PoolGeometry AvgPool2dForward(BufferView x, BufferView y, Pool2dParams p) => PoolGeometry.Create("avg_pool2d", x, "x", y, "y", p);

    /// <summary><see cref="IBackend.AvgPool2dBackward"/>.</summary>
    public static PoolGeometry AvgPool2dBackward(BufferView gy, BufferView gx, Pool2dParams p) => PoolGeometry.Create("avg_pool2d backward", gx, "gx", gy, "gy", p);
}
