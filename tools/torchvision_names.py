#!/usr/bin/env python3
"""torchvision's checkpoints as netc weights: maps the state_dict keys of torchvision's VGG, ResNet, ResNeXt and
InceptionV3 models onto the layer names of netc's models of the same architecture, and checks a checkpoint against
the architecture.

    vgg11, vgg13, vgg16, vgg19       -> models/vgg11.net ... models/vgg19.net (Keras's names)
    resnet18, resnet34, resnet50,    -> models/resnet18_torchvision.net ... models/resnet152_torchvision.net
    resnet101, resnet152                (the reference course's names)
    resnext50_32x4d                  -> models/resnext50_32x4d.net (the ResNets' names)
    inception_v3                     -> models/inception_v3_torchvision.net (torchvision's module names)
    mobilenet_v2                     -> models/mobilenet_v2.net (Keras's names outside the blocks)
    densenet121                      -> models/densenet121.net

    python3 tools/torchvision_names.py resnet50                          # prints the mapping
    python3 tools/torchvision_names.py resnet50 resnet50-0676ba61.pth -o resnet50.safetensors

A checkpoint is a .pth file holding a state_dict (read with torch.load(weights_only=True); a training checkpoint
whose "state_dict" or "model" entry is one works too, as does DataParallel's "module." prefix) or a safetensors
file (read with numpy only). A checkpoint of another architecture is refused with a message that names the first
tensor that does not fit. The classifier may have any number of classes (a fine-tuned model); the output file
records them, and the model, in its metadata for the generated classes to check.

VGG: torchvision's `features` holds each box's convolutions, each followed by a ReLU, and the box's max pool, so
the convolutions' indices follow from the configuration: block{b}_conv{j} in box order. `classifier.0`, `.3` and
`.6` are fc1, fc2 and predictions. (torchvision's adaptive average pool to 7x7 is the identity at 224x224, which
the classifier's 25,088 inputs fix.)

ResNet: `conv1`/`bn1` are conv1/bn_conv1; `layer{L}.{i}` is stage L + 1, block letter a, b, ..., z, aa, ab, ...
(ResNet152's stage 4 has 36 blocks), and its conv{k}/bn{k} are res{stage}{letter}_branch2{a,b,c} and
bn{stage}{letter}_branch2{a,b,c}; `downsample.0`/`.1` are res{stage}{letter}_branch1 and bn{stage}{letter}_branch1;
`fc` is fc. ResNeXt is named as the ResNets (its 3x3 convolutions are grouped: their weights [width, width / 32,
3, 3]).

InceptionV3 (`inception_v3(aux_logits=False)`; the auxiliary classifier, which only training uses, is not in the
.net model: a checkpoint's `AuxLogits.` tensors, which torchvision's published weights have, are left out): each
BasicConv2d `NAME.conv`/`NAME.bn` of the stem is NAME/bn_NAME (`Conv2d_1a_3x3`, `bn_Conv2d_1a_3x3`); in a module,
`Mixed_5b.branch5x5_1.conv`/`.bn` is resMixed_5b_branch5x5_1/bnMixed_5b_branch5x5_1 (the block use's id is the
module's name, the convolution's label its attribute); `fc` is fc.
`fc` is fc.

MobileNetV2: `features.0.0`/`.1` are Conv1/bn_Conv1, `features.18.0`/`.1` Conv_1/Conv_1_bn, `classifier.1`
predictions. `features.{i}` (i = 1..17) is an inverted residual block: the sequences (t, c, n, s) of
torchvision's inverted_residual_setting are stages 1 to 7, a sequence's blocks lettered a, b, ...; in block
`{id}`, `conv.0.0`/`.0.1` are res{id}_expand/bn{id}_expand, `conv.1.0`/`.1.1` dwconv{id}_depthwise/
bn{id}_depthwise, `conv.2`/`.3` res{id}_project/bn{id}_project (expansion 1, block 1a: `conv.0.0`/`.0.1` the
depthwise convolution and its batch norm, `conv.1`/`.2` the projection).

DenseNet: `features.conv0`/`norm0` are conv1/bn_conv1, `features.norm5` bn, `classifier` predictions.
`features.denseblock{b}` is stage b + 1's first use, a dense block whose layers are its uses layer1, layer2, ...:
in `features.denseblock{b}.denselayer{j}`, with id = {b + 1}a_layer{j}, `norm1`/`conv1` are bn{id}_x1/res{id}_x1
and `norm2`/`conv2` bn{id}_x2/res{id}_x2; `features.transition{b}` is the stage's second use, {b + 1}b: `norm`/
`conv` are bn{b + 1}b_transition/res{b + 1}b_transition. The keys of the checkpoints torchvision
published before 0.3 (`denselayer1.norm.1.weight`) are read as torchvision reads them (`denselayer1.norm1.weight`).
"""
import argparse
import os
import re
import string
import sys

VGG_BOXES = {"vgg11": [1, 1, 2, 2, 2], "vgg13": [2, 2, 2, 2, 2], "vgg16": [2, 2, 3, 3, 3], "vgg19": [2, 2, 4, 4, 4]}
VGG_FILTERS = [64, 128, 256, 512, 512]
RESNET_BLOCKS = {"resnet18": ("basic", [2, 2, 2, 2]), "resnet34": ("basic", [3, 4, 6, 3]),
                 "resnet50": ("bottleneck", [3, 4, 6, 3]), "resnet101": ("bottleneck", [3, 4, 23, 3]),
                 "resnet152": ("bottleneck", [3, 8, 36, 3]), "resnext50_32x4d": ("bottleneck", [3, 4, 6, 3])}
RESNEXT_GROUPS = {"resnext50_32x4d": (32, 4)}  # groups, width per group (torchvision's `width_per_group`)
# InceptionV3's modules in torchvision's order: (name, kind, argument); each kind's convolutions below.
INCEPTION_MODULES = [("Mixed_5b", "a", 32), ("Mixed_5c", "a", 64), ("Mixed_5d", "a", 64), ("Mixed_6a", "b", None),
                     ("Mixed_6b", "c", 128), ("Mixed_6c", "c", 160), ("Mixed_6d", "c", 160), ("Mixed_6e", "c", 192),
                     ("Mixed_7a", "d", None), ("Mixed_7b", "e", None), ("Mixed_7c", "e", None)]
ARCHITECTURES = list(VGG_BOXES) + list(RESNET_BLOCKS) + ["inception_v3"]
NETC_MODEL = {**{a: a for a in VGG_BOXES}, **{a: a + "_torchvision" for a in RESNET_BLOCKS},
              "resnext50_32x4d": "resnext50_32x4d", "inception_v3": "inception_v3_torchvision"}
_BATCH_NORM = ("weight", "bias", "running_mean", "running_var")

# ---- MobileNetV2 and DenseNet ----
# torchvision's inverted_residual_setting: expansion t, channels c, blocks n, stride s of each sequence.
MOBILENET_V2_SETTING = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                        (6, 320, 1, 1)]
# growth rate, layers per dense block, channels of the first convolution, bottleneck width (x growth)
DENSENETS = {"densenet121": (32, (6, 12, 24, 16), 64, 4)}
ARCHITECTURES += ["mobilenet_v2", *DENSENETS]
NETC_MODEL.update({"mobilenet_v2": "mobilenet_v2", **{a: a for a in DENSENETS}})
# ---- end MobileNetV2 and DenseNet ----


def block_letters(index):
    """a, b, ..., z, aa, ab, ...: netc's names of a stage's blocks (0-based index)."""
    letters = ""
    index += 1
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = string.ascii_lowercase[rest] + letters
    return letters


def _vgg_shapes(architecture):
    """{key: shape} of torchvision's VGG's convolutions and classifier (the classes left as None), and the layers."""
    shapes, layers, index, channels = {}, {}, 0, 3
    for box, (count, filters) in enumerate(zip(VGG_BOXES[architecture], VGG_FILTERS), start=1):
        for j in range(1, count + 1):
            shapes[f"features.{index}.weight"] = [filters, channels, 3, 3]
            shapes[f"features.{index}.bias"] = [filters]
            layers[f"features.{index}"] = f"block{box}_conv{j}"
            channels, index = filters, index + 2  # the convolution and its ReLU
        index += 1  # the box's max pool
    for i, (layer, inputs, units) in enumerate([("fc1", 25088, 4096), ("fc2", 4096, 4096), ("predictions", 4096, None)]):
        shapes[f"classifier.{3 * i}.weight"] = [units, inputs]
        shapes[f"classifier.{3 * i}.bias"] = [units]
        layers[f"classifier.{3 * i}"] = layer
    return shapes, layers


def _resnet_shapes(architecture):
    """{key: shape} of torchvision's ResNet (the classes left as None), and the layers."""
    kind, blocks = RESNET_BLOCKS[architecture]
    groups, width_per_group = RESNEXT_GROUPS.get(architecture, (1, 64))
    expansion = 4 if kind == "bottleneck" else 1
    shapes, layers = {"conv1.weight": [64, 3, 7, 7]}, {"conv1": "conv1", "bn1": "bn_conv1"}
    shapes.update({f"bn1.{t}": [64] for t in _BATCH_NORM})
    channels = 64
    for stage, count in enumerate(blocks):
        planes = 64 * 2 ** stage
        width = planes * width_per_group // 64 * groups  # torchvision's Bottleneck: planes for a ResNet
        for i in range(count):
            name = f"{stage + 2}{block_letters(i)}"
            convs = [[width, channels, 1, 1], [width, width // groups, 3, 3], [planes * 4, width, 1, 1]] \
                if kind == "bottleneck" else [[planes, channels, 3, 3], [planes, planes, 3, 3]]
            for k, shape in enumerate(convs, start=1):
                prefix = f"layer{stage + 1}.{i}"
                shapes[f"{prefix}.conv{k}.weight"] = shape
                shapes.update({f"{prefix}.bn{k}.{t}": [shape[0]] for t in _BATCH_NORM})
                layers[f"{prefix}.conv{k}"] = f"res{name}_branch2{'abc'[k - 1]}"
                layers[f"{prefix}.bn{k}"] = f"bn{name}_branch2{'abc'[k - 1]}"
            if i == 0 and (stage > 0 or channels != planes * expansion):
                shapes[f"layer{stage + 1}.0.downsample.0.weight"] = [planes * expansion, channels, 1, 1]
                shapes.update({f"layer{stage + 1}.0.downsample.1.{t}": [planes * expansion] for t in _BATCH_NORM})
                layers[f"layer{stage + 1}.0.downsample.0"] = f"res{name}_branch1"
                layers[f"layer{stage + 1}.0.downsample.1"] = f"bn{name}_branch1"
            channels = planes * expansion
    shapes["fc.weight"], shapes["fc.bias"] = [None, channels], [None]
    layers["fc"] = "fc"
    return shapes, layers


def _inception_convolutions(kind, channels, argument):
    """[(attribute, [out, in, kh, kw])...] of one Inception module's BasicConv2ds in torchvision's order, and the
    module's output channels."""
    if kind == "a":
        return [("branch1x1", [64, channels, 1, 1]), ("branch5x5_1", [48, channels, 1, 1]),
                ("branch5x5_2", [64, 48, 5, 5]), ("branch3x3dbl_1", [64, channels, 1, 1]),
                ("branch3x3dbl_2", [96, 64, 3, 3]), ("branch3x3dbl_3", [96, 96, 3, 3]),
                ("branch_pool", [argument, channels, 1, 1])], 224 + argument
    if kind == "b":
        return [("branch3x3", [384, channels, 3, 3]), ("branch3x3dbl_1", [64, channels, 1, 1]),
                ("branch3x3dbl_2", [96, 64, 3, 3]), ("branch3x3dbl_3", [96, 96, 3, 3])], channels + 480
    if kind == "c":
        c7 = argument
        return [("branch1x1", [192, channels, 1, 1]), ("branch7x7_1", [c7, channels, 1, 1]),
                ("branch7x7_2", [c7, c7, 1, 7]), ("branch7x7_3", [192, c7, 7, 1]),
                ("branch7x7dbl_1", [c7, channels, 1, 1]), ("branch7x7dbl_2", [c7, c7, 7, 1]),
                ("branch7x7dbl_3", [c7, c7, 1, 7]), ("branch7x7dbl_4", [c7, c7, 7, 1]),
                ("branch7x7dbl_5", [192, c7, 1, 7]), ("branch_pool", [192, channels, 1, 1])], 768
    if kind == "d":
        return [("branch3x3_1", [192, channels, 1, 1]), ("branch3x3_2", [320, 192, 3, 3]),
                ("branch7x7x3_1", [192, channels, 1, 1]), ("branch7x7x3_2", [192, 192, 1, 7]),
                ("branch7x7x3_3", [192, 192, 7, 1]), ("branch7x7x3_4", [192, 192, 3, 3])], channels + 512
    return [("branch1x1", [320, channels, 1, 1]), ("branch3x3_1", [384, channels, 1, 1]),
            ("branch3x3_2a", [384, 384, 1, 3]), ("branch3x3_2b", [384, 384, 3, 1]),
            ("branch3x3dbl_1", [448, channels, 1, 1]), ("branch3x3dbl_2", [384, 448, 3, 3]),
            ("branch3x3dbl_3a", [384, 384, 1, 3]), ("branch3x3dbl_3b", [384, 384, 3, 1]),
            ("branch_pool", [192, channels, 1, 1])], 2048


def _inception_shapes():
    """{key: shape} of torchvision's InceptionV3 without the auxiliary classifier, and the layers."""
    shapes, layers = {}, {}

    def basic_conv(prefix, shape, conv, norm):
        shapes[f"{prefix}.conv.weight"] = shape
        shapes.update({f"{prefix}.bn.{t}": [shape[0]] for t in _BATCH_NORM})
        layers[f"{prefix}.conv"], layers[f"{prefix}.bn"] = conv, norm
    stem = [("Conv2d_1a_3x3", [32, 3, 3, 3]), ("Conv2d_2a_3x3", [32, 32, 3, 3]), ("Conv2d_2b_3x3", [64, 32, 3, 3]),
            ("Conv2d_3b_1x1", [80, 64, 1, 1]), ("Conv2d_4a_3x3", [192, 80, 3, 3])]
    for name, shape in stem:
        basic_conv(name, shape, name, "bn_" + name)
    channels = 192
    for module, kind, argument in INCEPTION_MODULES:
        convolutions, channels = _inception_convolutions(kind, channels, argument)
        for attribute, shape in convolutions:
            basic_conv(f"{module}.{attribute}", shape, f"res{module}_{attribute}", f"bn{module}_{attribute}")
    shapes["fc.weight"], shapes["fc.bias"] = [None, channels], [None]
    layers["fc"] = "fc"
    return shapes, layers


def torchvision_model(architecture, **kwargs):
    """torchvision's model of the architecture as netc's .net model has it: InceptionV3 without the auxiliary
    classifier (and without torchvision's weight initialisation, which is slow and which callers replace)."""
    import torchvision
    if architecture == "inception_v3":
        kwargs = {"aux_logits": False, "init_weights": False, **kwargs}
    return getattr(torchvision.models, architecture)(**kwargs)
# ---- MobileNetV2 and DenseNet ----
def _batch_norm(shapes, layers, key, name, channels):
    """Records torchvision's batch norm `key` ([channels] each) as netc's layer `name`."""
    shapes.update({f"{key}.{t}": [channels] for t in _BATCH_NORM})
    layers[key] = name


def _mobilenet_v2_shapes(_architecture):
    """{key: shape} of torchvision's MobileNetV2 (width 1.0; the classes left as None), and the layers."""
    shapes, layers = {"features.0.0.weight": [32, 3, 3, 3]}, {"features.0.0": "Conv1"}
    _batch_norm(shapes, layers, "features.0.1", "bn_Conv1", 32)
    channels, index = 32, 1
    for stage, (t, c, n, _) in enumerate(MOBILENET_V2_SETTING, start=1):
        for i in range(n):
            name, prefix, hidden = f"{stage}{block_letters(i)}", f"features.{index}.conv", channels * t
            steps = [("expand", [hidden, channels, 1, 1])] if t != 1 else []
            steps += [("depthwise", [hidden, 1, 3, 3])]
            for k, (label, shape) in enumerate(steps):
                shapes[f"{prefix}.{k}.0.weight"] = shape
                layers[f"{prefix}.{k}.0"] = f"{'dwconv' if label == 'depthwise' else 'res'}{name}_{label}"
                _batch_norm(shapes, layers, f"{prefix}.{k}.1", f"bn{name}_{label}", hidden)
            k = len(steps)
            shapes[f"{prefix}.{k}.weight"], layers[f"{prefix}.{k}"] = [c, hidden, 1, 1], f"res{name}_project"
            _batch_norm(shapes, layers, f"{prefix}.{k + 1}", f"bn{name}_project", c)
            channels, index = c, index + 1
    shapes[f"features.{index}.0.weight"], layers[f"features.{index}.0"] = [1280, channels, 1, 1], "Conv_1"
    _batch_norm(shapes, layers, f"features.{index}.1", "Conv_1_bn", 1280)
    shapes["classifier.1.weight"], shapes["classifier.1.bias"] = [None, 1280], [None]
    layers["classifier.1"] = "predictions"
    return shapes, layers


def _densenet_shapes(architecture):
    """{key: shape} of torchvision's DenseNet (the classes left as None), and the layers."""
    growth, blocks, channels, width = DENSENETS[architecture]
    shapes, layers = {"features.conv0.weight": [channels, 3, 7, 7]}, {"features.conv0": "conv1"}
    _batch_norm(shapes, layers, "features.norm0", "bn_conv1", channels)
    for b, count in enumerate(blocks, start=1):
        for j in range(count):
            prefix, name = f"features.denseblock{b}.denselayer{j + 1}", f"{b + 1}a_layer{j + 1}"
            _batch_norm(shapes, layers, f"{prefix}.norm1", f"bn{name}_x1", channels)
            shapes[f"{prefix}.conv1.weight"] = [width * growth, channels, 1, 1]
            _batch_norm(shapes, layers, f"{prefix}.norm2", f"bn{name}_x2", width * growth)
            shapes[f"{prefix}.conv2.weight"] = [growth, width * growth, 3, 3]
            layers[f"{prefix}.conv1"], layers[f"{prefix}.conv2"] = f"res{name}_x1", f"res{name}_x2"
            channels += growth
        if b < len(blocks):
            prefix, name = f"features.transition{b}", f"{b + 1}b"
            _batch_norm(shapes, layers, f"{prefix}.norm", f"bn{name}_transition", channels)
            shapes[f"{prefix}.conv.weight"] = [channels // 2, channels, 1, 1]
            layers[f"{prefix}.conv"] = f"res{name}_transition"
            channels //= 2
    _batch_norm(shapes, layers, "features.norm5", "bn", channels)
    shapes["classifier.weight"], shapes["classifier.bias"] = [None, channels], [None]
    layers["classifier"] = "predictions"
    return shapes, layers


_OLD_DENSENET_KEY = re.compile(r"^(.*denselayer\d+\.(?:norm|relu|conv))\."
                               r"([12]\.(?:weight|bias|running_mean|running_var))$")


def modern_keys(state_dict):
    """The state_dict with the keys of torchvision's checkpoints before 0.3 (`denselayer1.norm.1.weight`) as
    torchvision reads them today (`denselayer1.norm1.weight`, torchvision.models.densenet._load_state_dict)."""
    renamed = {}
    for key, value in state_dict.items():
        old = _OLD_DENSENET_KEY.match(key)
        renamed[old[1] + old[2] if old else key] = value
    return renamed
# ---- end MobileNetV2 and DenseNet ----


def architecture_shapes(architecture):
    """The tensors of torchvision's model ({key: shape}, the class count None) and its layers ({prefix: netc name})."""
    if architecture == "mobilenet_v2":
        return _mobilenet_v2_shapes(architecture)
    if architecture in DENSENETS:
        return _densenet_shapes(architecture)
    if architecture in VGG_BOXES:
        return _vgg_shapes(architecture)
    if architecture in RESNET_BLOCKS:
        return _resnet_shapes(architecture)
    if architecture == "inception_v3":
        return _inception_shapes()
    raise ValueError(f"unknown architecture '{architecture}' (one of {', '.join(ARCHITECTURES)})")


def netc_name(architecture, key):
    """The netc key of one torchvision state_dict key, e.g. ('resnet50', 'layer1.0.bn2.running_var')
    -> 'bn2a_branch2b.running_var'."""
    prefix, _, tensor = key.rpartition(".")
    layer = architecture_shapes(architecture)[1].get(prefix)
    if layer is None:
        raise KeyError(f"no netc name for torchvision's '{prefix}' in {architecture}")
    return f"{layer}.{tensor}"


def without_auxiliary(architecture, state_dict):
    """The state_dict without InceptionV3's auxiliary classifier (`AuxLogits.`), which only training uses."""
    if architecture != "inception_v3":
        return state_dict
    return {k: v for k, v in state_dict.items() if not k.startswith("AuxLogits.")}


def to_netc(architecture, state_dict):
    """torchvision's state_dict with its keys renamed for netc (num_batches_tracked entries are dropped)."""
    return {netc_name(architecture, k): v for k, v in without_auxiliary(architecture, state_dict).items()
            if not k.endswith("num_batches_tracked")}


def _shape(value):
    return [int(d) for d in (value.shape if hasattr(value, "shape") else ())]


def _a(architecture):
    """'a vgg16', 'an inception_v3'."""
    return ("an " if architecture[0] in "aeiou" else "a ") + architecture


def check_architecture(architecture, state_dict, source="the checkpoint"):
    """Raises ValueError naming the first tensor of state_dict that torchvision's `architecture` does not have,
    or has with another shape, or the first tensor it has that state_dict lacks. Returns the class count."""
    expected, _ = architecture_shapes(architecture)
    classes = None
    for key, value in without_auxiliary(architecture, state_dict).items():
        if key.endswith("num_batches_tracked"):
            continue
        if key not in expected:
            raise ValueError(f"{source}: its tensor '{key}' is not in torchvision's {architecture}: "
                             f"it is not {_a(architecture)} checkpoint")
        want, found = expected[key], _shape(value)
        if want[0] is None:  # the classifier: any class count, the same in weight and bias
            classes = found[0] if classes is None and found else classes
            want = [classes] + want[1:]
        if found != want:
            raise ValueError(f"{source}: its tensor '{key}' has shape {found}, torchvision's {architecture} has {want}: "
                             f"it is not {_a(architecture)} checkpoint")
    missing = [key for key in expected if key not in state_dict]
    if missing:
        raise ValueError(f"{source}: it has no tensor '{missing[0]}', which torchvision's {architecture} has "
                         f"({len(missing)} missing): it is not a complete {architecture} checkpoint")
    return classes


def load_checkpoint(path):
    """The state_dict of a .pth file (torch.load, weights_only) or a safetensors file, as {key: array or tensor}."""
    with open(path, "rb") as f:
        head = f.read(8)
    if head[:2] == b"PK" or head[:1] == b"\x80":  # a zip (torch.save) or a pickle (legacy torch.save)
        import torch
        try:
            state = torch.load(path, map_location="cpu", weights_only=True)
        except Exception as e:  # torch reports a bad file with RuntimeError, pickle's errors and others
            raise ValueError(f"{path}: cannot read it as a PyTorch checkpoint: {e}") from None
        for entry in ("state_dict", "model"):
            if isinstance(state, dict) and isinstance(state.get(entry), dict):
                state = state[entry]
    else:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import safetensors_io
        state = safetensors_io.load(path)
    if not isinstance(state, dict):
        raise ValueError(f"{path}: holds a {type(state).__name__}, expected a state_dict")
    if state and all(k.startswith("module.") for k in state):  # saved from DataParallel
        state = {k[len("module."):]: v for k, v in state.items()}
    return modern_keys(state)


def convert(architecture, checkpoint, output):
    """Writes the checkpoint's weights under netc's names to output (safetensors), with netc's metadata."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import safetensors_io
    state = load_checkpoint(checkpoint)
    classes = check_architecture(architecture, state, checkpoint)
    metadata = {"netc.model": NETC_MODEL[architecture], "netc.classes": str(classes),
                "netc.source": os.path.basename(checkpoint), "netc.torchvision": architecture}
    if architecture in VGG_BOXES:  # the classifier's 25,088 inputs are a 7x7x512 map: a 224x224 input
        metadata["netc.input"] = "224x224x3"
    safetensors_io.save(output, to_netc(architecture, state), metadata)
    return classes


def main():
    parser = argparse.ArgumentParser(description="torchvision checkpoints as netc weights files")
    parser.add_argument("architecture", choices=ARCHITECTURES)
    parser.add_argument("checkpoint", nargs="?", help=".pth or .safetensors file of torchvision's model")
    parser.add_argument("-o", "--output", help="the netc weights file to write (safetensors)")
    args = parser.parse_args()
    if args.checkpoint is None:
        for prefix, layer in architecture_shapes(args.architecture)[1].items():
            print(f"{prefix:30} -> {layer}")
        return 0
    if not args.output:
        parser.error("converting a checkpoint needs -o FILE.safetensors")
    try:
        classes = convert(args.architecture, args.checkpoint, args.output)
    except (OSError, ValueError) as e:
        print(f"torchvision_names.py: error: {e}", file=sys.stderr)
        return 1
    print(f"{args.output}: torchvision's {args.architecture} with {classes} classes, for models/"
          f"{NETC_MODEL[args.architecture]}.net")
    return 0


if __name__ == "__main__":
    sys.exit(main())
