"""conv_same_stride2, from its definition: TensorFlow's `same` padding at stride 2 (the padding total
max((ceil(n / s) - 1) * s + k - n, 0), the extra pixel at the bottom and right), the bias, relu."""
import math

import torch.nn.functional as F


def same_pads(size, kernel, stride):
    total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def forward(x, w):
    weight, bias = w["conv1.weight"], w["conv1.bias"]
    kh, kw = weight.shape[2], weight.shape[3]
    top, bottom = same_pads(x.shape[2], kh, 2)
    left, right = same_pads(x.shape[3], kw, 2)
    return F.relu(F.conv2d(F.pad(x, (left, right, top, bottom)), weight, bias, stride=2))
