namespace Scratch;

/// <summary>Which recurrence a layer or cell runs; fixes the number of gates stacked in its weights.</summary>
internal enum RecurrentKind
{
    RnnTanh,
    RnnRelu,
    Lstm,
    Gru,
}
