namespace Scratch.Functions
{
    /// <summary>A copy on another device; the gradient goes back to the input's device.</summary>
    internal sealed class ToDeviceFunction : Function
    {
        private Device _source;

        public static Tensor Apply(Tensor x, Device device)
        {
            var y = x.Data.To(device);
            if (!ShouldRecord(x)) return new Tensor(y);
            return new ToDeviceFunction { _source = x.Device }.Record(y, x);
        }

        public override NDArray?[] Backward(NDArray g) => [g.To(_source)];

        protected override void ReleaseSaved() { }
    }

    /// <summary>A copy with another dtype; the gradient is converted back (none for integer inputs).</summary>
    internal sealed class CastFunction : Function
    {
        private DType _source;

        public static Tensor Apply(Tensor x, DType dtype)
        {
            var y = x.Data.To(dtype);
            if (!ShouldRecord(x) || !dtype.IsFloatingPoint()) return new Tensor(y);
            return new CastFunction { _source = x.DType }.Record(y, x);
        }

        public override NDArray?[] Backward(NDArray g) => [g.To(_source)];

        protected override void ReleaseSaved() { }
    }
}
