"""Tests of tools/torchvision_names.py: for each architecture, its idea of torchvision's state_dict
is torchvision's own (keys, order, shapes), and its netc names are the layers of the .net model with the same
parameter count each (from `netc summary`); checkpoints convert from .pth (also wrapped in a training checkpoint,
or saved from DataParallel) and safetensors files; a checkpoint of another architecture is refused with a
message naming the first tensor that does not fit, and no file is written. (That the converted weights compute
what torchvision computes: pretrained.py's torchvision_* tests.) And examples/imagenet_classes.txt is torchvision's.

    torchvision_checkpoints.py --netc build/compiler/netc --work DIR
Exit status 0 pass, 1 fail, 77 PyTorch or torchvision missing (skipped).
"""
import argparse
import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
try:
    import torch
    import torchvision
except ImportError:
    print("PyTorch or torchvision is not installed (Debian: python3-torch python3-torchvision); skipped")
    sys.exit(77)

import safetensors_io  # noqa: E402
import torchvision_names  # noqa: E402

NETC = None
WORK = None
SCRIPT = os.path.join(ROOT, "tools", "torchvision_names.py")


def uninitialised(architecture):
    """torchvision's model without its weights' initialisation, which only its shapes need (much faster)."""
    names = ("kaiming_uniform_", "kaiming_normal_", "uniform_", "normal_", "constant_", "zeros_", "ones_")
    saved = {name: getattr(torch.nn.init, name) for name in names}
    try:
        for name in names:
            setattr(torch.nn.init, name, lambda tensor, *args, **kwargs: tensor)
        return torchvision_names.torchvision_model(architecture)
    finally:
        for name, function in saved.items():
            setattr(torch.nn.init, name, function)


def summary_params(model):
    """{layer: parameter count} of the layers with parameters, from `netc summary`."""
    text = subprocess.run([NETC, "summary", os.path.join(ROOT, "models", model + ".net")], check=True,
                          capture_output=True, text=True).stdout
    counts = {}
    for line in text.splitlines():
        m = re.match(r"^ (\S+) \(\w+\)\s+\(.*?\)\s+([\d,]+)", line)
        if m and m[2] != "0":
            counts[m[1]] = int(m[2].replace(",", ""))
    return counts


class TorchvisionNamesTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(dir=WORK)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def path(self, name):
        return os.path.join(self.dir, name)

    def convert(self, architecture, checkpoint, as_program=False):
        """Runs `torchvision_names.py ARCH CHECKPOINT -o out.safetensors`: as a program, or its main() here (a
        program imports torch again, seconds each); returns (exit status, stdout, stderr)."""
        args = [architecture, checkpoint, "-o", self.path("out.safetensors")]
        if as_program:
            result = subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)
            return result.returncode, result.stdout, result.stderr
        out, err = io.StringIO(), io.StringIO()
        saved, sys.argv = sys.argv, ["torchvision_names.py", *args]
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                status = torchvision_names.main()
        finally:
            sys.argv = saved
        return status, out.getvalue(), err.getvalue()

    def test_every_architecture_is_torchvision_s_and_netc_s(self):
        for architecture in torchvision_names.ARCHITECTURES:
            with self.subTest(architecture=architecture):
                state = uninitialised(architecture).state_dict()
                shapes = {k: list(v.shape) for k, v in state.items() if not k.endswith("num_batches_tracked")}
                expected, _ = torchvision_names.architecture_shapes(architecture)
                self.assertEqual(list(shapes), list(expected))
                self.assertEqual(shapes, {k: [1000 if d is None else d for d in v] for k, v in expected.items()})
                per_layer = {}
                for key, value in torchvision_names.to_netc(architecture, state).items():
                    layer = key.rpartition(".")[0]
                    per_layer[layer] = per_layer.get(layer, 0) + value.numel()
                self.assertEqual(per_layer, summary_params(torchvision_names.NETC_MODEL[architecture]))

    def test_imagenet_labels_are_torchvision_s(self):
        """examples/imagenet_classes.txt holds the 1,000 class names in the order of the models' outputs."""
        with open(os.path.join(ROOT, "examples", "imagenet_classes.txt")) as f:
            labels = f.read().splitlines()
        self.assertEqual(labels, torchvision.models.ResNet50_Weights.IMAGENET1K_V1.meta["categories"])
        self.assertEqual(labels[281], "tabby")

    def check_converted(self, result, state, classes, source):
        status, _, err = result
        self.assertEqual(status, 0, err)
        out = safetensors_io.load(self.path("out.safetensors"))
        want = torchvision_names.to_netc("resnet18", state)
        self.assertEqual(sorted(out), sorted(want))
        for key, value in want.items():
            self.assertTrue((torch.from_numpy(out[key]) == value).all(), key)
        self.assertEqual(safetensors_io.load_metadata(self.path("out.safetensors")),
                         {"netc.model": "resnet18_torchvision", "netc.classes": str(classes),
                          "netc.source": source, "netc.torchvision": "resnet18"})

    def test_pth_checkpoints(self):
        state = torchvision.models.resnet18(num_classes=10).state_dict()
        for name, saved in (("plain.pth", state), ("training.pth", {"epoch": 3, "state_dict": state}),
                            ("wrapped.pth", {"model": state}),
                            ("parallel.pth", {"module." + k: v for k, v in state.items()})):
            with self.subTest(checkpoint=name):
                torch.save(saved, self.path(name))
                result = self.convert("resnet18", self.path(name), as_program=name == "plain.pth")
                self.check_converted(result, state, 10, name)
                self.assertEqual(result[1], f"{self.path('out.safetensors')}: torchvision's resnet18 with 10 "
                                            "classes, for models/resnet18_torchvision.net\n")

    def test_safetensors_checkpoint(self):
        state = torchvision.models.resnet18().state_dict()
        floats = {k: v for k, v in state.items() if v.is_floating_point()}
        safetensors_io.save(self.path("resnet18.safetensors"), floats)
        self.check_converted(self.convert("resnet18", self.path("resnet18.safetensors")), floats, 1000,
                             "resnet18.safetensors")

    def refused(self, architecture, checkpoint, message, as_program=False):
        status, out, err = self.convert(architecture, checkpoint, as_program)
        self.assertEqual((status, out), (1, ""))
        self.assertEqual(err, f"torchvision_names.py: error: {checkpoint}: {message}\n")
        self.assertFalse(os.path.exists(self.path("out.safetensors")))

    def test_checkpoints_of_other_architectures_are_refused(self):
        torch.save(torchvision.models.resnet18().state_dict(), self.path("r18.pth"))
        self.refused("resnet50", self.path("r18.pth"), "its tensor 'layer1.0.conv1.weight' has shape [64, 64, 3, 3], "
                     "torchvision's resnet50 has [64, 64, 1, 1]: it is not a resnet50 checkpoint", as_program=True)
        self.refused("vgg11", self.path("r18.pth"), "its tensor 'conv1.weight' is not in torchvision's vgg11: it is "
                     "not a vgg11 checkpoint")
        torch.save(torchvision.models.resnet34().state_dict(), self.path("r34.pth"))
        self.refused("resnet18", self.path("r34.pth"), "its tensor 'layer1.2.conv1.weight' is not in torchvision's "
                     "resnet18: it is not a resnet18 checkpoint")
        self.refused("resnet101", self.path("r34.pth").replace("r34", "r18"), "its tensor 'layer1.0.conv1.weight' has "
                     "shape [64, 64, 3, 3], torchvision's resnet101 has [64, 64, 1, 1]: it is not a resnet101 "
                     "checkpoint")
        state = torchvision.models.resnet18().state_dict()
        del state["layer4.1.bn2.running_var"]
        torch.save(state, self.path("partial.pth"))
        self.refused("resnet18", self.path("partial.pth"), "it has no tensor 'layer4.1.bn2.running_var', which "
                     "torchvision's resnet18 has (1 missing): it is not a complete resnet18 checkpoint")

    def test_resnext_and_inception_checkpoints(self):
        """ResNeXt's grouped convolutions are not ResNet50's; InceptionV3's auxiliary classifier is left out, and
        every other tensor converts."""
        torch.save(uninitialised("resnet50").state_dict(), self.path("r50.pth"))
        self.refused("resnext50_32x4d", self.path("r50.pth"), "its tensor 'layer1.0.conv1.weight' has shape "
                     "[64, 64, 1, 1], torchvision's resnext50_32x4d has [128, 64, 1, 1]: it is not a resnext50_32x4d "
                     "checkpoint")
        self.refused("inception_v3", self.path("r50.pth"), "its tensor 'conv1.weight' is not in torchvision's "
                     "inception_v3: it is not an inception_v3 checkpoint")
        with_auxiliary = torchvision_names.torchvision_model("inception_v3", aux_logits=True).state_dict()
        self.assertTrue(any(k.startswith("AuxLogits.") for k in with_auxiliary))
        torch.save(with_auxiliary, self.path("inception.pth"))
        status, out, err = self.convert("inception_v3", self.path("inception.pth"))
        self.assertEqual(status, 0, err)
        found = safetensors_io.load(self.path("out.safetensors"))
        self.assertEqual(sorted(found), sorted(torchvision_names.to_netc(
            "inception_v3", torchvision_names.torchvision_model("inception_v3").state_dict())))
        self.assertEqual(safetensors_io.load_metadata(self.path("out.safetensors"))["netc.model"],
                         "inception_v3_torchvision")

    def test_files_that_are_no_checkpoints(self):
        torch.save(torch.zeros(3), self.path("tensor.pth"))
        self.refused("resnet18", self.path("tensor.pth"), "holds a Tensor, expected a state_dict")
        with open(self.path("broken.pth"), "wb") as f:
            f.write(b"PK\x03\x04 not a zip archive")
        status, out, err = self.convert("resnet18", self.path("broken.pth"))
        self.assertEqual((status, out), (1, ""))
        self.assertTrue(err.startswith(f"torchvision_names.py: error: {self.path('broken.pth')}: cannot read it as a "
                                       "PyTorch checkpoint: "), err)

    # ---- MobileNetV2 and DenseNet ----
    def test_mobilenet_v2_and_densenet_checkpoints_of_other_architectures_are_refused(self):
        torch.save(uninitialised("densenet121").state_dict(), self.path("densenet.pth"))
        self.refused("mobilenet_v2", self.path("densenet.pth"), "its tensor 'features.conv0.weight' is not in "
                     "torchvision's mobilenet_v2: it is not a mobilenet_v2 checkpoint")
        torch.save(uninitialised("mobilenet_v2").state_dict(), self.path("mobilenet.pth"))
        self.refused("densenet121", self.path("mobilenet.pth"), "its tensor 'features.0.0.weight' is not in "
                     "torchvision's densenet121: it is not a densenet121 checkpoint")
        state = uninitialised("mobilenet_v2").state_dict()
        state["features.2.conv.1.0.weight"] = torch.zeros(96, 16, 3, 3)  # a full convolution, not a depthwise one
        torch.save(state, self.path("full.pth"))
        self.refused("mobilenet_v2", self.path("full.pth"), "its tensor 'features.2.conv.1.0.weight' has shape "
                     "[96, 16, 3, 3], torchvision's mobilenet_v2 has [96, 1, 3, 3]: it is not a mobilenet_v2 "
                     "checkpoint")

    def test_densenet_checkpoints_with_the_keys_of_torchvision_before_0_3(self):
        """torchvision's published DenseNet files name `denselayer1.norm.1.weight` what its model calls
        `denselayer1.norm1.weight`; torchvision renames them when it loads one, and so does the conversion."""
        state = uninitialised("densenet121").state_dict()
        old = {re.sub(r"(denselayer\d+\.(?:norm|conv))([12])\.", r"\1.\2.", k): v for k, v in state.items()}
        self.assertIn("features.denseblock1.denselayer1.norm.1.weight", old)
        torch.save(old, self.path("densenet121-old.pth"))
        status, _, err = self.convert("densenet121", self.path("densenet121-old.pth"))
        self.assertEqual(status, 0, err)
        out = safetensors_io.load(self.path("out.safetensors"))
        self.assertEqual(sorted(out), sorted(torchvision_names.to_netc("densenet121", state)))
        self.assertIn("bn2a_layer1_x1.running_var", out)
        self.assertIn("res5a_layer16_x2.weight", out)
    # ---- end MobileNetV2 and DenseNet ----


def main():
    global NETC, WORK
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--netc", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    NETC, WORK = os.path.abspath(args.netc), args.work
    os.makedirs(WORK, exist_ok=True)
    suite = unittest.TestLoader().loadTestsFromTestCase(TorchvisionNamesTest)
    sys.exit(0 if unittest.TextTestRunner(verbosity=2).run(suite).wasSuccessful() else 1)


if __name__ == "__main__":
    main()
