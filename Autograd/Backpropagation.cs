namespace Scratch;

/// <summary>The reverse-mode walk over the tape.</summary>
internal static class Backpropagation
{
    /// <summary>
    /// Propagates <paramref name="seed"/> = ∂L/∂root back through the recorded ops in reverse
    /// topological order (explicit stack, no recursion), accumulating into the <c>Grad</c> of
    /// leaves and of tensors that retain theirs; then releases the saved arrays unless
    /// <paramref name="retainGraph"/>. Gradients made during the pass are freed as soon as they are
    /// consumed, so a step's temporaries go back to the allocator at once instead of waiting for the
    /// garbage collector.
    /// </summary>
    public static void Run(Tensor root, NDArray seed, bool retainGraph)
    {
        var order = TopologicalOrder(root);
        var arrays = new GradientArrays(NDArray.LastSerial);
        var pending = new Dictionary<Tensor, NDArray>(ReferenceEqualityComparer.Instance) { [root] = seed };
        using var _ = GradMode.Disable();
        for (int k = order.Count - 1; k >= 0; k--)
        {
            var tensor = order[k];
            if (!pending.Remove(tensor, out var grad)) continue;
            var fn = tensor.GradFn;
            if (fn is null || tensor.RetainsGrad)
            {
                // A gradient nobody else holds becomes the tensor's Grad as it is; otherwise it is copied.
                bool adopt = tensor.Grad is null && arrays.IsSoleHolder(grad);
                tensor.AccumulateGrad(grad, adopt);
                if (adopt) arrays.GiveAway(grad);
            }
            if (fn is not null)
            {
                if (fn.IsReleased)
                    throw new InvalidOperationException(
                        $"backward: the graph through {fn.Name} was freed by an earlier Backward() or by DisposeGraph(); call Backward(retainGraph: true) the first time to go through it again");
                // What the rule makes besides its results (transposed views, products before a sum) is
                // freed as soon as it returns: a view left to the collector would keep its buffer alive.
                NDArray?[] inputGrads;
                using (var scope = new ArrayScope())
                {
                    inputGrads = fn.Backward(grad);
                    foreach (var g in inputGrads)
                        if (g is not null) scope.Keep(g);
                }
                for (int i = 0; i < fn.Inputs.Count; i++)
                {
                    var input = fn.Inputs[i];
                    var g = inputGrads[i];
                    if (g is null) continue;
                    arrays.Hold(g);
                    if (!input.RequiresGrad)
                    {
                        arrays.Drop(g);
                        continue;
                    }
                    if (!g.Shape.SequenceEqual(input.Data.Shape))
                        throw new InvalidOperationException($"backward: {fn.Name} returned a gradient {g.ShapeString} for input {i} of shape {input.Data.ShapeString}");
                    if (pending.TryGetValue(input, out var existing))
                    {
                        var sum = existing + g;
                        arrays.Hold(sum);
                        arrays.Drop(existing);
                        arrays.Drop(g);
                        pending[input] = sum;
                    }
                    else pending[input] = g;
                }
                if (!retainGraph) fn.Release();
            }
            arrays.Drop(grad);
        }
    }

    /// <summary>
    /// Frees the values of <paramref name="root"/> and of every non-leaf tensor recorded on the way to
    /// it, with their ops' saved arrays. Leaves (parameters, inputs) are left alone.
    /// </summary>
    public static void DisposeGraph(Tensor root)
    {
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Tensor>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var tensor = stack.Pop();
            if (tensor.GradFn is not { } fn || !visited.Add(tensor)) continue;
            foreach (var input in fn.Inputs) stack.Push(input);
            fn.Release();
            tensor.Data.Dispose();
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

    /// <summary>
    /// Who holds the gradients made during one backward pass. Only arrays created after the pass
    /// began are counted (a rule may return arrays it saved, or the incoming gradient itself, and those
    /// belong to someone else); each is disposed when its last pending holder lets go.
    /// </summary>
    private sealed class GradientArrays(long lastSerialBefore)
    {
        private readonly Dictionary<NDArray, int> _holders = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<NDArray> _givenAway = new(ReferenceEqualityComparer.Instance);

        private bool IsOwn(NDArray array) => array.Serial > lastSerialBefore && !_givenAway.Contains(array);

        public void Hold(NDArray array)
        {
            if (IsOwn(array)) _holders[array] = _holders.GetValueOrDefault(array) + 1;
        }

        public void Drop(NDArray array)
        {
            if (!_holders.TryGetValue(array, out int count)) return;
            if (count > 1)
            {
                _holders[array] = count - 1;
                return;
            }
            _holders.Remove(array);
            array.Dispose();
        }

        /// <summary>
        /// True when this pass is the only holder of <paramref name="array"/> and no other array shares its
        /// memory (a rule may return views of one gradient for several inputs), so it can be handed over.
        /// </summary>
        public bool IsSoleHolder(NDArray array) =>
            _holders.GetValueOrDefault(array) == 1
            && array.Buffer.Holders == 1
            && array.IsContiguous && array.Offset == 0 && array.Count == array.Buffer.Length;

        /// <summary>The array now belongs to a tensor's Grad: never disposed by this pass.</summary>
        public void GiveAway(NDArray array)
        {
            _holders.Remove(array);
            _givenAway.Add(array);
        }
    }
}
