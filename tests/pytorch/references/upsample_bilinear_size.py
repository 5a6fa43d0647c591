"""upsample_bilinear_size: bilinear resize of 6x5 to 11x13, ratios that are not whole numbers."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from definitions import bilinear  # noqa: E402


def forward(x, w):
    return bilinear(x, (11, 13))
