namespace Scratch;

/// <summary>
/// An <see cref="NDArray"/> that takes part in automatic differentiation: when it
/// <see cref="RequiresGrad"/>, the ops applied to it are recorded, and <see cref="Backward"/> fills
/// the <see cref="Grad"/> of every leaf it came from.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private bool _requiresGrad;

    /// <summary>A leaf tensor over <paramref name="data"/>.</summary>
    public Tensor(NDArray data, bool requiresGrad = false)
    {
        Data = data;
        RequiresGrad = requiresGrad;
    }

    internal Tensor(NDArray data, Function gradFn)
    {
        Data = data;
        GradFn = gradFn;
        _requiresGrad = true;
    }

    /// <summary>The values.</summary>
    public NDArray Data { get; }

    /// <summary>The accumulated gradient ∂L/∂this, or null before the first backward pass (or after <c>ZeroGrad</c>).</summary>
    public Tensor? Grad { get; set; }

    /// <summary>The op that produced this tensor, or null for a leaf.</summary>
    public Function? GradFn { get; }

    /// <summary>True for tensors not produced by a recorded op (inputs, parameters).</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>True when this tensor's gradient is tracked. Only leaves can be switched (e.g. to freeze a parameter).</summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (!IsLeaf && !value)
                throw new InvalidOperationException($"requires_grad: cannot switch off gradients of a non-leaf tensor (made by {GradFn!.Name}); use Detach()");
            if (value && !Data.DType.IsFloatingPoint())
                throw new InvalidOperationException($"requires_grad: only floating-point tensors can require gradients, got {Data.DType.Name()}");
            _requiresGrad = value;
        }
    }

    /// <summary>True when a non-leaf keeps its gradient (see <see cref="RetainGrad"/>).</summary>
    public bool RetainsGrad { get; private set; }

    /// <summary>An optional name used in messages (parameters get their state-dict name).</summary>
    public string? Name { get; set; }

    /// <summary>Keeps <see cref="Grad"/> for this non-leaf tensor during backward passes.</summary>
    public Tensor RetainGrad()
    {
        if (!RequiresGrad) throw new InvalidOperationException("retain_grad: the tensor does not require gradients");
        RetainsGrad = true;
        return this;
    }

    /// <summary>
    /// Computes ∂this/∂leaf for every leaf that requires a gradient and adds it to the leaf's
    /// <see cref="Grad"/>. Without <paramref name="gradient"/>, this tensor must hold one element.
    /// The graph's saved arrays are released afterwards unless <paramref name="retainGraph"/>.
    /// </summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false)
    {
        if (!RequiresGrad)
            throw new InvalidOperationException($"backward: tensor {Data.ShapeString} does not require gradients (no input had RequiresGrad = true)");
        NDArray seed;
        if (gradient is null)
        {
            if (Data.Count != 1)
                throw new InvalidOperationException($"backward: output {Data.ShapeString} is not a scalar; pass a gradient of that shape to Backward(gradient)");
            seed = Data.OnesLike();
        }
        else
        {
            seed = gradient.Data;
            if (!seed.Shape.SequenceEqual(Data.Shape))
                throw new ArgumentException($"backward: gradient {seed.ShapeString} does not match the output {Data.ShapeString}");
            if (seed.DType != Data.DType) seed = seed.To(Data.DType);
            if (seed.Device != Data.Device) seed = seed.To(Data.Device);
        }
        try
        {
            Backpropagation.Run(this, seed, retainGraph);
        }
        finally
        {
            if (!ReferenceEquals(seed, gradient?.Data)) seed.Dispose();
        }
    }

    /// <summary>
    /// Frees the values of this tensor and of every intermediate tensor recorded on the way to it
    /// (with the arrays their ops saved), leaving leaves such as parameters and inputs alone. A training
    /// loop calls it once a step's results are read, so the step's activations go back to the allocator
    /// at once; the tensors of the graph must not be used afterwards.
    /// </summary>
    public void DisposeGraph()
    {
        if (GradFn is null) return;
        Backpropagation.DisposeGraph(this);
    }

    /// <summary>Adds <paramref name="grad"/> to <see cref="Grad"/>; with <paramref name="adopt"/> the first gradient becomes Grad as it is.</summary>
    internal void AccumulateGrad(NDArray grad, bool adopt = false)
    {
        // Unless the caller hands over sole ownership, the first gradient is copied so later in-place
        // accumulation can never write into an array another tensor shares. Either way it belongs to this
        // tensor now, so no ArrayScope the backward pass ran in may dispose it.
        if (Grad is null) Grad = new Tensor(ArrayScope.Escape(adopt ? grad : grad.Clone()));
        else Grad.Data.AddInPlace(grad);
    }

    /// <summary>A new leaf sharing this tensor's values (not its lifetime), cut off from the graph.</summary>
    public Tensor Detach() => new(Data.Alias());

    /// <summary>A scope in which no ops are recorded (evaluation, optimizer updates): <c>using (Tensor.NoGrad()) { … }</c>.</summary>
    public static IDisposable NoGrad() => GradMode.Disable();

    // ---- shape and values -------------------------------------------------------------------

    /// <summary>Size of each dim.</summary>
    public IReadOnlyList<int> Shape => Data.Shape;

    /// <summary>Number of dims.</summary>
    public int Rank => Data.Rank;

    /// <summary>Number of elements.</summary>
    public long Count => Data.Count;

    /// <summary>Element type.</summary>
    public DType DType => Data.DType;

    /// <summary>Where the values live.</summary>
    public Device Device => Data.Device;

    /// <summary>Size of dim <paramref name="axis"/> (negative counts from the end).</summary>
    public int Size(int axis) => Data.Size(axis);

    /// <summary>The shape as text.</summary>
    public string ShapeString => Data.ShapeString;

    /// <summary>The single value as a double.</summary>
    public double Item() => Data.Item();

    /// <summary>The values in row-major order.</summary>
    public T[] ToArray<T>() where T : unmanaged => Data.ToArray<T>();

    /// <summary>This tensor on another device (recorded: gradients flow back).</summary>
    public Tensor To(Device device) => device == Device ? this : Functions.ToDeviceFunction.Apply(this, device);

    /// <summary>This tensor with another dtype (recorded for floating dtypes).</summary>
    public Tensor To(DType dtype) => dtype == DType ? this : Functions.CastFunction.Apply(this, dtype);

    /// <summary>Values as PyTorch prints them, plus the grad function or requires_grad flag.</summary>
    public override string ToString()
    {
        string text = Data.ToString();
        string extra = GradFn is not null ? $", grad_fn=<{GradFn.Name}Backward>" : RequiresGrad ? ", requires_grad=True" : "";
        return extra.Length == 0 ? text : text[..^1] + extra + ")";
    }

    /// <summary>Releases the values' memory early.</summary>
    public void Dispose() => Data.Dispose();

    // ---- creation ---------------------------------------------------------------------------

    /// <summary>A leaf holding <paramref name="data"/> with the given shape (default 1-D).</summary>
    public static Tensor FromArray<T>(T[] data, int[]? shape = null, bool requiresGrad = false, Device? device = null) where T : unmanaged
        => new(NDArray.FromArray(data, shape, device), requiresGrad);

    /// <summary>A leaf of zeros.</summary>
    public static Tensor Zeros(int[] shape, DType dtype = DType.Float32, Device? device = null, bool requiresGrad = false)
        => new(NDArray.Zeros(shape, dtype, device), requiresGrad);

    /// <summary>A leaf of ones.</summary>
    public static Tensor Ones(int[] shape, DType dtype = DType.Float32, Device? device = null, bool requiresGrad = false)
        => new(NDArray.Ones(shape, dtype, device), requiresGrad);

    /// <summary>A leaf filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, double value, DType dtype = DType.Float32, Device? device = null, bool requiresGrad = false)
        => new(NDArray.Full(shape, value, dtype, device), requiresGrad);

    /// <summary>A 0-dim leaf.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32, Device? device = null) => new(NDArray.Scalar(value, dtype, device));

    /// <summary>Uniform samples on (low, high).</summary>
    public static Tensor Rand(int[] shape, Generator? generator = null, double low = 0, double high = 1, DType dtype = DType.Float32, Device? device = null, bool requiresGrad = false)
        => new(NDArray.Rand(shape, generator, low, high, dtype, device), requiresGrad);

    /// <summary>Normal samples.</summary>
    public static Tensor Randn(int[] shape, Generator? generator = null, double mean = 0, double std = 1, DType dtype = DType.Float32, Device? device = null, bool requiresGrad = false)
        => new(NDArray.Randn(shape, generator, mean, std, dtype, device), requiresGrad);

    /// <summary>Values start, start + step, … below end.</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Float32, Device? device = null)
        => new(NDArray.Arange(start, end, step, dtype, device));

    /// <summary>Wraps an array as a leaf.</summary>
    public static implicit operator Tensor(NDArray data) => new(data);
}
