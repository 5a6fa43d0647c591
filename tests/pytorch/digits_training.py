"""Trains a digits model from scratch with the PyTorch module netc emits (tools/train_digits.py), then checks that
the C++ model gives PyTorch's held-out predictions with the new weights. Exit 77 (skipped) without PyTorch or
scikit-learn.

    digits_training.py NETC EVALUATE MODEL WORK
"""
import os
import shutil
import subprocess
import sys

try:
    import sklearn  # noqa: F401
    import torch  # noqa: F401
except ImportError:
    print("PyTorch or scikit-learn is not installed (Debian: python3-torch, python3-sklearn); skipped")
    sys.exit(77)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
netc, evaluate, model, work = sys.argv[1:5]
shutil.rmtree(work, ignore_errors=True)
subprocess.run([sys.executable, os.path.join(ROOT, "tools", "train_digits.py"), "--netc", netc, "--model",
                os.path.join(ROOT, "examples", "digits", model + ".net"), "--out", work], check=True)
sys.exit(subprocess.run([evaluate, os.path.join(work, model + ".safetensors"),
                         os.path.join(work, "heldout.safetensors")]).returncode)
