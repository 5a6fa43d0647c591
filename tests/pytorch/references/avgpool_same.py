"""avgpool_same: 3x3 average pooling at stride 2, `same` (7x5: 1 pixel on every side), each window divided by the
count of real inputs under it."""
from _definitions import avg_pool, same


def forward(x, w):
    pads = same(x, (3, 3), (2, 2))
    assert pads == (1, 1, 1, 1)
    return avg_pool(x, (3, 3), (2, 2), pads)
