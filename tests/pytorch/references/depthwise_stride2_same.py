"""depthwise_stride2_same, from its definition: multiplier 2 (output channel c * 2 + m reads input channel c),
3x3 at stride 2 with TensorFlow's `same` on an odd 9x7 input: 5x4 outputs, padding totals (5 - 1) * 2 + 3 - 9 = 2
(1 top, 1 bottom) and (4 - 1) * 2 + 3 - 7 = 2 (1 left, 1 right). No activation."""
import math

import torch
import torch.nn.functional as F


def same_pads(size, kernel, stride):
    total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def forward(x, w):
    weight, bias = w["dwconv1.weight"], w["dwconv1.bias"]
    top, bottom = same_pads(x.shape[2], 3, 2)
    left, right = same_pads(x.shape[3], 3, 2)
    repeated = torch.repeat_interleave(F.pad(x, (left, right, top, bottom)), 2, dim=1)
    return F.conv2d(repeated, weight, bias, stride=2, groups=repeated.shape[1])
