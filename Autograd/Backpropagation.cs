namespace Scratch;

/// <summary>The reverse-mode walk over the tape.</summary>
internal static class Backpropagation
{
    /// <summary>
    /// Propagates <paramref name="seed"/> = ∂L/∂root back through the recorded ops in reverse
    /// topological order (explicit stack, no recursion), accumulating into the <c>Grad</c> of
    /// leaves and of tensors that retain theirs; then releases the saved arrays unless
    /// <paramref name="retainGraph"/>.
    /// </summary>
    public static void Run(Tensor root, NDArray seed, bool retainGraph)
    {
        var order = TopologicalOrder(root);
        var pending = new Dictionary<Tensor, NDArray>(ReferenceEqualityComparer.Instance) { [root] = seed };
        using var _ = GradMode.Disable();
        for (int k = order.Count - 1; k >= 0; k--)
        {
            var tensor = order[k];
            if (!pending.Remove(tensor, out var grad)) continue;
            var fn = tensor.GradFn;
            if (fn is null || tensor.RetainsGrad) tensor.AccumulateGrad(grad);
            if (fn is null) continue;
            if (fn.IsReleased)
                throw new InvalidOperationException(
                    $"backward: the graph through {fn.Name} was freed by an earlier Backward(); call Backward(retainGraph: true) the first time to go through it again");
            var inputGrads = fn.Backward(grad);
            for (int i = 0; i < fn.Inputs.Count; i++)
            {
                var input = fn.Inputs[i];
                var g = inputGrads[i];
                if (g is null || !input.RequiresGrad) continue;
                if (!g.Shape.SequenceEqual(input.Data.Shape))
                    throw new InvalidOperationException($"backward: {fn.Name} returned a gradient {g.ShapeString} for input {i} of shape {input.Data.ShapeString}");
                pending[input] = pending.TryGetValue(input, out var existing) ? existing + g : g;
            }
            if (!retainGraph) fn.Release();
        }
    }

    /// <summary>Tensors reachable from <paramref name="root"/>, each after all of its inputs.</summary>
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor Node, int NextInput)>();
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            var inputs = node.GradFn?.Inputs;
            if (inputs is not null && next < inputs.Count)
            {
                stack.Push((node, next + 1));
                var child = inputs[next];
                if (child.RequiresGrad && visited.Add(child)) stack.Push((child, 0));
                continue;
            }
            order.Add(node);
        }
        return order;
    }
}
