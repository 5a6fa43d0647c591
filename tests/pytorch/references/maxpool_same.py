"""maxpool_same: 2x2 max pooling, stride 2 (the kernel), `same`: 7x9 pads 1 at the bottom and 1 at the right,
which take no part in the max."""
from _definitions import max_pool, same


def forward(x, w):
    pads = same(x, (2, 2), (2, 2))
    assert pads == (0, 1, 0, 1)
    return max_pool(x, (2, 2), (2, 2), pads)
