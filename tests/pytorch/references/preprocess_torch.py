"""preprocess_torch, from its definition: x / 255, then (x - mean) / std per channel (torchvision's Normalize),
then a 3x3 convolution at stride 2 with TensorFlow's `same` padding: on 8x6 the padding total is
max((ceil(n / 2) - 1) * 2 + 3 - n, 0) = 1 in both directions, all of it at the bottom and right."""
import torch
import torch.nn.functional as F

MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def forward(x, w):
    normalised = (x / 255 - MEAN) / STD
    return F.conv2d(F.pad(normalised, (0, 1, 0, 1)), w["conv1.weight"], w["conv1.bias"], stride=2)
