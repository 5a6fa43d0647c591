"""depthwise_same, from its definition: each channel c convolved with its own 3x3 filter weight[c, 0] (Keras's
DepthwiseConv2D), written as a sum of shifted, scaled copies of the padded input; `same` at stride 1 pads one
pixel on each side; bias; relu."""
import torch.nn.functional as F


def forward(x, w):
    weight, bias = w["dwconv1.weight"], w["dwconv1.bias"]
    padded = F.pad(x, (1, 1, 1, 1))
    h, wd = x.shape[2], x.shape[3]
    out = bias.view(1, -1, 1, 1).expand_as(x).clone()
    for ky in range(3):
        for kx in range(3):
            out = out + padded[:, :, ky:ky + h, kx:kx + wd] * weight[:, 0, ky, kx].view(1, -1, 1, 1)
    return F.relu(out)
