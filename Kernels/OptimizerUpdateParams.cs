namespace Scratch.Kernels;

/// <summary>
/// One step of SGD as PyTorch documents it: g = grad + wd·p; with momentum, buf = g on the first step,
/// else buf = μ·buf + (1 − dampening)·g; then g = g + μ·buf (Nesterov) or g = buf; finally p −= lr·g.
/// </summary>
/// <param name="Lr">Learning rate.</param>
/// <param name="Momentum">μ; 0 turns momentum off (the buffer may then be absent).</param>
/// <param name="Dampening">Dampening of the momentum term.</param>
/// <param name="WeightDecay">L2 penalty added to the gradient.</param>
/// <param name="Nesterov">Use Nesterov momentum.</param>
/// <param name="FirstStep">True on the first step, when the momentum buffer is set to g instead of updated.</param>
public readonly record struct SgdUpdateParams(
    double Lr, double Momentum = 0, double Dampening = 0, double WeightDecay = 0, bool Nesterov = false, bool FirstStep = false);

/// <summary>
/// One step of Adam/AdamW as PyTorch documents it (step t counted from 1):
/// AdamW first decays p −= lr·wd·p; Adam instead adds wd·p to the gradient. Then
/// m = β1·m + (1 − β1)·g, v = β2·v + (1 − β2)·g², m̂ = m / (1 − β1^t), and with AMSGrad
/// vmax = max(vmax, v) replaces v; v̂ = v / (1 − β2^t); p −= lr·m̂ / (√v̂ + eps).
/// </summary>
/// <param name="Lr">Learning rate.</param>
/// <param name="Beta1">β1</param>
/// <param name="Beta2">β2</param>
/// <param name="Eps">ε added to √v̂.</param>
/// <param name="WeightDecay">Weight decay (L2 for Adam, decoupled for AdamW).</param>
/// <param name="Step">The step number t, from 1.</param>
/// <param name="Decoupled">AdamW's decoupled weight decay.</param>
/// <param name="Amsgrad">Keep the running maximum of v.</param>
public readonly record struct AdamUpdateParams(
    double Lr, double Beta1, double Beta2, double Eps, double WeightDecay, int Step, bool Decoupled = false, bool Amsgrad = false);
