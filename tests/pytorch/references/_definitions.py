"""The layers of netc's language written from their definitions with torch.nn.functional, for the independent
references beside this file (not netc's PyTorch emitter). Padding is (top, bottom, left, right), as in `.net`;
x is N,C,H,W; w holds the weights by their netc names in PyTorch's layouts (conv OIHW, dense (out, in) with the
inputs of a dense layer after a flatten in PyTorch's C,H,W order)."""
import math

import torch
import torch.nn.functional as F


def same_pads(size, kernel, stride):
    """TensorFlow's `same` along one axis: total max((ceil(n / s) - 1) * s + k - n, 0), the extra pixel after."""
    total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def same(x, kernel, stride):
    """`same` padding of x for a kernel (kh, kw) and stride (sh, sw): (top, bottom, left, right)."""
    return same_pads(x.shape[2], kernel[0], stride[0]) + same_pads(x.shape[3], kernel[1], stride[1])


def pad(x, pads, value=0.0):
    """x padded by (top, bottom, left, right) with value."""
    top, bottom, left, right = pads
    return F.pad(x, (left, right, top, bottom), value=value)


def conv(x, w, name, stride=(1, 1), pads=(0, 0, 0, 0)):
    """A convolution: explicit zero padding, then a valid cross-correlation with NAME.weight (and NAME.bias)."""
    return F.conv2d(pad(x, pads), w[name + ".weight"], w.get(name + ".bias"), stride=stride)


def conv_same(x, w, name, stride=(1, 1)):
    """A convolution with TensorFlow's `same` padding."""
    weight = w[name + ".weight"]
    return conv(x, w, name, stride, same(x, tuple(weight.shape[2:]), stride))


def max_pool(x, kernel, stride, pads=(0, 0, 0, 0)):
    """Max pooling where padded positions take no part: they are -inf."""
    return F.max_pool2d(pad(x, pads, value=-math.inf), kernel, stride)


def avg_pool(x, kernel, stride, pads=(0, 0, 0, 0)):
    """Keras's average pooling: the sum of the real inputs under the window divided by their count (a sum pool
    of the zero-padded input over a sum pool of zero-padded ones)."""
    ones = torch.ones_like(x[:, :1])
    sums = F.avg_pool2d(pad(x, pads), kernel, stride, divisor_override=1)
    counts = F.avg_pool2d(pad(ones, pads), kernel, stride, divisor_override=1)
    return sums / counts


def batch_norm(x, w, name, eps=1e-3):
    """gamma * (x - mean) / sqrt(var + eps) + beta per channel; gamma 1 without `NAME.weight` (noscale), beta 0
    without `NAME.bias` (nocenter)."""
    shape = (1, -1) + (1,) * (x.dim() - 2)
    mean, var = w[name + ".running_mean"].view(shape), w[name + ".running_var"].view(shape)
    gamma = w[name + ".weight"].view(shape) if name + ".weight" in w else 1.0
    beta = w[name + ".bias"].view(shape) if name + ".bias" in w else 0.0
    return gamma * (x - mean) / torch.sqrt(var + eps) + beta


def flatten(x):
    """netc's flatten: H x W x C to H*W*C, channels last (not PyTorch's C,H,W order)."""
    return x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)


def dense(x, w, name, after_flatten_of=None):
    """x @ NAME.weight^T + NAME.bias. After a flatten of a C,H,W tensor (after_flatten_of = (C, H, W)), the
    weights' inputs, in PyTorch's C,H,W order, are put in the flatten's H,W,C order."""
    weight = w[name + ".weight"]
    if after_flatten_of is not None:
        c, h, width = after_flatten_of
        weight = weight.view(-1, c, h, width).permute(0, 2, 3, 1).reshape(weight.shape[0], -1)
    return F.linear(x, weight, w.get(name + ".bias"))


def softmax(x):
    """Softmax over the channels (dimension 1), computed from its formula."""
    e = torch.exp(x - x.max(dim=1, keepdim=True).values)
    return e / e.sum(dim=1, keepdim=True)


def leaky_relu(x, alpha=0.3):
    """max(x, 0) + alpha * min(x, 0); Keras's default alpha is 0.3."""
    return torch.where(x >= 0, x, alpha * x)
