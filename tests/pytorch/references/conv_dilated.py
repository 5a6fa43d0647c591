"""conv_dilated, from its definition: a 3x3 kernel with dilation 2 spans 5x5, so TensorFlow's `same` at stride 1
pads (5 - 1) / 2 = 2 on each side; leaky relu 0.1. Then 3x2 with dilation 2x3 (taps 2 rows and 3 columns
apart) and explicit pads top 1, bottom 0, left 2, right 1."""
import torch.nn.functional as F


def forward(x, w):
    y = F.conv2d(F.pad(x, (2, 2, 2, 2)), w["conv1.weight"], w["conv1.bias"], dilation=2)
    y = F.leaky_relu(y, 0.1)
    return F.conv2d(F.pad(y, (2, 1, 1, 0)), w["conv2.weight"], w["conv2.bias"], dilation=(2, 3))
