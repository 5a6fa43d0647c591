"""conv_grouped, from its definition: 3 groups (filters 3g..3g+2 see input channels 2g, 2g+1 only), TensorFlow's
`same` at stride 1 (3x3: one pixel each side), relu; then a 1x1 convolution in 3 groups of 3 channels to 2 filters.
Each group is computed as its own convolution on its slice of channels and the results concatenated."""
import torch
import torch.nn.functional as F


def grouped(x, weight, bias, groups):
    cin, cout = x.shape[1] // groups, weight.shape[0] // groups
    parts = [F.conv2d(x[:, g * cin:(g + 1) * cin], weight[g * cout:(g + 1) * cout], bias[g * cout:(g + 1) * cout])
             for g in range(groups)]
    return torch.cat(parts, dim=1)


def forward(x, w):
    y = F.relu(grouped(F.pad(x, (1, 1, 1, 1)), w["conv1.weight"], w["conv1.bias"], 3))
    return grouped(y, w["conv2.weight"], w["conv2.bias"], 3)
