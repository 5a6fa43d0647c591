"""Trains a .net model on scikit-learn's handwritten digits with the PyTorch module netc emits for it, and
exports what the C++ code needs: the weights, and the held-out split.

    /usr/bin/python3 tools/train_digits.py --netc build/compiler/netc --model examples/digits/digits_vgg.net \
        --out examples/digits

The data: 1,797 8x8 grey images (values 0..16, scaled to [0, 1]) of the digits 0-9, shipped with Debian's
python3-sklearn. 20% of them, stratified with a fixed seed, are held out. Training: Adam, cross-entropy on
the logits (the module's `logits=True`), a fixed seed, on the CPU.

Writes into --out:
  NAME.safetensors      the trained weights under the .net layer names; its metadata records the held-out
                        accuracy PyTorch reached and PyTorch's prediction for every held-out image
  heldout.safetensors   the held-out images (N x 8 x 8 x 1, NHWC as the C++ code takes them) and labels
  images/               a few held-out digits as PGM files, for the classify example
"""
import argparse
import importlib.util
import os
import subprocess
import sys

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402


def load_module(path):
    """The torch.nn.Module class of a module netc emitted (NAME.py), and its name."""
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cls = next(v for v in vars(module).values() if isinstance(v, type) and issubclass(v, torch.nn.Module))
    return name, cls


def emit_module(netc, model_path, out):
    name = os.path.splitext(os.path.basename(model_path))[0]
    subprocess.run([netc, "emit", model_path, "--target", "pytorch", "-o", out, "--name", name], check=True)
    return load_module(os.path.join(out, name + ".py"))


def split():
    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, None, :, :]  # N, 1, 8, 8
    return train_test_split(images, digits.target, test_size=0.2, stratify=digits.target, random_state=0)


def train(model, x, y, epochs, seed):
    torch.manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-4)
    loss_fn = torch.nn.CrossEntropyLoss()
    x, y = torch.from_numpy(x), torch.from_numpy(y).long()
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(x))
        for start in range(0, len(x), 64):
            batch = order[start:start + 64]
            optimizer.zero_grad()
            loss = loss_fn(model(x[batch], logits=True), y[batch])
            loss.backward()
            optimizer.step()
    return model.eval()


def write_pgm(path, image):
    pixels = np.clip(np.round(image * 255), 0, 255).astype(np.uint8)
    with open(path, "wb") as f:
        f.write(b"P5\n%d %d\n255\n" % (pixels.shape[1], pixels.shape[0]) + pixels.tobytes())


def export(model, name, x_test, y_test, out, metadata):
    """Writes what the C++ code needs into `out`: the weights with PyTorch's held-out accuracy and predictions in
    their metadata (and `metadata`), the held-out split, and a few held-out digits as PGM files."""
    with torch.no_grad():
        predictions = model(torch.from_numpy(x_test)).argmax(dim=1).numpy()
    accuracy = float((predictions == y_test).mean())
    print(f"{name}: held-out accuracy in PyTorch {accuracy:.4f} ({int((predictions == y_test).sum())}/{len(y_test)})")
    metadata = {"netc.model": name, "netc.input": "8x8x1", "netc.classes": "10",
                "train.heldout_accuracy": f"{accuracy:.6f}", **metadata,
                "train.heldout_predictions": "".join(str(int(k)) for k in predictions)}
    safetensors_io.save(os.path.join(out, name + ".safetensors"), model.state_dict(), metadata)
    safetensors_io.save(os.path.join(out, "heldout.safetensors"),
                        {"images": x_test.transpose(0, 2, 3, 1), "labels": y_test.astype(np.float32)})
    images = os.path.join(out, "images")
    os.makedirs(images, exist_ok=True)
    for i in range(10):
        write_pgm(os.path.join(images, f"heldout_{i}_label_{y_test[i]}.pgm"), x_test[i, 0])
    return accuracy


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--netc", required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--epochs", type=int, default=60)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)  # deterministic results on any machine

    name, cls = emit_module(args.netc, args.model, args.out)
    x_train, x_test, y_train, y_test = split()
    torch.manual_seed(args.seed)
    model = train(cls(), x_train, y_train, args.epochs, args.seed)
    export(model, name, x_test, y_test, args.out, {"train.epochs": str(args.epochs), "train.seed": str(args.seed)})


if __name__ == "__main__":
    main()
