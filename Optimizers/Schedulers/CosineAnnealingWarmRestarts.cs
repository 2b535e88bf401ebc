namespace Scratch;

/// <summary>
/// SGDR, cosine annealing with warm restarts (Loshchilov &amp; Hutter), as PyTorch's
/// <c>CosineAnnealingWarmRestarts</c>: lr = η_min + (base − η_min)·(1 + cos(π·T_cur / T_i)) / 2, where
/// T_cur counts steps since the last restart and the period T_i starts at T_0 and is multiplied by
/// T_mult at each restart.
/// </summary>
public sealed class CosineAnnealingWarmRestarts : LRScheduler
{
    private readonly int _t0;
    private readonly int _tMult;
    private readonly double _etaMin;

    /// <summary>Creates the scheduler and applies the rate for step 0.</summary>
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult = 1, double etaMin = 0) : base(optimizer)
    {
        if (t0 < 1) throw new ArgumentOutOfRangeException(nameof(t0), t0, $"CosineAnnealingWarmRestarts: t0 must be >= 1, got {t0}");
        if (tMult < 1) throw new ArgumentOutOfRangeException(nameof(tMult), tMult, $"CosineAnnealingWarmRestarts: tMult must be >= 1, got {tMult}");
        _t0 = t0;
        _tMult = tMult;
        _etaMin = etaMin;
        Initialize();
    }

    /// <summary>Steps (possibly fractional) since the last restart.</summary>
    public double TCur { get; private set; }

    /// <summary>The length of the current period.</summary>
    public double TI { get; private set; }

    /// <inheritdoc/>
    protected override void ResetState()
    {
        TCur = 0;
        TI = _t0;
    }

    /// <inheritdoc/>
    protected override void Advance()
    {
        TCur += 1;
        if (TCur >= TI)
        {
            TCur -= TI;
            TI *= _tMult;
        }
    }

    /// <summary>
    /// Jumps to a (possibly fractional) epoch, e.g. <c>epoch + batch / batches</c> to anneal within an
    /// epoch, as PyTorch's <c>step(epoch)</c>; <see cref="LRScheduler.LastEpoch"/> becomes ⌊epoch⌋.
    /// </summary>
    public void Step(double epoch)
    {
        if (!(epoch >= 0)) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, $"{Name}: epoch must be >= 0, got {epoch}");
        if (epoch >= _t0)
        {
            if (_tMult == 1)
            {
                TCur = epoch % _t0;
                TI = _t0;
            }
            else
            {
                int n = (int)Math.Floor(Math.Log(epoch / _t0 * (_tMult - 1) + 1, _tMult));
                TCur = epoch - _t0 * (Math.Pow(_tMult, n) - 1) / (_tMult - 1);
                TI = _t0 * Math.Pow(_tMult, n);
            }
        }
        else
        {
            TI = _t0;
            TCur = epoch;
        }
        LastEpoch = (int)Math.Floor(epoch);
        Apply();
    }

    /// <inheritdoc/>
    protected override double ComputeLr(int group)
        => _etaMin + (BaseLrs[group] - _etaMin) * (1 + Math.Cos(Math.PI * TCur / TI)) / 2;

    /// <inheritdoc/>
    public override Dictionary<string, double> StateDict()
    {
        var state = base.StateDict();
        state["T_cur"] = TCur;
        state["T_i"] = TI;
        return state;
    }

    /// <inheritdoc/>
    public override void LoadStateDict(IReadOnlyDictionary<string, double> state)
    {
        double tCur = Read(state, "T_cur"), tI = Read(state, "T_i");
        base.LoadStateDict(state);
        TCur = tCur;
        TI = tI;
    }
}
