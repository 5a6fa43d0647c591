"""swish_gelu: swish x * sigmoid(x) (also spelled silu) and exact gelu x / 2 * (1 + erf(x / sqrt 2)), fused and
as layers, then global max pooling and a dense layer with swish."""
import os
import sys

import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from definitions import conv, gelu, global_max_pool, swish  # noqa: E402


def forward(x, w):
    x = swish(conv(x, w, "conv1", same=True))
    x = swish(F.max_pool2d(x, 2, 2))
    x = gelu(gelu(conv(x, w, "conv2", same=True)))
    x = global_max_pool(x)
    return swish(x @ w["fc5.weight"].t() + w["fc5.bias"])
