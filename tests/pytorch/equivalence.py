"""Checks that netc's generated C++ computes what PyTorch computes for the same model, weights and input.

For one case: netc emits the PyTorch module of the model; the module gets random weights (He-normal
convolutions and dense layers; batch norm statistics near the batch's own, see randomize()) that are saved as
safetensors under its state_dict keys, which are the C++ model's weight names; a random batch of two images
(uniform in [-1, 1)) goes through both. With --torchvision, the reference is torchvision's own model instead,
its state_dict renamed by tools/torchvision_names.py. The C++ model runs twice, in a context of 1 thread and
in one of 2 threads; both runs are compared.

Tolerance: for every compared tensor, max |C++ - PyTorch| <= 1e-4 x max |PyTorch| (+ 1e-6), each at its own
scale. The final output is compared, and the logits before a final softmax (a softmax can hide differences),
and every layer the C++ code reports that the module's trace holds: any of them outside its tolerance fails
the case (a small channel or layer cannot hide behind a large final output), and the report names the first
layer that differs, the position (image, y, x, channel), the value and the target.

Independent references: a case may also have tests/pytorch/references/CASE.py, which computes the case's
output from the input and the weights with torch.nn.functional, written from the layer's definition (explicit
padding arithmetic, pooling divisors, flatten order) and not from netc's PyTorch emitter, so that a misreading
shared by netc's two emitters does not cancel out. It defines `forward(x, w)`: x the input batch (N,C,H,W),
w the weights by their netc names (PyTorch layouts); it returns the output (N,C,H,W or N,C). When it exists,
the C++ output must agree with it too, at the same tolerance. Every case of tests/pytorch/layers.net must have
one (a case without fails, and layer_cases.py checks that every model of layers.net is a case); references/
is on the import path, so a reference can use references/_definitions.py's layers written from their
definitions.

Work files go to a fresh directory under --work, removed when the case passes and kept (its path printed)
when it fails, so that two runs at once do not share files.

Exit status: 0 agree, 1 differ, 77 PyTorch is not installed (the test is skipped).
"""
import argparse
import copy
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
REFERENCES = os.path.join(HERE, "references")
LAYERS_NET = os.path.join(HERE, "layers.net")
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, REFERENCES)

try:
    import numpy as np
    import torch
except ImportError:
    print("PyTorch is not installed (Debian: python3-torch); skipped")
    sys.exit(77)

import safetensors_io  # noqa: E402  (tools/)
import torchvision_names  # noqa: E402  (tools/)

RTOL, ATOL = 1e-4, 1e-6
ROUNDING_FACTOR = 10  # a tensor may differ by up to 10 x PyTorch's own float32 rounding there (if above RTOL)
BATCH = 2
THREADS = (1, 2)


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
    p.add_argument("--torchvision", choices=torchvision_names.ARCHITECTURES)
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


def randomize(model, seed, batch=None):
    """He-normal weights for convolutions and dense layers, small random biases, gamma in [0.5, 1.5), beta in
    [-0.1, 0.1); then each batch norm's running statistics near the real statistics of its input on this batch
    (the mean moved by N(0, 0.2) standard deviations, the variance scaled by [0.7, 1.4)), set in one pass in
    the order the layers run, so that every layer's output stays near unit scale however deep the model is.
    Without a batch, the batch of make_batch() for the model's input_shape."""
    if batch is None:
        batch = make_batch(model, seed)
    g = torch.Generator().manual_seed(seed)
    norms = []
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
                norms.append(m)
        model.eval()
        hooks = [m.register_forward_pre_hook(lambda m, inputs: statistics_near(m, inputs[0], g)) for m in norms]
        model(batch)
        for hook in hooks:
            hook.remove()
    return model


def statistics_near(norm, x, g):
    """Running mean and variance of a batch norm near its input's own per channel; a variance is at least 1e-2
    of the layer's mean variance, so that a channel almost constant on this batch is not blown up."""
    dims = [d for d in range(x.dim()) if d != 1]
    mean, var = x.mean(dim=dims).double(), x.var(dim=dims, unbiased=False).double()
    var = torch.maximum(var, 1e-2 * var.mean() + 1e-6)
    n = norm.num_features
    norm.running_mean.copy_(mean + torch.randn(n, generator=g).double() * 0.2 * var.sqrt())
    norm.running_var.copy_(var * (torch.rand(n, generator=g).double() * 0.7 + 0.7))


def make_batch(module_class, seed):
    """BATCH images uniform in [-1, 1) (N,C,H,W) of the module's input shape: negative values too, for the
    activations and max pooling."""
    c, h, w = module_class.input_shape
    return torch.rand((BATCH, c, h, w), generator=torch.Generator().manual_seed(seed + 1)) * 2 - 1


def reference(args, module_class, batch):
    """The model PyTorch runs and the weights (netc names) the C++ code gets."""
    if not args.torchvision:
        model = randomize(module_class(), args.seed, batch)
        return model, model.state_dict(), True
    model = randomize(torchvision_names.torchvision_model(args.torchvision), args.seed, batch)
    return model, torchvision_names.to_netc(args.torchvision, model.state_dict()), False


def nhwc(tensor):
    """A PyTorch output as the C++ code lays it out: N,C,H,W to N,H,W,C; flat tensors stay N,C."""
    array = tensor.detach().numpy()
    return array.transpose(0, 2, 3, 1) if array.ndim == 4 else array


def float32_rounding(model, batch, want, trace):
    """How far PyTorch's own float32 result drifts from the same model in float64, relative to each tensor's
    scale: {layer name: max |float32 - float64| / max |float64|}, "output" for the model's output. Each step of
    a deep model adds rounding that the next ones amplify (ResNet50 at 224: 1e-6 after the first layers, 1e-4 in
    the last stage), so a tolerance fixed for every depth is either too loose at the start or fails at the end."""
    model64, trace64 = copy.deepcopy(model).double(), {}
    with torch.no_grad():
        want64 = model64(batch.double(), trace=trace64) if trace is not None else model64(batch.double())

    def drift(a, b):
        b = b.detach().numpy()
        return float(np.abs(a.detach().numpy() - b).max(initial=0.0) / max(np.abs(b).max(initial=0.0), 1e-30))
    rounding = {name: drift(trace[name], trace64[name]) for name in (trace or {}) if name in trace64}
    rounding["output"] = drift(want, want64)
    return rounding


def tolerance(rounding, name):
    """The relative tolerance of one tensor: RTOL, or ROUNDING_FACTOR x PyTorch's own float32 rounding there."""
    return max(RTOL, ROUNDING_FACTOR * (rounding or {}).get(name, 0.0))


def compare(name, got, want, rtol=RTOL):
    """(ok, message): the largest error against the tolerance (rtol x the largest |want|), and where it is."""
    got = got.reshape(want.shape)
    error = np.abs(got.astype(np.float64) - want)
    scale = float(np.abs(want).max()) if want.size else 0.0
    limit = rtol * scale + ATOL
    worst = np.unravel_index(int(np.argmax(error)), error.shape) if error.size else ()
    position = "(image, y, x, channel) " if len(worst) == 4 else "(image, unit) "
    where = f"{position}{tuple(int(i) for i in worst)}: C++ {got[worst]:.7g}, PyTorch {want[worst]:.7g}"
    ok = bool(np.all(np.isfinite(got))) and float(error.max(initial=0.0)) <= limit
    return ok, f"{name:28} max error {error.max(initial=0.0):.3g} (limit {limit:.3g}, max |PyTorch| {scale:.3g}) at {where}"


def run_cpp(args, work, weights, batch, threads=1):
    """Runs the C++ model in a context of `threads` threads: (output, [(step name, its output)...])."""
    run = os.path.join(work, f"threads{threads}")
    inputs, outputs, layers = (os.path.join(run, name) for name in ("input.bin", "output.bin", "layers"))
    os.makedirs(layers, exist_ok=True)
    nhwc(batch).astype("<f4").tofile(inputs)
    subprocess.run([args.runner, args.case, weights, inputs, outputs, "--layers", layers, "--threads", str(threads)],
                   check=True)
    dumps = []
    with open(os.path.join(layers, "index.txt")) as index:
        for line in index:
            name, n, h, w, c = line.split()
            data = np.fromfile(os.path.join(layers, name.replace("/", ".") + ".bin"), dtype="<f4")
            shape = (int(n), int(h), int(w), int(c)) if (int(h), int(w)) != (1, 1) else (int(n), int(c))
            dumps.append((name, data.reshape(shape)))
    return np.fromfile(outputs, dtype="<f4"), dumps


def independent_reference(args, batch, state):
    """The output of references/CASE.py's forward(x, w); None when the case has none and need not have one.
    A case of layers.net without one is an error (SystemExit with the path to write)."""
    path = os.path.join(REFERENCES, args.case + ".py")
    if not os.path.exists(path):
        if os.path.exists(args.model) and os.path.samefile(args.model, LAYERS_NET):
            raise SystemExit(f"FAILED: {args.case} is a case of {LAYERS_NET} but has no independent reference: "
                             f"write {path} defining forward(x, w) with torch.nn.functional from the layer's "
                             "definition (see equivalence.py's docstring)")
        return None
    spec = importlib.util.spec_from_file_location("reference_" + args.case, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with torch.no_grad():
        return module.forward(batch.clone(), {k: v.detach().clone() for k, v in state.items()})


def with_flattened_maps(dumps):
    """(name, data, map) for each C++ step: map is the H,W,C shape that a flat step's values come from when the
    step follows a flatten position by position (its size is the last map's and every step since is flat and of
    that size: `flatten; relu; batchnorm`), else None. netc keeps such values in H,W,C order; PyTorch in C,H,W."""
    out, last_map = [], None
    for name, data in dumps:
        if data.ndim == 4:
            last_map = data.shape[1:]
        elif last_map is not None and data.shape[1] != int(np.prod(last_map)):
            last_map = None
        out.append((name, data, last_map if data.ndim == 2 else None))
    return out


def in_cpp_order(tensor, map_shape):
    """The PyTorch tensor laid out as netc's: nhwc(), and a flat tensor after a flatten from C,H,W to H,W,C."""
    array = nhwc(tensor)
    if map_shape is None:
        return array
    h, w, c = map_shape
    return array.reshape(array.shape[0], c, h, w).transpose(0, 2, 3, 1).reshape(array.shape[0], -1)


def report(case, output, dumps, want, trace, traced, independent=None, rounding=None):
    """Compares the C++ output and every step with the reference's, prints every comparison; True when all agree,
    each within its own tolerance (see tolerance(); rounding from float32_rounding())."""
    dumped = dict(dumps)
    final_name = dumps[-1][0]
    checks = []
    output_rtol = tolerance(rounding, "output")
    logits = final_name + "/logits"
    if traced and logits in dumped:
        # A final softmax passes on its logits' error: p_i (dz_i - sum_j p_j dz_j), at most 2 max |dz| relative
        # to the largest p. Its output may differ by what the logits' own tolerance allows, and no more.
        logits_rtol = tolerance(rounding, logits)
        output_rtol = max(output_rtol, 2 * (logits_rtol * float(np.abs(nhwc(trace[logits])).max()) + ATOL))
    if traced:
        checks.append(compare("output", output, nhwc(want), output_rtol))
        if logits in dumped:
            checks.append(compare(logits, dumped[logits], nhwc(trace[logits]), logits_rtol))
    else:  # torchvision's models end with logits; netc's VGG16 adds the softmax of Keras's model
        got = dumped.get(final_name + "/logits", output)
        checks.append(compare("logits (torchvision)", got, nhwc(want), output_rtol))
    if independent is not None:
        checks.append(compare("output (independent ref.)", output, nhwc(independent), output_rtol))
    # The last step's dump is the output: the output's tolerance (with a final softmax, its logits' share).
    layers = [compare(name, data, in_cpp_order(trace[name], map_shape),
                      output_rtol if name == final_name else tolerance(rounding, name))
              for name, data, map_shape in with_flattened_maps(dumps) if name in trace]

    print(f"{case}: {len(dumps)} C++ steps, {len(layers)} compared layer by layer with PyTorch")
    for ok, message in checks + layers:
        print(("  ok    " if ok else "  DIFF  ") + message)
    failed = [m for ok, m in checks + layers if not ok]
    if failed:
        first_layer = next((m for ok, m in layers if not ok), "no single layer exceeds the tolerance")
        print(f"FAILED: {failed[0]}\n  first layer that differs: {first_layer}")
        return False
    return True


def main():
    args = parse_args()
    os.makedirs(args.work, exist_ok=True)
    work = tempfile.mkdtemp(prefix=args.case + ("_torchvision_" if args.torchvision else "_"), dir=args.work)
    torch.manual_seed(args.seed)
    module_class = emit_module(args, work)
    batch = make_batch(module_class, args.seed)
    model, state, traced = reference(args, module_class, batch)
    weights = os.path.join(work, "weights.safetensors")
    safetensors_io.save(weights, state)

    trace = {}
    with torch.no_grad():
        want = model(batch, trace=trace) if traced else model(batch)
    independent = independent_reference(args, batch, state) if traced else None
    rounding = float32_rounding(model, batch, want, trace if traced else None)
    ok = True
    for threads in THREADS:
        output, dumps = run_cpp(args, work, weights, batch, threads)
        ok = report(f"{args.case}, {threads} thread(s)", output, dumps, want, trace, traced, independent,
                    rounding) and ok
    if ok:
        shutil.rmtree(work)
    else:
        print(f"work files kept in {work}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
