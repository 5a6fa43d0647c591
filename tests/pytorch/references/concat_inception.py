"""concat_inception: an Inception module (1x1; 1x1 then 5x5; 1x1 then two 3x3; a 3x3 stride-1 `same` average
over the real inputs then 1x1), joined along the channels, then a 3x3 stride-2 valid max pool."""
import os
import sys

import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from definitions import avg_pool_same_real_inputs, channels_joined, conv  # noqa: E402


def relu_conv(x, w, name, same=False):
    return F.relu(conv(x, w, name, same=same))


def forward(x, w):
    a = relu_conv(x, w, "conv1")
    b = relu_conv(relu_conv(x, w, "conv2"), w, "conv3", same=True)
    c = relu_conv(relu_conv(relu_conv(x, w, "conv4"), w, "conv5", same=True), w, "conv6", same=True)
    d = relu_conv(avg_pool_same_real_inputs(x, 3, 1), w, "conv7")
    return F.max_pool2d(channels_joined([a, b, c, d]), 3, 2)
