"""depthwise_multiplier2, from its definition: with depth multiplier 2, output channel c * 2 + m filters input
channel c with weight[c * 2 + m] (Keras's DepthwiseConv2D channel order); 3x2 kernel, valid; tanh. Written as
the input's channels repeated twice in place and a convolution with one group per output channel."""
import torch
import torch.nn.functional as F


def forward(x, w):
    weight, bias = w["dwconv1.weight"], w["dwconv1.bias"]
    repeated = torch.repeat_interleave(x, 2, dim=1)  # channel c * 2 + m is input channel c
    return torch.tanh(F.conv2d(repeated, weight, bias, groups=repeated.shape[1]))
