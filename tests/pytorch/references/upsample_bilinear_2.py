"""upsample_bilinear_2: bilinear upsampling by 2 (half-pixel centres, align_corners=False)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from definitions import bilinear  # noqa: E402


def forward(x, w):
    return bilinear(x, (2 * x.shape[2], 2 * x.shape[3]))
