"""What the tests of `netc import` share: a fresh directory per test holding tests/import/small.net, the
reference weights (`netc weights --random` of the model `small`) and their Keras layers (keras_h5.from_netc,
numpy's conversion, not netc's), and a main() that runs a test class as a ctest test.

    test_layouts.py --netc build/compiler/netc [--work DIR]     (test_errors.py the same)
Exit status 0 pass, 1 fail, 77 numpy or h5py missing (skipped).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "tools"))
try:
    import numpy as np
    import h5py
except ImportError:
    print("numpy or h5py is not installed (Debian: python3-numpy python3-h5py); skipped")
    sys.exit(77)

import keras_h5  # noqa: E402,F401
import safetensors_io  # noqa: E402,F401

NETC = None  # set by main()
WORK = None


class ImportCase(unittest.TestCase):
    """Each test runs netc in a fresh directory holding small.net."""

    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="netc-import-", dir=WORK)
        cls.model = os.path.join(cls.root, "small.net")
        shutil.copy(os.path.join(HERE, "small.net"), cls.model)
        reference = os.path.join(cls.root, "reference.safetensors")
        subprocess.run([NETC, "weights", cls.model, "--model", "small", "--random", "--seed", "7", "-o", reference],
                       check=True)
        cls.reference = safetensors_io.load(reference)
        cls.layers = keras_h5.from_netc(NETC, cls.model, cls.reference, extra_args=["--model", "small"])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.root)

    def setUp(self):
        self.dir = tempfile.mkdtemp(dir=self.root)
        shutil.copy(self.model, self.dir)

    def path(self, name):
        return os.path.join(self.dir, name)

    def netc(self, *args):
        return subprocess.run([NETC, *args], cwd=self.dir, capture_output=True, text=True)

    def layers_with(self, **changes):
        """The model's Keras layers with some layers' weights replaced ({name: [(name, array)]}, None drops it)."""
        out = []
        for layer in self.layers:
            if layer.name in changes:
                if changes[layer.name] is None:
                    continue
                layer = layer._replace(weights=changes[layer.name])
            out.append(layer)
        return out

    def weights(self, name):
        return next(layer.weights for layer in self.layers if layer.name == name)


def main(test_class):
    """Runs test_class's tests with --netc PATH [--work DIR] from the command line; exits with the result."""
    global NETC, WORK
    parser = argparse.ArgumentParser(description=test_class.__doc__)
    parser.add_argument("--netc", required=True)
    parser.add_argument("--work")
    args = parser.parse_args()
    NETC = os.path.abspath(args.netc)
    WORK = args.work
    if WORK:
        os.makedirs(WORK, exist_ok=True)
    suite = unittest.TestLoader().loadTestsFromTestCase(test_class)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)
