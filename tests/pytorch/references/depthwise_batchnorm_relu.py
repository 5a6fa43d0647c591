"""depthwise_batchnorm_relu, from its definition: a 3x3 depthwise convolution without bias, `same` (one pixel each
side), then inference batch norm (x - mean) / sqrt(var + 1e-3) * gamma + beta (Keras's default epsilon), relu."""
import torch
import torch.nn.functional as F


def forward(x, w):
    y = F.conv2d(F.pad(x, (1, 1, 1, 1)), w["dwconv1.weight"], None, groups=x.shape[1])
    shape = (1, -1, 1, 1)
    mean, var = w["bn_dwconv1.running_mean"].view(shape), w["bn_dwconv1.running_var"].view(shape)
    gamma, beta = w["bn_dwconv1.weight"].view(shape), w["bn_dwconv1.bias"].view(shape)
    return F.relu((y - mean) / torch.sqrt(var + 1e-3) * gamma + beta)
