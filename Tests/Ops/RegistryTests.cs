using Scratch.Checks;
using System.Reflection;
using NUnit.Framework;

namespace Scratch.Tests.Ops;

/// <summary>The registry itself: unique sample names, and a sample for every differentiable Tensor member.</summary>
[TestFixture]
public class RegistryTests
{
    /// <summary>Public Tensor members that return tensors but are not differentiable ops (creation, comparisons, graph plumbing).</summary>
    private static readonly HashSet<string> NotDifferentiable =
    [
        "Eq", "Ne", "Lt", "Le", "Gt", "Ge", "ArgMax", "ArgMin", "OneHot",
        "Detach", "RetainGrad", "FromArray", "Zeros", "Ones", "Full", "Scalar", "Rand", "Randn", "Arange",
        "op_Implicit", "get_Grad",
    ];

    [Test]
    public void SampleIdsAreUnique()
    {
        var duplicates = OpRegistry.All.GroupBy(s => s.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        Assert.That(duplicates, Is.Empty);
    }

    [Test]
    public void EveryDifferentiableTensorMemberHasSamples()
    {
        var members = typeof(Tensor).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => m.ReturnType == typeof(Tensor) || m.ReturnType == typeof(Tensor[]))
            .Select(m => m.Name)
            .Where(name => !NotDifferentiable.Contains(name))
            .ToHashSet();
        var missing = members.Except(OpRegistry.Ops).OrderBy(n => n).ToArray();
        Assert.That(missing, Is.Empty, "Tensor members without registry samples");
        Assert.That(members, Has.Count.GreaterThan(50), "reflection found suspiciously few members");
    }

    [Test]
    public void EveryRegistryOpIsATensorMember()
    {
        var names = typeof(Tensor).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Select(m => m.Name).ToHashSet();
        Assert.That(OpRegistry.Ops.Where(op => !names.Contains(op)), Is.Empty, "registry ops that name no Tensor member");
    }

    [Test]
    public void SamplesCoverBroadcastingNonContiguousSize1AndEmptyInputs()
    {
        var all = OpRegistry.All;
        Assert.That(all.Count(s => s.Inputs.Any(i => i.Layout == Layout.Transposed)), Is.GreaterThan(50));
        Assert.That(all.Count(s => s.Inputs.Any(i => i.Layout == Layout.Strided)), Is.GreaterThan(30));
        Assert.That(all.Count(s => s.Inputs.Any(i => i.Layout == Layout.Expanded)), Is.GreaterThan(30));
        Assert.That(all.Count(s => s.Inputs.Any(i => i.Shape.Contains(1))), Is.GreaterThan(30));
        Assert.That(all.Count(s => s.Inputs.Any(i => i.Shape.Contains(0))), Is.GreaterThan(10));
        Assert.That(all.Count(s => s.Inputs.Length > 1 && s.Inputs.Select(i => string.Join(",", i.Shape)).Distinct().Count() > 1), Is.GreaterThan(30));
    }

    [Test]
    public void ValuesAreDeterministic()
    {
        foreach (var sample in OpRegistry.All.Take(50))
        {
            var first = sample.StoredValues();
            var second = sample.StoredValues();
            Assert.That(second, Is.EqualTo(first), sample.Id);
        }
    }

    [Test]
    public void DomainsKeepAwayFromKinksAndPoles()
    {
        foreach (var sample in OpRegistry.All)
        {
            var values = sample.StoredValues();
            for (int i = 0; i < sample.Inputs.Length; i++)
            {
                var spec = sample.Inputs[i];
                if (spec.Ints is not null) continue;
                switch (spec.Values)
                {
                    case Values.Positive:
                        Assert.That(values[i], Is.All.GreaterThanOrEqualTo(0.5), sample.Id);
                        break;
                    case Values.AwayFromZero:
                        Assert.That(values[i].Select(Math.Abs), Is.All.GreaterThanOrEqualTo(0.1), sample.Id);
                        break;
                    case Values.Grid:
                        Assert.That(values[i].Distinct().Count(), Is.EqualTo(values[i].Length), sample.Id);
                        break;
                }
            }
        }
    }
}
