"""batchnorm_alone: 2x2 max pooling, batch norm (eps 1e-3) on its own, leaky relu (Keras's alpha 0.3)."""
from _definitions import batch_norm, leaky_relu, max_pool


def forward(x, w):
    return leaky_relu(batch_norm(max_pool(x, (2, 2), (2, 2)), w, "bn_pool1", eps=1e-3), alpha=0.3)
