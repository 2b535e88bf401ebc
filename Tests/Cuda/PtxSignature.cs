using System.Text.RegularExpressions;

namespace Scratch.Tests.Cuda;

/// <summary>Reads a kernel's parameter sizes from its PTX <c>.entry</c> declaration.</summary>
internal static partial class PtxSignature
{
    [GeneratedRegex(@"^\s*\.param\s+(?:\.align\s+\d+\s+)?\.([a-z]+)(\d+)\s+[^\s\[,]+(?:\[(\d+)\])?\s*,?\s*$")]
    private static partial Regex ParamLine();

    /// <summary>The byte size of each parameter of entry <paramref name="mangledName"/>.</summary>
    public static int[] ParameterSizes(string ptx, string mangledName)
    {
        int start = ptx.IndexOf($".entry {mangledName}(", StringComparison.Ordinal);
        if (start < 0) throw new InvalidOperationException($"no .entry {mangledName} in the PTX");
        int end = ptx.IndexOf(')', start);
        var sizes = new List<int>();
        foreach (var line in ptx[start..end].Split('\n').Skip(1))
        {
            var match = ParamLine().Match(line);
            if (!match.Success) continue;
            int bits = int.Parse(match.Groups[2].Value);
            int count = match.Groups[3].Success ? int.Parse(match.Groups[3].Value) : 1;
            sizes.Add(bits / 8 * count);
        }
        return [.. sizes];
    }
}
