#!/usr/bin/env python3
"""PyTorch reference for `scratch train` on Fashion-MNIST: the same models, settings and data.

Trains the default CNN (Conv(1->32,3,p1)-ReLU-MaxPool2-Conv(32->64,3,p1)-ReLU-MaxPool2-Flatten-
Linear(3136->128)-ReLU-Linear(128->10)), the MLP (784-256-128-10) or, on the images' rows
(28 steps of 28 features, `--dataset fashion-mnist-rows`), the LSTM (LSTM(28->128) on the final hidden state -
Linear(128->10), PyTorch's default init throughout, as scratch), He-normal weights and zero
biases for the layers followed by ReLU (the output layer keeps the default), Adam lr 1e-3, batch 128, pixels scaled to [0,1] and standardised with the training mean/std,
10% of the training split held out for validation by default (as `scratch train`; --val-fraction).

Prints one JSON line per run: test accuracy, seconds per epoch, images per second.

Usage: OMP_WAIT_POLICY=PASSIVE python3 torch_fashion.py --model cnn --epochs 3 --threads 2 [--data DIR]
"""
import argparse, gzip, json, os, struct, time

import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        magic, = struct.unpack(">I", f.read(4))
        dims = struct.unpack(">" + "I" * (magic & 0xFF), f.read(4 * (magic & 0xFF)))
        return torch.frombuffer(bytearray(f.read()), dtype=torch.uint8).reshape(dims)


def find(directory, stem):
    for name in (stem + ".gz", stem):
        if os.path.exists(os.path.join(directory, name)):
            return os.path.join(directory, name)
    raise FileNotFoundError(os.path.join(directory, stem))


def load(directory):
    x = read_idx(find(directory, "train-images-idx3-ubyte")).float().div(255).unsqueeze(1)
    y = read_idx(find(directory, "train-labels-idx1-ubyte")).long()
    tx = read_idx(find(directory, "t10k-images-idx3-ubyte")).float().div(255).unsqueeze(1)
    ty = read_idx(find(directory, "t10k-labels-idx1-ubyte")).long()
    mean, std = x.mean(), x.std(unbiased=False)
    return (x - mean) / std, y, (tx - mean) / std, ty


class LstmRows(nn.Module):
    """scratch's `--model lstm --dataset fashion-mnist-rows`: each image [1, 28, 28] as 28 rows of 28 features."""

    def __init__(self):
        super().__init__()
        self.recurrent = nn.LSTM(28, 128, batch_first=True)
        self.head = nn.Linear(128, 10)

    def forward(self, x):
        _, (h, _) = self.recurrent(x.squeeze(1))
        return self.head(h[-1])


def model_of(name):
    if name == "lstm":
        return LstmRows()
    if name == "cnn":
        m = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))
    else:
        m = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    # He init for the layers followed by ReLU; the output layer keeps PyTorch's default (as scratch).
    for layer in list(m)[:-1]:
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            nn.init.zeros_(layer.bias)
    return m


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="cnn", choices=["cnn", "mlp", "lstm"])
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--val-fraction", type=float, default=0.1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x, y, tx, ty = load(a.data)
    perm = torch.randperm(len(x))
    hold = round(len(x) * a.val_fraction)
    x, y = x[perm[hold:]], y[perm[hold:]]
    model = model_of(a.model)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    times = []
    for _ in range(a.epochs):
        model.train()
        order = torch.randperm(len(x))
        start = time.perf_counter()
        for i in range(0, len(x), 128):
            idx = order[i:i + 128]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - start)
    model.eval()
    with torch.no_grad():
        correct = sum((model(tx[i:i + 1000]).argmax(1) == ty[i:i + 1000]).sum().item() for i in range(0, len(tx), 1000))
    spe = sum(times) / len(times)
    print(json.dumps({"framework": f"torch {torch.__version__}", "model": a.model, "threads": a.threads, "epochs": a.epochs,
                      "test_accuracy": correct / len(tx), "seconds_per_epoch": round(spe, 3),
                      "images_per_second": round(len(x) / spe, 1)}))


if __name__ == "__main__":
    main()
