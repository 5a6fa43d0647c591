"""concat_dense_chain: two DenseNet layers (the input itself joined with batch norm, relu, 1x1 conv, batch norm,
relu, 3x3 `same` conv of it), then batch norm and relu."""
import os
import sys

import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from definitions import batch_norm, channels_joined, conv  # noqa: E402


def dense_layer(x, w, bn_in, conv1, conv2):
    y = F.relu(batch_norm(x, w, bn_in))
    y = F.relu(batch_norm(conv(y, w, conv1, bias=False), w, "bn_" + conv1))
    return channels_joined([x, conv(y, w, conv2, same=True, bias=False)])


def forward(x, w):
    x = dense_layer(x, w, "bn1", "conv1", "conv2")
    x = dense_layer(x, w, "bn_concat1", "conv3", "conv4")
    return F.relu(batch_norm(x, w, "bn_concat2"))
