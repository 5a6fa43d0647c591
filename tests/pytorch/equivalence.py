"""Checks that netc's generated C++ computes what PyTorch computes for the same model, weights and input.

For one case: netc emits the PyTorch module of the model; the module gets random weights (He-normal
convolutions and dense layers, random batch norm statistics) that are saved as safetensors under its
state_dict keys, which are the C++ model's weight names; a random batch of two images goes through both.
With --torchvision, the reference is torchvision's own model instead, its state_dict renamed by
tools/torchvision_names.py.

Tolerance: for every compared tensor, max |C++ - PyTorch| <= 1e-4 x max |PyTorch| (+ 1e-6). The final
output is compared, and the logits before a final softmax (a softmax can hide differences). Then every
layer the C++ code reports is compared with the module's trace, so that a failure names the first layer
that differs, the position (image, y, x, channel), the value and the target.

Independent references: a case may also have tests/pytorch/references/CASE.py, which computes the case's
output from the input and the weights with torch.nn.functional, written from the layer's definition (explicit
padding arithmetic, pooling divisors, flatten order) and not from netc's PyTorch emitter, so that a misreading
shared by netc's two emitters does not cancel out. It defines `forward(x, w)`: x the input batch (N,C,H,W),
w the weights by their netc names (PyTorch layouts); it returns the output (N,C,H,W or N,C). When it exists,
the C++ output must agree with it too, at the same tolerance.

Exit status: 0 agree, 1 differ, 77 PyTorch is not installed (the test is skipped).
"""
import argparse
import importlib.util
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))

try:
    import numpy as np
    import torch
except ImportError:
    print("PyTorch is not installed (Debian: python3-torch); skipped")
    sys.exit(77)

import safetensors_io  # noqa: E402  (tools/)

RTOL, ATOL = 1e-4, 1e-6
BATCH = 2


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--netc", required=True)
    p.add_argument("--runner", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--case", required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--select")
    p.add_argument("--input")
    p.add_argument("--classes")
    p.add_argument("--torchvision", choices=["vgg16", "resnet50"])
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args()


def emit_module(args, work):
    """Runs netc emit --target pytorch and imports the module's class."""
    command = [args.netc, "emit", args.model, "--target", "pytorch", "-o", work, "--name", args.case]
    for flag, value in (("--model", args.select), ("--input", args.input), ("--classes", args.classes)):
        if value:
            command += [flag, value]
    subprocess.run(command, check=True)
    spec = importlib.util.spec_from_file_location(args.case, os.path.join(work, args.case + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    classes = [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, torch.nn.Module)]
    return classes[0]


def randomize(model, seed):
    """He-normal weights for convolutions and dense layers, small random biases, random batch norm statistics."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)):
                fan_in = m.weight[0].numel()
                m.weight.copy_(torch.randn(m.weight.shape, generator=g) * (2.0 / fan_in) ** 0.5)
                if m.bias is not None:
                    m.bias.copy_(torch.rand(m.bias.shape, generator=g) * 0.2 - 0.1)
            elif isinstance(m, (torch.nn.BatchNorm1d, torch.nn.BatchNorm2d)):
                n = m.num_features
                if m.weight is not None:  # `batchnorm noscale` has no gamma, `nocenter` no beta
                    m.weight.copy_(torch.rand(n, generator=g) + 0.5)
                if m.bias is not None:
                    m.bias.copy_(torch.rand(n, generator=g) * 0.2 - 0.1)
                m.running_mean.copy_(torch.rand(n, generator=g) * 0.4 - 0.2)
                m.running_var.copy_(torch.rand(n, generator=g) + 0.5)
    return model.eval()


def reference(args, module_class):
    """The model PyTorch runs and the weights (netc names) the C++ code gets."""
    if not args.torchvision:
        model = randomize(module_class(), args.seed)
        return model, model.state_dict(), True
    import torchvision
    from torchvision_names import to_netc
    model = randomize(getattr(torchvision.models, args.torchvision)(), args.seed)
    return model, to_netc(args.torchvision, model.state_dict()), False


def nhwc(tensor):
    """A PyTorch output as the C++ code lays it out: N,C,H,W to N,H,W,C; flat tensors stay N,C."""
    array = tensor.detach().numpy()
    return array.transpose(0, 2, 3, 1) if array.ndim == 4 else array


def compare(name, got, want):
    """(ok, message): the largest error against the tolerance, and where it is."""
    got = got.reshape(want.shape)
    error = np.abs(got.astype(np.float64) - want)
    scale = float(np.abs(want).max()) if want.size else 0.0
    limit = RTOL * scale + ATOL
    worst = np.unravel_index(int(np.argmax(error)), error.shape) if error.size else ()
    position = "(image, y, x, channel) " if len(worst) == 4 else "(image, unit) "
    where = f"{position}{tuple(int(i) for i in worst)}: C++ {got[worst]:.7g}, PyTorch {want[worst]:.7g}"
    ok = bool(np.all(np.isfinite(got))) and float(error.max(initial=0.0)) <= limit
    return ok, f"{name:28} max error {error.max(initial=0.0):.3g} (limit {limit:.3g}, max |PyTorch| {scale:.3g}) at {where}"


def run_cpp(args, work, weights, batch):
    inputs = os.path.join(work, "input.bin")
    outputs = os.path.join(work, "output.bin")
    layers = os.path.join(work, "layers")
    os.makedirs(layers, exist_ok=True)
    nhwc(batch).astype("<f4").tofile(inputs)
    subprocess.run([args.runner, args.case, weights, inputs, outputs, "--layers", layers], check=True)
    dumps = []
    with open(os.path.join(layers, "index.txt")) as index:
        for line in index:
            name, n, h, w, c = line.split()
            data = np.fromfile(os.path.join(layers, name.replace("/", ".") + ".bin"), dtype="<f4")
            shape = (int(n), int(h), int(w), int(c)) if (int(h), int(w)) != (1, 1) else (int(n), int(c))
            dumps.append((name, data.reshape(shape)))
    return np.fromfile(outputs, dtype="<f4"), dumps


def independent_reference(case, batch, state):
    """The output of references/CASE.py's forward(x, w), or None when the case has no such file."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "references", case + ".py")
    if not os.path.exists(path):
        return None
    spec = importlib.util.spec_from_file_location("reference_" + case, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with torch.no_grad():
        return module.forward(batch.clone(), {k: v.detach().clone() for k, v in state.items()})


def report(case, output, dumps, want, trace, traced, independent=None):
    """Compares the C++ output and steps with the reference's, prints every comparison; True when they agree."""
    dumped = dict(dumps)
    final_name = dumps[-1][0]
    checks = []
    if traced:
        checks.append(compare("output", output, nhwc(want)))
        if final_name + "/logits" in dumped:
            checks.append(compare(final_name + "/logits", dumped[final_name + "/logits"], nhwc(trace[final_name + "/logits"])))
    else:  # torchvision's models end with logits; netc's VGG16 adds the softmax of Keras's model
        got = dumped.get(final_name + "/logits", output)
        checks.append(compare("logits (torchvision)", got, nhwc(want)))
    if independent is not None:
        checks.append(compare("output (independent ref.)", output, nhwc(independent)))
    layers = [compare(name, data, nhwc(trace[name])) for name, data in dumps if name in trace]

    print(f"{case}: {len(dumps)} C++ steps, {len(layers)} compared layer by layer with PyTorch")
    for ok, message in checks + layers:
        print(("  ok    " if ok else "  DIFF  ") + message)
    failed = [m for ok, m in checks if not ok]
    if failed:
        first_layer = next((m for ok, m in layers if not ok), "no single layer exceeds the tolerance")
        print(f"FAILED: {failed[0]}\n  first layer that differs: {first_layer}")
        return False
    return True


def main():
    args = parse_args()
    work = os.path.join(args.work, args.case + ("_torchvision" if args.torchvision else ""))
    os.makedirs(work, exist_ok=True)
    torch.manual_seed(args.seed)
    module_class = emit_module(args, work)
    model, state, traced = reference(args, module_class)
    weights = os.path.join(work, "weights.safetensors")
    safetensors_io.save(weights, state)
    c, h, w = module_class.input_shape
    batch = torch.rand((BATCH, c, h, w), generator=torch.Generator().manual_seed(args.seed + 1))
    output, dumps = run_cpp(args, work, weights, batch)

    trace = {}
    with torch.no_grad():
        want = model(batch, trace=trace) if traced else model(batch)
    independent = independent_reference(args.case, batch, state) if traced else None
    return 0 if report(args.case, output, dumps, want, trace, traced, independent) else 1


if __name__ == "__main__":
    sys.exit(main())
