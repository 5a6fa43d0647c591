"""Exports the module netc emits, with a netc weights file, to ONNX for ONNX Runtime (opset 13, dynamic batch).

usage: /usr/bin/python3 bench/export_onnx.py MODULE.py WEIGHTS OUT.onnx

The graph's input is `input` (N x C x H x W) and its output `output`. The file is written next to OUT and
renamed into place, so that an interrupted export leaves no half file for the benchmark's cache to trust.
"""
import os
import sys

import torch

import torch_model


def main():
    if len(sys.argv) != 4:
        print(__doc__.splitlines()[2].strip(), file=sys.stderr)
        return 2
    module_path, weights_path, out = sys.argv[1:]
    model = torch_model.load_model(module_path, weights_path)
    x = torch.rand(1, *model.input_shape)
    partial = out + ".partial"
    with torch.no_grad():
        torch.onnx.export(model, (x,), partial, opset_version=13, input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    os.replace(partial, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
