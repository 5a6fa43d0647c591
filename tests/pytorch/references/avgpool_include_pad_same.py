"""avgpool_include_pad_same: 3x3 stride 2 `same` on 7x8 (pads 1/1 in height, 0/1 in width), dividing by 9
whatever the padding (count_include_pad)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from definitions import avg_pool_include_pad, same_pads  # noqa: E402


def forward(x, w):
    pads = same_pads(x.shape[2], 3, 2) + same_pads(x.shape[3], 3, 2)
    return avg_pool_include_pad(x, (3, 3), (2, 2), pads)
