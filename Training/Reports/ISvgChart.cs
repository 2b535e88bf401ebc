namespace Scratch.Training;

/// <summary>A chart that renders itself as a standalone SVG element (no scripts, no external resources).</summary>
public interface ISvgChart
{
    /// <summary>The chart as an <c>&lt;svg&gt;</c> element, ready to inline into HTML or save as an .svg file.</summary>
    string ToSvg();
}
