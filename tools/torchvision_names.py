"""Maps torchvision's state_dict keys onto the layer names of netc's models of the same architecture.

    vgg16()    -> models/vgg16.net                 (Keras's names)
    resnet50() -> models/resnet50_torchvision.net  (the reference course's names)

VGG16: torchvision's `features` list holds the 13 convolutions at indices 0, 2, 5, 7, 10, 12, 14, 17, 19, 21,
24, 26, 28 (the others are ReLUs and pools): block{b}_conv{j} in box order. `classifier.0`, `.3` and `.6`
are fc1, fc2 and predictions. (torchvision's adaptive average pool to 7x7 is the identity at 224x224.)

ResNet50: `conv1`/`bn1` are conv1/bn_conv1; `layer{L}.{i}` is stage L + 1, block letter a, b, c... and its
conv{k}/bn{k} for k = 1, 2, 3 are res{stage}{letter}_branch2{a,b,c} and bn{stage}{letter}_branch2{a,b,c};
`downsample.0`/`.1` are res{stage}{letter}_branch1 and bn{stage}{letter}_branch1; `fc` is fc.

    python3 tools/torchvision_names.py resnet50   # prints the mapping
"""
import re
import string
import sys

_VGG16_CONVS = [0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28]
_VGG16_BOXES = [2, 2, 3, 3, 3]


def _vgg16_layers():
    names, index = {}, 0
    for box, count in enumerate(_VGG16_BOXES, start=1):
        for j in range(1, count + 1):
            names[f"features.{_VGG16_CONVS[index]}"] = f"block{box}_conv{j}"
            index += 1
    names.update({"classifier.0": "fc1", "classifier.3": "fc2", "classifier.6": "predictions"})
    return names


def _resnet_layer(prefix):
    if prefix == "conv1":
        return "conv1"
    if prefix == "bn1":
        return "bn_conv1"
    if prefix == "fc":
        return "fc"
    m = re.fullmatch(r"layer(\d)\.(\d+)\.(conv|bn)(\d)", prefix)
    if m:
        stage, block = int(m[1]) + 1, string.ascii_lowercase[int(m[2])]
        kind = "res" if m[3] == "conv" else "bn"
        return f"{kind}{stage}{block}_branch2{'abc'[int(m[4]) - 1]}"
    m = re.fullmatch(r"layer(\d)\.(\d+)\.downsample\.([01])", prefix)
    if m:
        stage, block = int(m[1]) + 1, string.ascii_lowercase[int(m[2])]
        return f"{'res' if m[3] == '0' else 'bn'}{stage}{block}_branch1"
    raise KeyError(f"no netc name for torchvision's '{prefix}'")


def netc_name(architecture, key):
    """The netc key of one torchvision state_dict key, e.g. ('resnet50', 'layer1.0.bn2.running_var')
    -> 'bn2a_branch2b.running_var'."""
    prefix, _, tensor = key.rpartition(".")
    if architecture == "vgg16":
        layer = _vgg16_layers().get(prefix)
        if layer is None:
            raise KeyError(f"no netc name for torchvision's '{prefix}'")
    elif architecture == "resnet50":
        layer = _resnet_layer(prefix)
    else:
        raise ValueError(f"unknown architecture '{architecture}' (vgg16 or resnet50)")
    return f"{layer}.{tensor}"


def to_netc(architecture, state_dict):
    """torchvision's state_dict with its keys renamed for netc (num_batches_tracked entries are dropped)."""
    return {netc_name(architecture, k): v for k, v in state_dict.items() if not k.endswith("num_batches_tracked")}


if __name__ == "__main__":
    import torchvision
    arch = sys.argv[1] if len(sys.argv) > 1 else "resnet50"
    model = getattr(torchvision.models, arch)()
    for key in model.state_dict():
        if not key.endswith("num_batches_tracked"):
            print(f"{key:45} -> {netc_name(arch, key)}")
