"""zeropad_then_pool_signed: zero padding [1, 1, 1, 1] of a signed input, then 3x3 max pooling at stride 2 (7x6
to 4x3): the padding's zeros take part in the max and win over negative values at the borders."""
from _definitions import max_pool, pad


def forward(x, w):
    return max_pool(pad(x, (1, 1, 1, 1)), (3, 3), (2, 2))
