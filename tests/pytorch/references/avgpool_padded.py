"""avgpool_padded: 3x3 average pooling at stride 1 with 1 pixel of padding on every side, the padding left out
of each window's divisor."""
from _definitions import avg_pool


def forward(x, w):
    return avg_pool(x, (3, 3), (1, 1), (1, 1, 1, 1))
