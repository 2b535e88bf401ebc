using NUnit.Framework;
using Scratch.Kernels;

namespace Scratch.Tests.Kernels.Convolution;

public class Conv2dParamsTests
{
    [Test]
    public void ParameterlessConstructorGivesTheDocumentedDefaults()
    {
        var p = new Conv2dParams();
        Assert.That(p, Is.EqualTo(new Conv2dParams(StrideH: 1)));
        Assert.That((p.StrideH, p.StrideW, p.PadH, p.PadW, p.DilationH, p.DilationW, p.Groups), Is.EqualTo((1, 1, 0, 0, 1, 1, 1)));
        Assert.That(p.OutputHeight(28, 3), Is.EqualTo(26));
    }
}
