"""zeropad_then_avgpool: zero padding [top 1, bottom 0, left 2, right 1], then 2x2 average pooling (5x7 to 3x5):
the padding's zeros are inputs, counted in each window's divisor."""
from _definitions import avg_pool, pad


def forward(x, w):
    return avg_pool(pad(x, (1, 0, 2, 1)), (2, 2), (2, 2))
