"""globalavgpool_dense: the mean over height and width of each channel, then a dense layer of 4 units."""
from _definitions import dense


def forward(x, w):
    return dense(x.mean(dim=(2, 3)), w, "fc4")
