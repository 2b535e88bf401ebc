namespace Scratch.Training;

/// <summary>The architectures the <c>scratch</c> command trains, built from Layers.</summary>
public static class Models
{
    /// <summary>Names accepted by <see cref="Create"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["cnn", "mlp", "resnet", "densenet", "lstm", "gru", "rnn", "conv1d"];

    /// <summary>
    /// Builds model <paramref name="name"/> for inputs of <paramref name="inputShape"/> ([C, H, W] for
    /// images, [T, F] for sequences, [features] for tables) and <paramref name="outputs"/> outputs, with He-initialised
    /// weights (see <see cref="HeInit"/>) drawn from <paramref name="generator"/>.
    /// </summary>
    public static Module Create(string name, IReadOnlyList<int> inputShape, int outputs, double dropout, Generator generator)
    {
        bool image = inputShape.Count == 3, sequence = inputShape.Count == 2;
        Module model = name.ToLowerInvariant() switch
        {
            "cnn" when image => Cnn(inputShape[0], inputShape[1], inputShape[2], outputs, dropout, generator),
            "resnet" when image => ResNet(inputShape[0], outputs, generator),
            "densenet" when image => DenseNet(inputShape[0], outputs, generator),
            "mlp" => Mlp((int)Shapes.Count(inputShape), image ? [256, 128] : [64, 32], outputs, dropout, generator),
            "lstm" when sequence => new RecurrentClassifier(new LSTM(inputShape[1], 128, batchFirst: true, generator: generator), outputs, dropout, generator),
            "gru" when sequence => new RecurrentClassifier(new GRU(inputShape[1], 128, batchFirst: true, generator: generator), outputs, dropout, generator),
            "rnn" when sequence => new RecurrentClassifier(new RNN(inputShape[1], 128, batchFirst: true, generator: generator), outputs, dropout, generator),
            "conv1d" when sequence => Conv1dNet(inputShape[1], outputs, dropout, generator),
            "lstm" or "gru" or "rnn" or "conv1d" => throw new ArgumentException($"model '{name}' needs sequence input [T, F]; this data has {inputShape.Count}-d examples {Shapes.Format(inputShape)} (use --dataset fashion-mnist-rows)"),
            "cnn" or "resnet" or "densenet" => throw new ArgumentException($"model '{name}' needs image input [C, H, W]; this data has {inputShape.Count}-d examples {Shapes.Format(inputShape)} (use --model mlp)"),
            _ => throw new ArgumentException($"unknown model '{name}' (known: {string.Join(", ", Names)})"),
        };
        HeInit(model, generator);
        return model;
    }

    /// <summary>
    /// The default CNN: Conv(C→32, 3, pad 1)-ReLU-MaxPool2 - Conv(32→64, 3, pad 1)-ReLU-MaxPool2 -
    /// Flatten - Linear(64·H/4·W/4 → 128)-ReLU - [Dropout] - Linear(128 → classes).
    /// </summary>
    public static Sequential Cnn(int channels, int height, int width, int classes, double dropout, Generator generator)
    {
        var layers = new List<Module>
        {
            new Conv2d(channels, 32, 3, padding: 1, generator: generator), new ReLU(), new MaxPool2d(2),
            new Conv2d(32, 64, 3, padding: 1, generator: generator), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Linear(64 * (height / 4) * (width / 4), 128, generator: generator), new ReLU(),
        };
        if (dropout > 0) layers.Add(new Dropout(dropout, generator));
        layers.Add(new Linear(128, classes, generator: generator));
        return new Sequential(layers.ToArray());
    }

    /// <summary>
    /// A 1-D convnet over sequences [N, T, F] (features as channels): Transpose - Conv1d(F→64, 3, pad 1)-ReLU-MaxPool1d(2) -
    /// Conv1d(64→128, 3, pad 1)-ReLU - AdaptiveAvgPool1d(1) - Flatten - [Dropout] - Linear(128 → classes).
    /// </summary>
    public static Sequential Conv1dNet(int features, int classes, double dropout, Generator generator)
    {
        var layers = new List<Module>
        {
            new Transpose(1, 2),
            new Conv1d(features, 64, 3, padding: 1, generator: generator), new ReLU(), new MaxPool1d(2),
            new Conv1d(64, 128, 3, padding: 1, generator: generator), new ReLU(),
            new AdaptiveAvgPool1d(1), new Flatten(),
        };
        if (dropout > 0) layers.Add(new Dropout(dropout, generator));
        layers.Add(new Linear(128, classes, generator: generator));
        return new Sequential(layers.ToArray());
    }

    /// <summary>A multilayer perceptron: Flatten - (Linear-ReLU-[Dropout]) per hidden size - Linear.</summary>
    public static Sequential Mlp(int inputs, int[] hidden, int outputs, double dropout, Generator generator)
    {
        var layers = new List<Module> { new Flatten() };
        int width = inputs;
        foreach (int h in hidden)
        {
            layers.Add(new Linear(width, h, generator: generator));
            layers.Add(new ReLU());
            if (dropout > 0) layers.Add(new Dropout(dropout, generator));
            width = h;
        }
        layers.Add(new Linear(width, outputs, generator: generator));
        return new Sequential(layers.ToArray());
    }

    /// <summary>A small ResNet: Conv-BN-ReLU stem (16), basic blocks 16, 32 (/2), 64 (/2), global average pooling, Linear.</summary>
    public static Sequential ResNet(int channels, int classes, Generator generator) => new(
        new Conv2d(channels, 16, 3, padding: 1, bias: false, generator: generator), new BatchNorm2d(16), new ReLU(),
        new ResNetBasicBlock(16, 16, 1, generator), new ResNetBasicBlock(16, 32, 2, generator), new ResNetBasicBlock(32, 64, 2, generator),
        new AdaptiveAvgPool2d(1), new Flatten(), new Linear(64, classes, generator: generator));

    /// <summary>A small DenseNet: Conv stem (16), dense block (4 layers, growth 12), transition to 32 (/2), dense block, BN-ReLU, global pooling, Linear.</summary>
    public static Sequential DenseNet(int channels, int classes, Generator generator) => new(
        new Conv2d(channels, 16, 3, padding: 1, bias: false, generator: generator),
        new DenseBlock(4, 16, 12, generator), new TransitionLayer(16 + 4 * 12, 32, generator),
        new DenseBlock(4, 32, 12, generator), new BatchNorm2d(32 + 4 * 12), new ReLU(),
        new AdaptiveAvgPool2d(1), new Flatten(), new Linear(32 + 4 * 12, classes, generator: generator));

    /// <summary>
    /// He (Kaiming) normal weights and zero biases for every Conv2d, Conv1d and Linear except the last Linear
    /// (recurrent layers keep PyTorch's initialisation):
    /// He's derivation assumes a ReLU after the layer, and the output layer has none, so it keeps the
    /// layer's default (PyTorch's) initialisation — which also starts the loss near ln(classes)
    /// instead of about twice that.
    /// </summary>
    public static void HeInit(Module model, Generator generator)
    {
        var output = model.Modules().OfType<Linear>().LastOrDefault();
        foreach (var module in model.Modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    Init.HeNormal(conv.Weight, generator: generator);
                    if (conv.Bias is not null) Init.Zeros(conv.Bias);
                    break;
                case Conv1d conv:
                    Init.HeNormal(conv.Weight, generator: generator);
                    if (conv.Bias is not null) Init.Zeros(conv.Bias);
                    break;
                case Linear linear when !ReferenceEquals(linear, output):
                    Init.HeNormal(linear.Weight, generator: generator);
                    if (linear.Bias is not null) Init.Zeros(linear.Bias);
                    break;
            }
        }
    }
}
