"""What the benchmark needs before it times anything: the built driver and probe, the weights, the emitted
PyTorch modules, the ONNX files, and which peers can run (with a hint to install the missing ones).

Everything is written to BUILD/bench/data and kept between runs: weights are made again only when netc or a
.net file has changed since they were last made (and replaced only when their bytes change), the ONNX file
only when the weights or the emitted module are newer than it. Delete BUILD/bench/ to start afresh.
"""
import filecmp
import glob
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
INPUT, CLASSES = "224x224x3", "1000"

ORT_HINT = ("npm install --prefix bench/ort --ignore-scripts (Node and npm; the .onnx file is exported by "
            "PyTorch: apt-get install python3-torch python3-onnx)")
TORCH_HINT = "apt-get install python3-torch python3-onnx libopenblas0-openmp (run with /usr/bin/python3)"


class Failure(Exception):
    """A step that failed, with what it printed."""


def run(command, what, timeout=3600):
    """Runs command; raises Failure with its last lines of output when it fails."""
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise Failure(f"{what} failed (exit {done.returncode}): {' '.join(command)}\n{tail}")
    return done.stdout


def build_spec(spec):
    """(NAME, absolute BUILD_DIR) from a --compare argument "NAME=BUILD_DIR"; ValueError with the reason."""
    name, sep, build_dir = spec.partition("=")
    if not sep or not name or not build_dir:
        raise ValueError(f"--compare expects NAME=BUILD_DIR, found '{spec}'")
    return name, os.path.abspath(build_dir)


def build(build_dir):
    """Configures build_dir (Release) if it is not yet, and builds netc, netc_bench and peak_fma in it."""
    if not os.path.exists(os.path.join(build_dir, "CMakeCache.txt")):
        print(f"configuring {build_dir} (Release)", flush=True)
        run(["cmake", "-S", ROOT, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release"], "cmake configure")
    print(f"building netc, netc_bench, peak_fma in {build_dir}", flush=True)
    run(["cmake", "--build", build_dir, "-j", str(os.cpu_count() or 2), "--target", "netc", "netc_bench",
         "peak_fma"], "cmake --build")
    with open(os.path.join(build_dir, "CMakeCache.txt")) as cache:
        build_type = next((line.split("=", 1)[1].strip() for line in cache if line.startswith("CMAKE_BUILD_TYPE:")), "")
    if build_type != "Release":
        print(f"warning: {build_dir} is a '{build_type}' build, not Release: netc's times mean little", flush=True)


def newer(path, than):
    """Whether path is missing or older than any of the files in than."""
    if not os.path.exists(path):
        return True
    return any(os.path.getmtime(f) > os.path.getmtime(path) for f in than if os.path.exists(f))


def replace_if_changed(made, path):
    """Moves the freshly made file to path unless path holds the same bytes (which keeps its time stamp)."""
    if os.path.exists(path) and filecmp.cmp(made, path, shallow=False):
        os.remove(made)
    else:
        os.replace(made, path)


class Artifacts:
    """The files of one model under BUILD/bench/data: weights, the emitted PyTorch module, the ONNX file."""

    def __init__(self, build_dir, model):
        self.model = model
        self.netc = os.path.join(build_dir, "compiler", "netc")
        self.source = os.path.join(ROOT, "models", model + ".net")
        self.data = os.path.join(build_dir, "bench", "data")
        self.weights = os.path.join(self.data, model + ".safetensors")
        self.module = os.path.join(self.data, model + ".py")
        self.onnx = os.path.join(self.data, model + ".onnx")

    def make_weights(self):
        """Writes the weights again when netc or a .net file is newer than the last time (a stamp file records
        it); the file itself changes only when its bytes do, so that the ONNX file made from it stays valid."""
        net_files = glob.glob(os.path.join(ROOT, "models", "**", "*.net"), recursive=True)
        stamp = self.weights + ".made"
        if os.path.exists(self.weights) and not newer(stamp, net_files + [self.netc]):
            return
        print(f"writing random weights (seed 1): {self.weights}", flush=True)
        os.makedirs(self.data, exist_ok=True)
        made = self.weights + ".new"
        run([self.netc, "weights", self.source, "--input", INPUT, "--classes", CLASSES, "--random", "--seed", "1",
             "-o", made], "netc weights")
        replace_if_changed(made, self.weights)
        with open(stamp, "w"):
            pass

    def make_module(self):
        with tempfile.TemporaryDirectory() as out:
            run([self.netc, "emit", self.source, "--target", "pytorch", "--input", INPUT, "--classes", CLASSES,
                 "-o", out, "--name", self.model], "netc emit --target pytorch")
            replace_if_changed(os.path.join(out, self.model + ".py"), self.module)

    def make_onnx(self, python):
        if not newer(self.onnx, [self.weights, self.module]):
            return
        print(f"exporting {self.onnx} (torch.onnx.export, opset 13)", flush=True)
        run([python, os.path.join(BENCH, "export_onnx.py"), self.module, self.weights, self.onnx], "ONNX export")


def torch_problem(python):
    """None when python imports torch; otherwise why not."""
    if not shutil.which(python) and not os.path.exists(python):
        return f"{python} not found"
    done = subprocess.run([python, "-c", "import torch"], capture_output=True, text=True)
    return None if done.returncode == 0 else f"{python} cannot import torch"


def ort_problem(node):
    """None when node and bench/ort's onnxruntime-node are there; otherwise why not."""
    if not shutil.which(node):
        return f"'{node}' (Node.js) not found"
    if not os.path.isdir(os.path.join(BENCH, "ort", "node_modules", "onnxruntime-node")):
        return "onnxruntime-node is not installed in bench/ort"
    return None


def prepare(args):
    """Builds, writes the files every engine needs, and returns ({model: Artifacts}, {engine: problem or None})."""
    if not args.no_build:
        build(args.build_dir)
        for build_dir in args.compare.values():
            print(f"building netc_bench in {build_dir}", flush=True)
            run(["cmake", "--build", build_dir, "-j", str(os.cpu_count() or 2), "--target", "netc_bench"],
                "cmake --build (compared build)")
    for name, build_dir in args.compare.items():
        if not os.path.exists(os.path.join(build_dir, "bench", "netc_bench")):
            raise Failure(f"{name}: no {build_dir}/bench/netc_bench; make it with: cmake -S {ROOT} -B {build_dir} "
                          "-DCMAKE_BUILD_TYPE=Release -DNETC_NATIVE=ON && cmake --build " + build_dir +
                          " --target netc_bench")
    artifacts = {model: Artifacts(args.build_dir, model) for model in args.models}
    problems = {"netc": None,
                "pytorch": torch_problem(args.python) if "pytorch" in args.engines else "not asked for",
                "onnxruntime": ort_problem(args.node) if "onnxruntime" in args.engines else "not asked for"}
    if problems["onnxruntime"] is None and torch_problem(args.python):
        problems["onnxruntime"] = "the .onnx file needs PyTorch to export it: " + torch_problem(args.python)
    for a in artifacts.values():
        a.make_weights()
        if problems["pytorch"] is None or problems["onnxruntime"] is None:
            a.make_module()
        if problems["onnxruntime"] is None:
            try:
                a.make_onnx(args.python)
            except Failure as e:
                problems["onnxruntime"] = f"ONNX export failed: {str(e).splitlines()[-1]}"
                print(f"warning: {e}", file=sys.stderr)
    return artifacts, problems
