namespace Scratch;

/// <summary>Whether ops are recorded for differentiation on the current thread.</summary>
public static class GradMode
{
    [ThreadStatic] private static int _disabledDepth;

    /// <summary>True unless inside a <see cref="Tensor.NoGrad"/> scope.</summary>
    public static bool IsEnabled => _disabledDepth == 0;

    internal static IDisposable Disable()
    {
        _disabledDepth++;
        return new Scope();
    }

    private sealed class Scope : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            _disabledDepth--;
        }
    }
}
