"""avgpool_same_stride2_mixed: 3x3 average pooling at stride 2, `same`, on 10x9: one row of padding at the
bottom only, one column on each side, left out of each window's divisor."""
from _definitions import avg_pool, same


def forward(x, w):
    pads = same(x, (3, 3), (2, 2))
    assert pads == (0, 1, 1, 1)
    return avg_pool(x, (3, 3), (2, 2), pads)
