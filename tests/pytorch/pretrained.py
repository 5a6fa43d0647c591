"""Checks that pretrained weights brought in the ways a user brings them compute, in the generated C++, what the
model they came from computes in PyTorch: a Keras file through `netc import`, a torchvision checkpoint through
tools/torchvision_names.py.

For one case: a reference model gets random weights (equivalence.randomize(): He-normal, batch norm statistics
near the batch's own): torchvision's own
model (--torchvision), or the PyTorch module netc emits for the .net model. Then, for each way asked for:
- --keras LAYOUT: its weights are written as a Keras file in that layout (tests/import/keras_h5.py, with numpy:
  HWIO kernels, [in, out] dense kernels, Keras's H,W,C flatten order) and `netc import` makes it a weights file;
- --checkpoint pth|safetensors: torchvision's state_dict is saved as torch.save does (or as safetensors) and
  `tools/torchvision_names.py ARCH CHECKPOINT -o FILE` makes it a weights file.
The weights file must hold exactly the reference's weights under netc's names, and the case's generated C++
(tests/pytorch's runner) runs a random batch of two images with it: the output (the logits before a final
softmax) must equal the reference's within equivalence.py's tolerance; with the emitted module, every layer too.

Exit status: 0 agree, 1 differ, 77 PyTorch or h5py is not installed (the test is skipped).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "import"))

import equivalence  # noqa: E402  (exits with 77 without PyTorch)
from equivalence import np, torch, safetensors_io  # noqa: E402

try:
    import keras_h5  # noqa: E402
except ImportError:
    print("h5py is not installed (Debian: python3-h5py); skipped")
    sys.exit(77)

KERAS_LAYOUTS = {
    "keras2": lambda path, layers: keras_h5.save_weights_keras2(path, layers),
    "keras1": lambda path, layers: keras_h5.save_weights_keras2(path, layers),  # the published files' names
    "model": lambda path, layers: keras_h5.save_model_keras2(path, layers),
    "keras3": lambda path, layers: keras_h5.save_weights_keras3(path, layers, names=True),
    "keras3-unnamed": lambda path, layers: keras_h5.save_weights_keras3(path, layers, names=False),
}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for flag in ("--netc", "--runner", "--work", "--case", "--model"):
        p.add_argument(flag, required=True)
    p.add_argument("--select")
    p.add_argument("--input")
    p.add_argument("--classes")
    p.add_argument("--torchvision")
    p.add_argument("--keras", action="append", default=[], choices=sorted(KERAS_LAYOUTS))
    p.add_argument("--checkpoint", action="append", default=[], choices=["pth", "safetensors"])
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    if args.checkpoint and not args.torchvision:
        p.error("--checkpoint needs --torchvision")
    return args


def model_flags(args):
    flags = []
    for flag, value in (("--model", args.select), ("--input", args.input), ("--classes", args.classes)):
        if value:
            flags += [flag, value]
    return flags


def through_keras(args, work, weights, layout):
    """The weights written as a Keras file in the layout, then `netc import`ed; the imported file's path."""
    naming = "keras1" if layout == "keras1" else "keras2"
    layers = keras_h5.from_netc(args.netc, args.model, weights, naming=naming, extra_args=model_flags(args))
    keras_file = os.path.join(work, "model.weights.h5" if layout.startswith("keras3") else "weights.h5")
    KERAS_LAYOUTS[layout](keras_file, layers)
    out = os.path.join(work, f"keras_{layout}.safetensors")
    subprocess.run([args.netc, "import", args.model, keras_file, "-o", out, *model_flags(args)], check=True)
    os.remove(keras_file)
    return out


def through_checkpoint(args, work, torchvision_state, kind):
    """torchvision's state_dict saved as a checkpoint, then made a weights file by tools/torchvision_names.py."""
    checkpoint = os.path.join(work, f"{args.torchvision}.{kind}")
    if kind == "pth":
        torch.save(torchvision_state, checkpoint)
    else:
        safetensors_io.save(checkpoint, {k: v for k, v in torchvision_state.items() if v.is_floating_point()})
    out = os.path.join(work, f"checkpoint_{kind}.safetensors")
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "torchvision_names.py"), args.torchvision, checkpoint,
                    "-o", out], check=True)
    os.remove(checkpoint)
    return out


def same_weights(path, weights):
    """'' when the file holds exactly the weights (netc's names), else what differs."""
    found = safetensors_io.load(path)
    if sorted(found) != sorted(weights):
        return f"{path} holds other tensors: {sorted(set(found) ^ set(weights))[:5]}"
    changed = [k for k, v in weights.items() if not np.array_equal(found[k], v)]
    return f"{path} changed the values of {changed[:5]}" if changed else ""


def main():
    args = parse_args()
    os.makedirs(args.work, exist_ok=True)  # a fresh directory per run, removed when the case passes
    prefix = args.case + "_pretrained_" + (args.torchvision + "_" if args.torchvision else "")
    work = tempfile.mkdtemp(prefix=prefix, dir=args.work)
    torch.manual_seed(args.seed)
    module_class = equivalence.emit_module(args, work)
    batch = equivalence.make_batch(module_class, args.seed)
    model, state, traced = equivalence.reference(args, module_class, batch)
    weights = {k: v.detach().numpy().astype(np.float32) for k, v in state.items()
               if not k.endswith("num_batches_tracked")}
    files = [(f"Keras {layout} file, netc import", through_keras(args, work, weights, layout)) for layout in args.keras]
    files += [(f"torchvision {kind} checkpoint, torchvision_names.py", through_checkpoint(args, work, model.state_dict(), kind))
              for kind in args.checkpoint]
    trace = {}
    with torch.no_grad():
        want = model(batch, trace=trace) if traced else model(batch)
    rounding = equivalence.float32_rounding(model, batch, want, trace if traced else None)
    ok = True
    for what, path in files:
        problem = same_weights(path, weights)
        if problem:
            print(f"FAILED ({what}): {problem}")
            ok = False
            continue
        output, dumps = equivalence.run_cpp(args, work, path, batch)
        ok = equivalence.report(f"{args.case} ({what})", output, dumps, want, trace, traced,
                                rounding=rounding) and ok
        os.remove(path)
    if ok:
        shutil.rmtree(work)
    else:
        print(f"work files kept in {work}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
