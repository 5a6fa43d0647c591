"""batchnorm_flat: flatten (H,W,C order), a dense layer of 7 units, batch norm of the flat tensor (eps 0.01),
relu, a dense layer of 3 units, softmax."""
import torch.nn.functional as F

from _definitions import batch_norm, dense, flatten, softmax


def forward(x, w):
    x = dense(flatten(x), w, "fc7", after_flatten_of=tuple(x.shape[1:]))
    return softmax(dense(F.relu(batch_norm(x, w, "bn_fc7", eps=0.01)), w, "fc3"))
