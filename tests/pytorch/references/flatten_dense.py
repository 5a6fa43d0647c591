"""flatten_dense: a `same` convolution with relu, flatten (H,W,C order), dropout (the identity at inference), a
dense layer of 10 units with sigmoid, a dense layer of 6 units with softmax."""
import torch
import torch.nn.functional as F

from _definitions import conv_same, dense, flatten, softmax


def forward(x, w):
    x = F.relu(conv_same(x, w, "conv1"))
    x = torch.sigmoid(dense(flatten(x), w, "fc10", after_flatten_of=tuple(x.shape[1:])))
    return softmax(dense(x, w, "fc6"))
