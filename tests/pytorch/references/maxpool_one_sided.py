"""maxpool_one_sided: 3x3 max pooling at stride 2, padding [top 0, bottom 1, left 2, right 0]."""
from _definitions import max_pool


def forward(x, w):
    return max_pool(x, (3, 3), (2, 2), (0, 1, 2, 0))
