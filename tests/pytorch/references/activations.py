"""activations: relu, leaky relu (alpha 0.2), sigmoid, tanh, softmax over the channels, one after another."""
import torch

from _definitions import leaky_relu, softmax


def forward(x, w):
    x = leaky_relu(torch.clamp(x, min=0.0), alpha=0.2)
    return softmax(torch.tanh(1.0 / (1.0 + torch.exp(-x))))
