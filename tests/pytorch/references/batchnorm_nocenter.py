"""batchnorm_nocenter: 2x2 max pooling (6x5 to 3x2, valid), batch norm without beta (nocenter), relu, batch norm
without gamma or beta (eps 0.01)."""
import torch.nn.functional as F

from _definitions import batch_norm, max_pool


def forward(x, w):
    assert "bn_pool1.bias" not in w and "bn_relu1.weight" not in w and "bn_relu1.bias" not in w
    x = F.relu(batch_norm(max_pool(x, (2, 2), (2, 2)), w, "bn_pool1", eps=1e-3))
    return batch_norm(x, w, "bn_relu1", eps=0.01)
