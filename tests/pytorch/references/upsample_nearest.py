"""upsample_nearest: nearest upsampling by 3x2, a `same` conv with relu, then nearest resize to 17x9."""
import os
import sys

import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from definitions import conv, nearest  # noqa: E402


def forward(x, w):
    x = nearest(x, (3 * x.shape[2], 2 * x.shape[3]))
    x = F.relu(conv(x, w, "conv1", same=True))
    return nearest(x, (17, 9))
