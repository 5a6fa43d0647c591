"""unet_40x56: examples/unet/unet.net written from its definition (two same-padded 3x3 convolutions with batch
norm and relu per level, 2x2 max pools, bilinear x2 upsampling, the encoder's map first in each concatenation,
a 1x1 head and a softmax over the classes), with _definitions.py's layers and definitions.py's bilinear."""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _definitions import batch_norm, conv_same, max_pool, softmax  # noqa: E402
from definitions import bilinear  # noqa: E402


def double_conv(x, w, use):
    for label in ("conv_a", "conv_b"):
        x = torch.relu(batch_norm(conv_same(x, w, f"res{use}_{label}"), w, f"bn{use}_{label}"))
    return x


def up(x):
    return bilinear(x, (2 * x.shape[2], 2 * x.shape[3]))


def forward(x, w):
    enc1 = double_conv(x, w, "enc1")
    enc2 = double_conv(max_pool(enc1, (2, 2), (2, 2)), w, "enc2")
    enc3 = double_conv(max_pool(enc2, (2, 2), (2, 2)), w, "enc3")
    bottom = double_conv(max_pool(enc3, (2, 2), (2, 2)), w, "bottom")
    dec3 = double_conv(torch.cat([enc3, up(bottom)], dim=1), w, "dec3")
    dec2 = double_conv(torch.cat([enc2, up(dec3)], dim=1), w, "dec2")
    dec1 = double_conv(torch.cat([enc1, up(dec2)], dim=1), w, "dec1")
    return softmax(conv_same(dec1, w, "head"))
