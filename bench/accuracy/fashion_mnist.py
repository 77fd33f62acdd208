"""Fashion-MNIST data and the small ResNet of the accuracy benchmark.

The data comes from Debian's `dataset-fashion-mnist` (idx files under
/usr/share/datasets/fashion-mnist); nothing is downloaded.
"""

import gzip
import os
import struct

import numpy as np
import torch
from torch import nn

DATA_DIR = "/usr/share/datasets/fashion-mnist"
# Per-pixel statistics of the training images (computed once from the data,
# scaled to [0, 1]); normalising with them keeps the first layer well scaled.
MEAN, STD = 0.2860, 0.3530


def _read_idx(path):
    with gzip.open(path, "rb") as fh:
        data = fh.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 2051:  # images: count, rows, cols
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, np.uint8, offset=16).reshape(count, rows, cols)
    if magic == 2049:  # labels
        return np.frombuffer(data, np.uint8, offset=8)
    raise ValueError(f"{path}: not an idx image or label file (magic {magic:#x})")


def load(split, data_dir=DATA_DIR):
    """(images float32 [N, 1, 28, 28] normalised, labels int64 [N]) of 'train' or 'test'."""
    prefix = {"train": "train", "test": "t10k"}[split]
    images = _read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
    labels = _read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"))
    x = (images.astype(np.float32) / 255.0 - MEAN) / STD
    return torch.from_numpy(x[:, None]), torch.from_numpy(labels.astype(np.int64))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU()
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                          nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return self.relu(y + self.shortcut(x))


class SmallResNet(nn.Module):
    """A ResNet for 28x28 grey images: a 3x3 stem, three stages of two basic blocks
    (width, 2*width, 4*width channels; stride 2 at stages 2 and 3), global average
    pooling and a linear classifier."""

    def __init__(self, width=32, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU()
        stages, cin = [], width
        for i, cout in enumerate((width, 2 * width, 4 * width)):
            stride = 1 if i == 0 else 2
            stages.append(nn.Sequential(BasicBlock(cin, cout, stride), BasicBlock(cout, cout, 1)))
            cin = cout
        self.layer1, self.layer2, self.layer3 = stages
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(self.pool(x), 1))


def evaluate(model, x, y, batch=1000):
    """Top-1 accuracy (%) of `model` on (x, y)."""
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return 100.0 * correct / len(x)


def train(model, x, y, epochs, lr=0.05, batch=128, seed=0, loss_fn=None, log=print):
    """SGD with momentum and a cosine schedule; `loss_fn(model, inputs, labels)` replaces the
    cross entropy when given (e.g. to add distillation and regularisation terms)."""
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=5e-4,
                                nesterov=True)
    steps = epochs * ((len(x) + batch - 1) // batch)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, steps)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(x), generator=generator)
        total = 0.0
        for i in range(0, len(x), batch):
            idx = order[i:i + batch]
            inputs, labels = x[idx], y[idx]
            loss = (loss_fn(model, inputs, labels) if loss_fn
                    else criterion(model(inputs), labels))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += loss.item() * len(idx)
        log(f"  epoch {epoch + 1}/{epochs}: loss {total / len(x):.4f}")
    return model
