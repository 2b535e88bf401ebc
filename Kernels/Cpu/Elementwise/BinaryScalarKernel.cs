using System.Runtime.CompilerServices;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// y = f(a, s) or f(s, a) for a host scalar s (<see cref="IBackend.BinaryScalar"/>): the operator
/// structs of <see cref="BinaryKernel"/> with the scalar held in a register, no 1-element operand.
/// </summary>
internal static class BinaryScalarKernel
{
    public static void Run(BinaryOp op, BufferView a, double scalar, bool scalarFirst, BufferView y)
    {
        string name = $"binary scalar {op}";
        // Says an int32 division by a zero scalar once, instead of from whichever worker thread meets the first element.
        BackendContract.BinaryScalar(op, a, scalar, scalarFirst, y);
        BinaryDispatch.Run(name, op, a.DType, new Operands(a, scalar, scalarFirst, y));
    }

    private readonly struct Operands(BufferView a, double scalar, bool scalarFirst, BufferView y) : IBinaryOpTarget
    {
        public void Run<T, TOp>(TOp op) where T : unmanaged where TOp : struct, IBinaryOperator<T>
            => ElementwiseRuns.BinaryScalar<T, TOp>(op, a, FillKernel.Convert<T>(scalar), scalarFirst, y);
    }
}
