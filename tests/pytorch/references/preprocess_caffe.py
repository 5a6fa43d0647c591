"""preprocess_caffe, from its definition: the channels reversed (R,G,B to B,G,R), each less its mean, then a
3x3 `same` convolution at stride 1 (one pixel of zeros on every side) with bias and relu."""
import torch
import torch.nn.functional as F

MEAN = torch.tensor([103.939, 116.779, 123.68]).view(1, 3, 1, 1)


def forward(x, w):
    bgr = x[:, [2, 1, 0]]
    centred = bgr - MEAN
    return F.relu(F.conv2d(F.pad(centred, (1, 1, 1, 1)), w["conv1.weight"], w["conv1.bias"]))
