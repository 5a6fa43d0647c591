"""flatten_then_elementwise, from its definition: a 3x3 `same` convolution (one pixel of zeros on every side),
flattened in C,H,W order (the order of the batch norm's and the dense layer's weights in the weights file), relu,
the batch norm per unit from its formula (x - mean) / sqrt(var + 0.01) * gamma + beta, then the dense layer."""
import torch
import torch.nn.functional as F


def forward(x, w):
    y = F.conv2d(F.pad(x, (1, 1, 1, 1)), w["conv1.weight"], w["conv1.bias"])
    flat = F.relu(y.reshape(y.shape[0], -1))
    normed = (flat - w["bn_relu1.running_mean"]) / torch.sqrt(w["bn_relu1.running_var"] + 0.01)
    normed = normed * w["bn_relu1.weight"] + w["bn_relu1.bias"]
    return normed @ w["fc5.weight"].t() + w["fc5.bias"]
