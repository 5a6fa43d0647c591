"""Layer definitions for the independent references of the concatenation, upsampling, pooling and activation
cases, written from the definitions with plain tensor arithmetic (clamp, erf, exp, explicit zero padding and
window sums), not with the torch.nn.functional shortcuts that netc's PyTorch emitter uses."""
import math

import torch
import torch.nn.functional as F


def same_pads(size, kernel, stride):
    """TensorFlow's `same`: total max((ceil(n / s) - 1) * s + k - n, 0), the extra pixel after."""
    total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def pad_same(x, kernel, stride, value=0.0):
    top, bottom = same_pads(x.shape[2], kernel[0], stride[0])
    left, right = same_pads(x.shape[3], kernel[1], stride[1])
    return F.pad(x, (left, right, top, bottom), value=value)


def conv(x, w, name, stride=1, same=False, bias=True):
    weight = w[name + ".weight"]
    kernel = (weight.shape[2], weight.shape[3])
    if same:
        x = pad_same(x, kernel, (stride, stride))
    return F.conv2d(x, weight, w[name + ".bias"] if bias else None, stride=stride)


def relu6(x):
    return torch.clamp(x, min=0.0, max=6.0)


def hard_sigmoid(x):
    return relu6(x + 3) / 6


def hard_swish(x):
    return x * hard_sigmoid(x)


def swish(x):
    return x / (1 + torch.exp(-x))


def gelu(x):
    return x / 2 * (1 + torch.erf(x / math.sqrt(2)))


def avg_pool_include_pad(x, kernel, stride, pads):
    """Mean over every kh x kw window of x zero-padded by (top, bottom, left, right): padding counts."""
    top, bottom, left, right = pads
    x = F.pad(x, (left, right, top, bottom))
    windows = x.unfold(2, kernel[0], stride[0]).unfold(3, kernel[1], stride[1])
    return windows.sum(dim=(-1, -2)) / (kernel[0] * kernel[1])


def global_max_pool(x):
    return x.flatten(2).max(dim=2).values


def batch_norm(x, w, name, eps=1e-3):
    """Inference batch norm: gamma * (x - mean) / sqrt(var + eps) + beta, per channel."""
    def per_channel(key):
        return w[name + "." + key].reshape(1, -1, 1, 1)
    return per_channel("weight") * (x - per_channel("running_mean")) / torch.sqrt(per_channel("running_var") + eps) \
        + per_channel("bias")


def max_pool_same(x, kernel, stride):
    """Max pooling with TensorFlow's `same` padding, the padding never winning (-inf)."""
    return F.max_pool2d(pad_same(x, (kernel, kernel), (stride, stride), value=float("-inf")), kernel, stride)


def avg_pool_same_real_inputs(x, kernel, stride):
    """Average over each `same`-padded window's real inputs (Keras): window sums of x over window sums of ones."""
    ones = torch.ones_like(x[:, :1])
    sums = avg_pool_include_pad(x, (kernel, kernel), (stride, stride),
                                same_pads(x.shape[2], kernel, stride) + same_pads(x.shape[3], kernel, stride))
    counts = avg_pool_include_pad(ones, (kernel, kernel), (stride, stride),
                                  same_pads(x.shape[2], kernel, stride) + same_pads(x.shape[3], kernel, stride))
    return sums / counts


def channels_joined(parts):
    """Concatenation along the channels, written as placing each part in its slice of a zero tensor."""
    out = torch.zeros(parts[0].shape[0], sum(p.shape[1] for p in parts), *parts[0].shape[2:])
    offset = 0
    for p in parts:
        out[:, offset:offset + p.shape[1]] = p
        offset += p.shape[1]
    return out


def source_index(out_size, in_size):
    """PyTorch's bilinear source positions (align_corners=False): (dst + 0.5) * in / out - 0.5, at least 0."""
    scale = in_size / out_size
    src = torch.clamp((torch.arange(out_size, dtype=torch.float64) + 0.5) * scale - 0.5, min=0)
    lo = torch.floor(src).long()
    hi = torch.clamp(lo + 1, max=in_size - 1)
    return lo, hi, (src - lo).float()


def bilinear(x, size):
    """Bilinear resize to size (h, w) from the half-pixel rule, separably: rows, then columns."""
    y0, y1, ty = source_index(size[0], x.shape[2])
    x0, x1, tx = source_index(size[1], x.shape[3])
    rows = x[:, :, y0] * (1 - ty).reshape(1, 1, -1, 1) + x[:, :, y1] * ty.reshape(1, 1, -1, 1)
    return rows[:, :, :, x0] * (1 - tx) + rows[:, :, :, x1] * tx


def nearest(x, size):
    """Nearest resize to size (h, w): source floor(dst * in / out)."""
    ys = torch.floor(torch.arange(size[0], dtype=torch.float64) * x.shape[2] / size[0]).long()
    xs = torch.floor(torch.arange(size[1], dtype=torch.float64) * x.shape[3] / size[1]).long()
    return x[:, :, ys][:, :, :, xs]
