"""preprocess_flat, from its definition: x / 127.5 - 1 (Keras's "tf" scaling), flattened in C,H,W order (the
order of the dense layer's weights in the weights file; netc permutes them for its H,W,C tensors), then
(v - 0.1) / 2 on every value, then the dense layer."""
import torch


def forward(x, w):
    scaled = x / 127.5 - 1
    flat = scaled.reshape(scaled.shape[0], -1)
    normalised = (flat - 0.1) / 2
    return normalised @ w["fc3.weight"].t() + w["fc3.bias"]
