"""conv_grouped_dilated_strided, from its definition: 4 groups of 2 input channels to 3 filters, a 3x3 kernel with
dilation 2 (extent 5) at stride 2 with TensorFlow's `same`: on 13 rows the output has ceil(13 / 2) = 7 rows and
the padding total is (7 - 1) * 2 + 5 - 13 = 4 (2 and 2); on 10 columns 5 columns, total (5 - 1) * 2 + 5 - 10 = 3
(1 left, 2 right); relu."""
import math

import torch.nn.functional as F


def same_pads(size, extent, stride):
    total = max((math.ceil(size / stride) - 1) * stride + extent - size, 0)
    return total // 2, total - total // 2


def forward(x, w):
    top, bottom = same_pads(x.shape[2], 5, 2)
    left, right = same_pads(x.shape[3], 5, 2)
    assert (top, bottom, left, right) == (2, 2, 1, 2)
    y = F.conv2d(F.pad(x, (left, right, top, bottom)), w["conv1.weight"], w["conv1.bias"], stride=2, dilation=2,
                 groups=4)
    return F.relu(y)
