namespace Scratch.Kernels;

/// <summary>
/// Elementwise functions of two operands, y = f(a, b). Comparisons give 1 where true and 0 where
/// false, in the operands' dtype.
/// </summary>
public enum BinaryOp
{
    /// <summary>a + b</summary>
    Add,
    /// <summary>a − b</summary>
    Sub,
    /// <summary>a · b</summary>
    Mul,
    /// <summary>a / b (for Int32: truncating division, as C#).</summary>
    Div,
    /// <summary>a^b</summary>
    Pow,
    /// <summary>max(a, b); NaN if either is NaN.</summary>
    Maximum,
    /// <summary>min(a, b); NaN if either is NaN.</summary>
    Minimum,
    /// <summary>a == b</summary>
    Equal,
    /// <summary>a != b</summary>
    NotEqual,
    /// <summary>a &lt; b</summary>
    Less,
    /// <summary>a &lt;= b</summary>
    LessEqual,
    /// <summary>a &gt; b</summary>
    Greater,
    /// <summary>a &gt;= b</summary>
    GreaterEqual,
}
