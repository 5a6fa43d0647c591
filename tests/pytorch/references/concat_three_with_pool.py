"""concat_three_with_pool: a 1x1 conv, a 1x1 then 3x3 `same` conv, and a 3x3 stride-1 `same` max pool of the
input, joined along the channels (4 + 6 + 5), then a 1x1 conv."""
import os
import sys

import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from definitions import channels_joined, conv, max_pool_same  # noqa: E402


def forward(x, w):
    a = F.relu(conv(x, w, "conv1"))
    b = F.relu(conv(F.relu(conv(x, w, "conv2")), w, "conv3", same=True))
    c = max_pool_same(x, 3, 1)
    return conv(channels_joined([a, b, c]), w, "conv4")
