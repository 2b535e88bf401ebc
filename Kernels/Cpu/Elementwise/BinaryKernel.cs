namespace Scratch.Kernels.Cpu;

/// <summary>y = f(a, b) for every <see cref="BinaryOp"/>, all dtypes (Pow floating only).</summary>
internal static class BinaryKernel
{
    public static void Run(BinaryOp op, BufferView a, BufferView b, BufferView y)
    {
        string name = $"binary {op}";
        BackendContract.Binary(op, a, b, y);
        BinaryDispatch.Run(name, op, a.DType, new Views(a, b, y));
    }

    private readonly struct Views(BufferView a, BufferView b, BufferView y) : IBinaryOpTarget
    {
        public void Run<T, TOp>(TOp op) where T : unmanaged where TOp : struct, IBinaryOperator<T>
            => ElementwiseRuns.Binary<T, TOp>(op, a, b, y);
    }
}
