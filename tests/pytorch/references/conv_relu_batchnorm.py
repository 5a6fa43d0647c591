"""conv_relu_batchnorm: a `same` convolution with relu, batch norm (eps 1e-3) after the relu, a 1x1 convolution
with softmax over the channels, batch norm (Keras's default eps 1e-3) after the softmax."""
import torch.nn.functional as F

from _definitions import batch_norm, conv, conv_same, softmax


def forward(x, w):
    x = batch_norm(F.relu(conv_same(x, w, "conv1")), w, "bn_conv1", eps=1e-3)
    return batch_norm(softmax(conv(x, w, "conv2")), w, "bn_conv2", eps=1e-3)
