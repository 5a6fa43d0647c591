"""The PyTorch side of the benchmark: the module that `netc emit --target pytorch` wrote, holding the weights of
a netc safetensors file (the same file the C++ model loads), and which BLAS this torch runs on."""
import importlib.util
import os
import re
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import safetensors_io  # noqa: E402  (tools/, found through the path above)


def load_model(module_path, weights_path):
    """The emitted module's model in eval mode with the file's weights; every parameter and buffer must be
    in the file (batch norm's num_batches_tracked aside), and nothing else."""
    name = os.path.splitext(os.path.basename(module_path))[0]
    spec = importlib.util.spec_from_file_location(name, module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    classes = [c for c in vars(module).values()
               if isinstance(c, type) and issubclass(c, nn.Module) and c.__module__ == module.__name__]
    if len(classes) != 1:
        raise ValueError(f"{module_path}: expected one nn.Module class, found {[c.__name__ for c in classes]}")
    model = classes[0]()
    tensors = {key: torch.from_numpy(value) for key, value in safetensors_io.load(weights_path).items()}
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    missing = [key for key in missing if not key.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise ValueError(f"{weights_path} does not fit {module_path}: missing {missing[:5]}, "
                         f"unexpected {unexpected[:5]}")
    return model.eval()


def blas_config():
    """torch.__config__.show()'s BLAS_INFO: Debian's torch says `generic`, which is whatever libblas.so.3 the
    alternatives system points at, hence blas_in_use()."""
    found = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    return found.group(1) if found else "unknown"


def blas_in_use():
    """(kind, path) of the BLAS library mapped into this process: kind is openblas, blis, mkl, reference
    (Debian's libblas3, which is slow) or unknown."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))  # makes sure the library is loaded
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if re.search(r"blas|mkl_rt|libmkl", line)})
    for kind in ("openblas", "blis", "mkl"):
        found = [p for p in paths if kind in os.path.basename(os.path.dirname(p)) + os.path.basename(p)]
        if found:
            return kind, found[0]
    reference = [p for p in paths if p.endswith("/blas/libblas.so.3") or p.endswith("/libblas.so.3")]
    if reference:
        return "reference", reference[0]
    return "unknown", ", ".join(paths)
