"""Training beyond one process: examples/digits/train_distributed.py under torchrun with two processes on this
machine (gloo, loopback) for one short epoch, on the PyTorch module that netc_add_model(... PYTORCH) emitted;
then the C++ model must give PyTorch's held-out predictions with the weights rank 0 saved. Exit 77 (skipped)
without PyTorch or scikit-learn.

    distributed_training.py MODULE.py EVALUATE WORK
"""
import os
import shutil
import socket
import subprocess
import sys

try:
    import sklearn  # noqa: F401
    import torch.distributed  # noqa: F401
except ImportError:
    print("PyTorch or scikit-learn is not installed (Debian: python3-torch, python3-sklearn); skipped")
    sys.exit(77)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
module, evaluate, work = sys.argv[1:4]
name = os.path.splitext(os.path.basename(module))[0]
shutil.rmtree(work, ignore_errors=True)
# One machine with the static rendezvous on 127.0.0.1 and a free port, not --standalone: that one takes the
# fixed port 29400 (two runs at once would meet) and the name localhost, which a bare system may not resolve.
# Gloo on the loopback interface for the same reason. --redirects 1 --tee 1: Debian 12's torchrun (PyTorch 1.13,
# Python 3.11) cannot parse its default of 0.
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
run = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--nnodes=1", "--nproc_per_node=2",
                      "--master_addr=127.0.0.1", f"--master_port={port}",
                      "--redirects", "1", "--tee", "1", os.path.join(ROOT, "examples", "digits", "train_distributed.py"),
                      "--module", module, "--out", work, "--epochs", "1"], capture_output=True, text=True, timeout=300,
                     env={**os.environ, "GLOO_SOCKET_IFNAME": "lo"})
print(run.stdout, run.stderr, sep="\n")
if run.returncode != 0:
    sys.exit(f"torchrun failed with exit status {run.returncode}")
if f"{name}: trained on 2 processes" not in run.stdout:
    sys.exit("the training did not run on 2 processes")
sys.exit(subprocess.run([evaluate, os.path.join(work, name + ".safetensors"),
                         os.path.join(work, "heldout.safetensors")]).returncode)
