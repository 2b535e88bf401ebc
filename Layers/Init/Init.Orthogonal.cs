namespace Scratch;

public static partial class Init
{
    /// <summary>
    /// A (semi-)orthogonal matrix times <paramref name="gain"/>, as torch.nn.init.orthogonal_: the tensor
    /// is viewed as [rows = dim 0, cols = the rest]; a Gaussian matrix is drawn, and the Q of its QR
    /// decomposition (signs fixed so R has a positive diagonal) fills it — orthonormal rows when
    /// rows ≤ cols, orthonormal columns otherwise. QR runs on the host in float64 (modified Gram–Schmidt,
    /// applied twice for accuracy).
    /// </summary>
    public static Tensor Orthogonal(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        if (tensor.Rank < 2)
            throw new ArgumentException($"init.orthogonal: needs a tensor with at least 2 dims, got {tensor.ShapeString}");
        int rows = tensor.Shape[0];
        if (rows == 0 || tensor.Count == 0) return tensor;
        int cols = (int)(tensor.Count / rows);
        var gaussian = NDArray.Randn([rows, cols], generator, dtype: DType.Float64).ToArray<double>();

        // Work on the tall orientation m × n (m ≥ n), stored by columns so dot products are contiguous.
        bool transposed = rows < cols;
        int m = transposed ? cols : rows, n = transposed ? rows : cols;
        var columns = new double[n][];
        for (int j = 0; j < n; j++)
        {
            var column = new double[m];
            for (int i = 0; i < m; i++) column[i] = transposed ? gaussian[j * cols + i] : gaussian[i * cols + j];
            columns[j] = column;
        }
        GramSchmidt(columns);

        var q = new double[rows * cols];
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++)
            {
                double v = gain * columns[j][i];
                if (transposed) q[j * cols + i] = v; else q[i * cols + j] = v;
            }
        tensor.Data.CopyFrom(NDArray.FromArray(q, tensor.Data.ShapeArray()));
        return tensor;
    }

    /// <summary>Orthonormalises the columns in place; each keeps a positive component along its original direction.</summary>
    private static void GramSchmidt(double[][] columns)
    {
        for (int j = 0; j < columns.Length; j++)
        {
            var v = columns[j];
            for (int pass = 0; pass < 2; pass++)
            {
                for (int k = 0; k < j; k++)
                {
                    var q = columns[k];
                    double dot = 0;
                    for (int i = 0; i < v.Length; i++) dot += q[i] * v[i];
                    for (int i = 0; i < v.Length; i++) v[i] -= dot * q[i];
                }
            }
            double norm = 0;
            for (int i = 0; i < v.Length; i++) norm += v[i] * v[i];
            norm = Math.Sqrt(norm);
            if (norm == 0) throw new InvalidOperationException("init.orthogonal: the random matrix was rank deficient; draw again");
            for (int i = 0; i < v.Length; i++) v[i] /= norm;
        }
    }
}
