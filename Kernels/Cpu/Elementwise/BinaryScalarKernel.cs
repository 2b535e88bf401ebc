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
        ViewChecks.SameShape(name, y, "y", a, "a");
        ViewChecks.HasDType(name, y, "y", a.DType);
        ViewChecks.InBounds(name, a, "a");
        ViewChecks.InBounds(name, y, "y");
        // Said once here instead of from whichever worker thread meets the first element.
        if (op == BinaryOp.Div && a.DType == DType.Int32 && !scalarFirst && FillKernel.Convert<int>(scalar) == 0 && y.Count > 0)
            throw new DivideByZeroException($"{name}: int32 {ViewChecks.Format(a.Shape)} divided by the scalar {scalar} (0 as int32)");
        BinaryDispatch.Run(name, op, a.DType, new Operands(a, scalar, scalarFirst, y));
    }

    private readonly struct Operands(BufferView a, double scalar, bool scalarFirst, BufferView y) : IBinaryOpTarget
    {
        public void Run<T, TOp>(TOp op) where T : unmanaged where TOp : struct, IBinaryOperator<T>
            => ElementwiseRuns.BinaryScalar<T, TOp>(op, a, FillKernel.Convert<T>(scalar), scalarFirst, y);
    }
}
