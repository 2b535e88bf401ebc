namespace Scratch.Kernels;

/// <summary>
/// Every compute primitive of Scratch, on raw device memory described by <see cref="BufferView"/>s.
/// A backend knows sizes and strides but not what the dims mean, and nothing of gradients.
/// The CPU backend is the reference semantics; every other backend must agree with it.
/// </summary>
/// <remarks>
/// Conventions for every method:
/// <list type="bullet">
/// <item>Outputs are written, never accumulated into, unless the method says otherwise.</item>
/// <item>Inputs and outputs of one call have the same dtype unless stated (indices are Int32).</item>
/// <item>Elementwise methods (<see cref="Copy"/>, <see cref="Unary"/>, <see cref="Binary"/>,
/// <see cref="Where"/>, <see cref="UnaryBackward"/>) take views of identical shape with any strides;
/// the caller broadcasts by giving inputs stride 0. The output may be exactly the same view as an
/// input (in-place), but must not otherwise overlap an input.</item>
/// <item>Methods documented as taking "contiguous" views require row-major views without gaps.</item>
/// <item>Results must not depend on the number of threads: parallel reductions split the work at
/// fixed boundaries and combine the parts in a fixed order.</item>
/// <item>Work may be queued: results are only guaranteed visible to the host after
/// <see cref="Download{T}"/> or <see cref="Synchronize"/>.</item>
/// </list>
/// </remarks>
public interface IBackend
{
    /// <summary>Short name, e.g. <c>cpu</c> or <c>cuda:0</c>.</summary>
    string Name { get; }

    // ---- memory -------------------------------------------------------------------------

    /// <summary>Allocates <paramref name="length"/> elements; contents are unspecified.</summary>
    DeviceBuffer Allocate(DType dtype, long length);

    /// <summary>Copies host elements into <paramref name="destination"/> starting at element <paramref name="destinationOffset"/>.</summary>
    void Upload<T>(ReadOnlySpan<T> source, DeviceBuffer destination, long destinationOffset) where T : unmanaged;

    /// <summary>Copies elements starting at <paramref name="sourceOffset"/> to the host; waits for queued work.</summary>
    void Download<T>(DeviceBuffer source, long sourceOffset, Span<T> destination) where T : unmanaged;

    /// <summary>Waits until all queued work has finished.</summary>
    void Synchronize();

    // ---- elementwise --------------------------------------------------------------------

    /// <summary>Sets every element of <paramref name="y"/> to <paramref name="value"/> (converted to y's dtype).</summary>
    void Fill(BufferView y, double value);

    /// <summary>y = x elementwise, converting dtype when they differ (float → int truncates toward zero).</summary>
    void Copy(BufferView x, BufferView y);

    /// <summary>y = f(x) for the function <paramref name="op"/> with parameters <paramref name="alpha"/>, <paramref name="beta"/>. Floating dtypes; Neg, Abs, Sign, Square, Clamp also for Int32.</summary>
    void Unary(UnaryOp op, BufferView x, BufferView y, double alpha = 0, double beta = 0);

    /// <summary>gx = gy · f′(x): the derivative of <see cref="Unary"/> at <paramref name="x"/>, fused with the chain rule. Floating dtypes.</summary>
    void UnaryBackward(UnaryOp op, BufferView x, BufferView gy, BufferView gx, double alpha = 0, double beta = 0);

    /// <summary>y = f(a, b) elementwise. All dtypes (Pow only for floating).</summary>
    void Binary(BinaryOp op, BufferView a, BufferView b, BufferView y);

    /// <summary>
    /// y = f(a, s) elementwise, or y = f(s, a) when <paramref name="scalarFirst"/>, for one host value s
    /// passed with the call (no device operand). Exactly <see cref="Binary"/> with s stored in a
    /// 1-element array of a's dtype and broadcast (stride 0), bit for bit: s is first converted to a's
    /// dtype as <see cref="Fill"/> converts (float32 rounds to nearest; int32 truncates toward zero,
    /// saturating, NaN → 0), then the op runs in that dtype. y has a's shape and dtype; a may have any
    /// strides and y may be exactly a (in-place). All dtypes (Pow only for floating). Int32 division: a
    /// divisor s that is 0 as int32 throws <see cref="DivideByZeroException"/> at the call on every
    /// backend; zero elements of a divided into s fail as in <see cref="Binary"/>.
    /// </summary>
    void BinaryScalar(BinaryOp op, BufferView a, double scalar, bool scalarFirst, BufferView y);

    /// <summary>y = condition ≠ 0 ? a : b. <paramref name="condition"/> may have any dtype.</summary>
    void Where(BufferView condition, BufferView a, BufferView b, BufferView y);

    // ---- reductions ---------------------------------------------------------------------

    /// <summary>
    /// Reduces the last <paramref name="reducedDims"/> dims of <paramref name="x"/> (any strides; the
    /// caller permutes the reduced axes to the end). <paramref name="y"/> is contiguous with shape equal to
    /// x's leading <c>Rank − reducedDims</c> dims; Int32 for ArgMax/ArgMin, else x's dtype. Sum/Mean/LogSumExp
    /// over many elements use pairwise or blocked summation so float32 error stays small.
    /// </summary>
    void Reduce(ReduceOp op, BufferView x, int reducedDims, BufferView y);

    // ---- linear algebra -----------------------------------------------------------------

    /// <summary>
    /// c = alpha·(a @ b) + beta·c for views of equal rank r ≥ 2: a is [..., M, K], b is [..., K, N],
    /// c is [..., M, N], with identical leading (batch) sizes; any strides (stride 0 broadcasts a batch
    /// dim; a transposed operand is just swapped strides). When beta is 0, c's old contents are ignored
    /// (NaN does not propagate). c must not overlap a or b. Float32 and Float64.
    /// </summary>
    void MatMul(BufferView a, BufferView b, BufferView c, double alpha = 1, double beta = 0);

    // ---- convolution --------------------------------------------------------------------

    /// <summary>
    /// y = conv2d(x, w) + bias. Contiguous NCHW: x [N, C, H, W], w [O, C/groups, KH, KW], bias [O] or
    /// null, y [N, O, OH, OW] (sizes from <see cref="Conv2dParams.OutputHeight"/>). Cross-correlation, as PyTorch.
    /// </summary>
    void Conv2dForward(BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dParams p);

    /// <summary>gx = ∂L/∂x of <see cref="Conv2dForward"/> given gy = ∂L/∂y. Contiguous; gx is written.</summary>
    void Conv2dBackwardData(BufferView gy, BufferView w, BufferView gx, Conv2dParams p);

    /// <summary>gw = ∂L/∂w of <see cref="Conv2dForward"/> given gy = ∂L/∂y. Contiguous; gw is written.</summary>
    void Conv2dBackwardWeight(BufferView x, BufferView gy, BufferView gw, Conv2dParams p);

    // ---- pooling ------------------------------------------------------------------------

    /// <summary>
    /// Max pooling of contiguous x [N, C, H, W] into y [N, C, OH, OW]; <paramref name="indices"/> (Int32,
    /// same shape as y) receives the flat index h·W + w of each maximum within its (n, c) plane (the first
    /// one on ties; NaN counts as the maximum).
    /// </summary>
    void MaxPool2dForward(BufferView x, BufferView y, BufferView indices, Pool2dParams p);

    /// <summary>gx = 0, then gx[n, c, indices] += gy. Contiguous.</summary>
    void MaxPool2dBackward(BufferView gy, BufferView indices, BufferView gx, Pool2dParams p);

    /// <summary>Average pooling of contiguous x [N, C, H, W] into y [N, C, OH, OW].</summary>
    void AvgPool2dForward(BufferView x, BufferView y, Pool2dParams p);

    /// <summary>gx = ∂L/∂x of <see cref="AvgPool2dForward"/> given gy. Contiguous; gx is written.</summary>
    void AvgPool2dBackward(BufferView gy, BufferView gx, Pool2dParams p);

    // ---- softmax ------------------------------------------------------------------------

    /// <summary>
    /// Softmax (or log-softmax when <paramref name="log"/>) along the middle dim of contiguous views
    /// x, y of shape [outer, n, inner]; numerically stable (the maximum is subtracted first).
    /// </summary>
    void Softmax(BufferView x, BufferView y, bool log);

    /// <summary>
    /// Given the forward output y and gy, writes gx: softmax gx = y·(gy − Σ gy·y);
    /// log-softmax gx = gy − e^y·Σ gy. Contiguous [outer, n, inner].
    /// </summary>
    void SoftmaxBackward(BufferView y, BufferView gy, BufferView gx, bool log);

    // ---- indexing -----------------------------------------------------------------------

    /// <summary>
    /// y[o, j, i] = x[o, index[o, j, i], i]. Contiguous x [outer, n, inner]; index (Int32) and y
    /// [outer, m, inner]. Indices outside [0, n) throw <see cref="IndexOutOfRangeException"/> (CPU).
    /// </summary>
    void Gather(BufferView x, BufferView index, BufferView y);

    /// <summary>y[o, index[o, j, i], i] += src[o, j, i] (accumulates). Contiguous; shapes as <see cref="Gather"/> with x replaced by y.</summary>
    void ScatterAdd(BufferView src, BufferView index, BufferView y);

    /// <summary>y[o, j, i] = x[o, index[j], i]. Contiguous x [outer, n, inner]; index Int32 [m]; y [outer, m, inner].</summary>
    void IndexSelect(BufferView x, BufferView index, BufferView y);

    /// <summary>y[o, index[j], i] += src[o, j, i] (accumulates, deterministic order). Contiguous; shapes as <see cref="IndexSelect"/>.</summary>
    void IndexAdd(BufferView src, BufferView index, BufferView y);

    /// <summary>y[k, c] = (index[k] == c) for Int32 index [n] and contiguous y [n, classes] of any dtype; an index outside [0, classes) throws (CPU).</summary>
    void OneHot(BufferView index, BufferView y);

    // ---- normalisation ------------------------------------------------------------------

    /// <summary>
    /// Batch norm in training mode over contiguous x [N, C, S] (S = H·W, or 1): per channel c, the
    /// batch mean μ and biased variance σ² over N·S elements; y = (x − μ)/√(σ² + eps)·weight + bias
    /// (weight, bias [C] or null for 1 and 0). Writes <paramref name="saveMean"/> = μ and
    /// <paramref name="saveInvStd"/> = 1/√(σ² + eps) ([C]) for the backward pass, and when running
    /// statistics are given updates them in place: r = (1 − momentum)·r + momentum·stat, with the
    /// unbiased variance (N·S / (N·S − 1))·σ² for the running variance.
    /// </summary>
    void BatchNormForwardTraining(BufferView x, BufferView? weight, BufferView? bias, BufferView y,
        BufferView saveMean, BufferView saveInvStd, BufferView? runningMean, BufferView? runningVar,
        double momentum, double eps);

    /// <summary>Batch norm with given statistics: y = (x − mean)/√(var + eps)·weight + bias. Contiguous x, y [N, C, S]; the rest [C].</summary>
    void BatchNormForwardInference(BufferView x, BufferView? weight, BufferView? bias,
        BufferView mean, BufferView variance, BufferView y, double eps);

    /// <summary>
    /// Backward of <see cref="BatchNormForwardTraining"/> (batch statistics depend on x). Writes gx
    /// [N, C, S] and, when given, gWeight and gBias [C].
    /// </summary>
    void BatchNormBackward(BufferView x, BufferView gy, BufferView? weight, BufferView saveMean, BufferView saveInvStd,
        BufferView gx, BufferView? gWeight, BufferView? gBias);

    // ---- randomness ---------------------------------------------------------------------

    /// <summary>
    /// Fills y (any shape and strides, floating dtype) from the Philox stream (seed, offset) as
    /// <see cref="RandomDistribution"/> documents; the caller advances its offset by the blocks used.
    /// </summary>
    void Random(RandomDistribution distribution, BufferView y, ulong seed, ulong offset, double a, double b);

    // ---- fused optimizer updates --------------------------------------------------------

    /// <summary>One SGD step in place on contiguous param (and momentumBuffer when Momentum ≠ 0), as <see cref="SgdUpdateParams"/> documents.</summary>
    void SgdUpdate(BufferView param, BufferView grad, BufferView? momentumBuffer, SgdUpdateParams p);

    /// <summary>One Adam/AdamW step in place on contiguous param, m, v (and maxV with AMSGrad), as <see cref="AdamUpdateParams"/> documents.</summary>
    void AdamUpdate(BufferView param, BufferView grad, BufferView m, BufferView v, BufferView? maxV, AdamUpdateParams p);
}
