"""conv_same_stride2_even: a 5x3 convolution at stride 2, `same`, on 10x8: padding totals 3 rows (1 at the top, 2
at the bottom) and 1 column (at the right), then the bias and tanh."""
import torch

from _definitions import conv, same


def forward(x, w):
    pads = same(x, (5, 3), (2, 2))
    assert pads == (1, 2, 0, 1)
    return torch.tanh(conv(x, w, "conv1", stride=(2, 2), pads=pads))
