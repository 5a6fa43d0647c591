"""residual_projection: main path a 3x3 `same` convolution at stride 2 without bias, batch norm, relu; shortcut a
valid 1x1 convolution at stride 2 (9x9 to 5x5 on both paths); their sum, relu."""
import torch.nn.functional as F

from _definitions import batch_norm, conv, conv_same


def forward(x, w):
    main = F.relu(batch_norm(conv_same(x, w, "conv1", stride=(2, 2)), w, "bn_conv1", eps=1e-3))
    return F.relu(main + conv(x, w, "conv2", stride=(2, 2)))
