"""Writes weights files in the layouts Keras writes, with h5py, for the tests of `netc import` (Keras itself is
not installed here, and no published file can be downloaded, so the tests make their own, the way Keras does).

A model is a list of layers in Keras's layer order, each a Layer(name, kind, weights), where kind is netc's op
keyword and weights a list of (Keras variable name, numpy array in Keras's layout). The writers follow Keras's
code:
- save_weights_keras2: keras/saving/legacy/hdf5_format.py (tf-keras), save_weights_to_hdf5_group and
  save_attributes_to_hdf5_group (an attribute over 64,512 bytes is split into name0, name1, ...).
- save_model_keras2: model.save to .h5, the same under the group `model_weights`, next to the model's config
  and an optimizer's weights.
- save_weights_keras3: keras/src/saving/saving_lib.py, H5IOStore: `layers/<class>[_<n>]/vars/<i>`, with the
  layer's name in the attribute `name` of `vars` from Keras 3.10 (names=True), without it before.
- save_weights_tf_keras_213: tf-keras 2.13's variant, `_layer_checkpoint_dependencies/<layer name>/vars/<i>`.

from_netc() turns netc weights (PyTorch layouts) into Keras layers with numpy, independently of netc's code.
"""
import json
import re
import subprocess
from collections import namedtuple

import numpy as np

import h5py

HDF5_OBJECT_HEADER_LIMIT = 64512

Layer = namedtuple("Layer", "name kind weights")

# Keras's classes, in the snake case that Keras 3 names its groups with.
KERAS3_CLASS = {"conv": "conv2d", "depthwise": "depthwise_conv2d", "dense": "dense", "batchnorm": "batch_normalization", "maxpool": "max_pooling2d",
                "avgpool": "average_pooling2d", "globalavgpool": "global_average_pooling2d",
                "zeropad": "zero_padding2d", "flatten": "flatten", "dropout": "dropout", "add": "add",
                "input": "input_layer"}
KERAS_VARIABLES = {"conv": ["kernel", "bias"], "depthwise": ["depthwise_kernel", "bias"], "dense": ["kernel", "bias"],
                   "batchnorm": ["gamma", "beta", "moving_mean", "moving_variance"]}
NETC_SUFFIX = {"kernel": "weight", "depthwise_kernel": "weight", "bias": "bias", "gamma": "weight", "beta": "bias", "moving_mean": "running_mean",
               "moving_variance": "running_var"}


def save_attributes(group, name, data):
    """Keras's save_attributes_to_hdf5_group."""
    data_npy = np.asarray(data)
    num_chunks = 1
    chunked_data = np.array_split(data_npy, num_chunks)
    while any(x.nbytes > HDF5_OBJECT_HEADER_LIMIT for x in chunked_data):
        num_chunks += 1
        chunked_data = np.array_split(data_npy, num_chunks)
    if num_chunks > 1:
        for chunk_id, chunk_data in enumerate(chunked_data):
            group.attrs["%s%d" % (name, chunk_id)] = chunk_data
    else:
        group.attrs[name] = data


def save_weights_to_group(f, layers):
    """Keras's save_weights_to_hdf5_group."""
    save_attributes(f, "layer_names", [layer.name.encode("utf8") for layer in layers])
    f.attrs["backend"] = "tensorflow".encode("utf8")
    f.attrs["keras_version"] = "2.12.0".encode("utf8")
    for layer in sorted(layers, key=lambda x: x.name):
        g = f.create_group(layer.name)
        save_attributes(g, "weight_names", [name.encode("utf8") for name, _ in layer.weights])
        for name, val in layer.weights:
            param_dset = g.create_dataset(name, val.shape, dtype=val.dtype)
            if not val.shape:
                param_dset[()] = val
            else:
                param_dset[:] = val


def save_weights_keras2(path, layers):
    with h5py.File(path, "w") as f:
        save_weights_to_group(f, layers)


def save_model_keras2(path, layers):
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = b"2.12.0"
        f.attrs["backend"] = b"tensorflow"
        config = {"class_name": "Functional", "config": {"layers": [
            {"class_name": KERAS3_CLASS.get(layer.kind, layer.kind), "config": {"name": layer.name}}
            for layer in layers]}}
        f.attrs["model_config"] = json.dumps(config).encode("utf8")
        f.attrs["training_config"] = json.dumps({"loss": "categorical_crossentropy"}).encode("utf8")
        save_weights_to_group(f.create_group("model_weights"), layers)
        optimizer = f.create_group("optimizer_weights")
        save_attributes(optimizer, "weight_names", [b"Adam/iter:0"])
        optimizer.create_dataset("Adam/iter:0", data=np.int64(100))


def _unique(name, used):
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


def save_weights_keras3(path, layers, names=True, model_name="functional"):
    with h5py.File(path, "w") as f:
        if names:
            f.create_group("vars").attrs["name"] = model_name
        used = {}
        for layer in layers:
            group = _unique(KERAS3_CLASS.get(layer.kind, layer.kind), used)
            if not names and not layer.weights:
                continue  # Keras before 3.10 makes a group only when there is a variable
            vars_group = f.create_group(f"layers/{group}/vars")
            if names:
                vars_group.attrs["name"] = layer.name
            for i, (_, value) in enumerate(layer.weights):
                vars_group[str(i)] = value
        f.create_group("optimizer/vars")["0"] = np.int64(100)


def save_weights_tf_keras_213(path, layers):
    with h5py.File(path, "w") as f:
        for layer in layers:
            if layer.weights:
                vars_group = f.create_group(f"_layer_checkpoint_dependencies/{layer.name}/vars")
                for i, (_, value) in enumerate(layer.weights):
                    vars_group[str(i)] = value


def model_layers(netc, model, extra_args=()):
    """[(name, kind, shape, inputs)] of every layer of a .net model, from `netc emit --target ir`."""
    ir = subprocess.run([netc, "emit", model, "--target", "ir", *extra_args], check=True, capture_output=True,
                        text=True).stdout
    layers = []
    for line in ir.splitlines():
        m = re.match(r"%(\d+) (\S+) = (\S+).*\(([^)]*)\) : (\S+)", line)
        if m:
            inputs = [int(i.strip().lstrip("%")) for i in m[4].split(",") if i.strip()]
            layers.append((m[2], m[3], m[5], inputs))
    return layers


def _flattened_map(layers, index):
    """The HxWxC map a dense layer's input flattens (through dropouts), or None."""
    name, kind, shape, inputs = layers[index]
    source = layers[inputs[0]]
    while source[1] == "dropout":
        source = layers[source[3][0]]
    if source[1] != "flatten":
        return None
    dims = [int(d) for d in layers[source[3][0]][2].split("x")]
    return dims if len(dims) == 3 else None


def to_keras(kind, variable, array, flattened=None, channels=None):
    """A netc (PyTorch-layout) weight in Keras's layout (channels: a depthwise layer's input channels)."""
    array = np.asarray(array, dtype=np.float32)
    if variable == "depthwise_kernel":  # [C * M, 1, kh, kw] -> [kh, kw, C, M]
        return np.ascontiguousarray(array.reshape(channels, -1, *array.shape[2:]).transpose(2, 3, 0, 1))
    if variable != "kernel":
        return array
    if kind == "conv":  # OIHW -> HWIO
        return np.ascontiguousarray(array.transpose(2, 3, 1, 0))
    if flattened is not None:  # [units, C*H*W] -> [units, H*W*C]
        h, w, c = flattened
        array = array.reshape(-1, c, h, w).transpose(0, 2, 3, 1).reshape(array.shape[0], -1)
    return np.ascontiguousarray(array.T)


def from_netc(netc, model, weights, naming="keras2", extra_args=()):
    """Keras layers holding the netc weights {key: array}, every layer of the model in order (the input too).
    naming: "keras2" ("conv1/kernel:0"), "keras1" ("conv1_W:0", "bn_conv1_running_std:0", as in the Keras
    applications' published files) or "keras3" (Keras 3 stores no names)."""
    layers = model_layers(netc, model, extra_args)
    out = []
    for index, (name, kind, _, inputs) in enumerate(layers):
        variables = [v for v in KERAS_VARIABLES.get(kind, []) if f"{name}.{NETC_SUFFIX[v]}" in weights]
        flattened = _flattened_map(layers, index) if kind == "dense" else None
        channels = int(layers[inputs[0]][2].split("x")[-1]) if kind == "depthwise" else None
        named = []
        for v in variables:
            value = to_keras(kind, v, weights[f"{name}.{NETC_SUFFIX[v]}"], flattened, channels)
            if naming == "keras1":
                old = {"kernel": "W", "bias": "b", "moving_variance": "running_std"}.get(v, v)
                named.append((f"{name}_{old}:0", value))
            else:
                named.append((f"{name}/{v}:0", value))
        out.append(Layer(name if kind != "input" else "input_1", kind, named))
    return out
