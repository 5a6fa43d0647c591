"""conv_same_stride2_odd: a 4x2 convolution at stride 2, `same`, on odd sizes 9x7: padding totals 3 rows (1 at
the top, 2 at the bottom) and 1 column (at the right), then the bias."""
from _definitions import conv, same


def forward(x, w):
    pads = same(x, (4, 2), (2, 2))
    assert pads == (1, 2, 0, 1)
    return conv(x, w, "conv1", stride=(2, 2), pads=pads)
