"""The README's way from a Keras file to the top-5 classes of a photo, checked against PyTorch: ResNet50's weights
(random, from the module netc emits, the classifier scaled so that the probabilities are neither 0/1 nor flat) written
as the Keras applications' file, `netc import`, then examples/classify with --labels and --preprocess caffe or
torch on a 224x224 image (so that no resizing happens). The top-5 classes must be PyTorch's on the same pixels
preprocessed as Keras (caffe: B,G,R less the ImageNet means) and torchvision (torch) do, their probabilities
within 1e-4, and each named by its line of examples/imagenet_classes.txt.

    classify_pretrained.py --netc NETC --classify CLASSIFY_RESNET50 --work DIR
Exit status 0 pass, 1 fail, 77 PyTorch, h5py or PIL missing (skipped).
"""
import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "import"))

import equivalence  # noqa: E402  (exits with 77 without PyTorch)
from equivalence import np, torch  # noqa: E402

try:
    import keras_h5  # noqa: E402
    from PIL import Image  # noqa: E402
except ImportError:
    print("h5py or PIL is not installed (Debian: python3-h5py python3-pil); skipped")
    sys.exit(77)

MODES = {"caffe": (True, np.array([103.939, 116.779, 123.68]) / 255, np.full(3, 1 / 255)),
         "torch": (False, np.array([0.485, 0.456, 0.406]), np.array([0.229, 0.224, 0.225]))}


def reference_model(args, work):
    """ResNet50's emitted module with random weights."""
    args.case, args.select, args.input, args.classes = "resnet50", None, None, None
    return equivalence.randomize(equivalence.emit_module(args, work)(), 1)


def calibrate(model, x):
    """Scales the classifier so that the logits of x spread over a few units: softmax neither 0/1 nor flat."""
    trace = {}
    with torch.no_grad():
        model(x, trace=trace)
        scale = 3.0 / float(trace["fc1000/logits"].std())
        model.fc1000.weight.mul_(scale)
        model.fc1000.bias.mul_(scale)


def keras_import(args, work, model):
    """The module's weights as the Keras applications' file, through netc import; the weights file's path."""
    weights = {k: v.numpy() for k, v in model.state_dict().items()}
    keras_file = os.path.join(work, "resnet50_weights_tf_dim_ordering_tf_kernels.h5")
    keras_h5.save_weights_keras2(keras_file, keras_h5.from_netc(args.netc, args.model, weights, naming="keras1"))
    imported = os.path.join(work, "resnet50.safetensors")
    subprocess.run([args.netc, "import", args.model, keras_file, "-o", imported], check=True, stdout=subprocess.DEVNULL)
    return imported


def top5_of_classify(args, weights, image, mode):
    """[(class, probability, label)] as classify prints them."""
    labels = os.path.join(ROOT, "examples", "imagenet_classes.txt")
    out = subprocess.run([args.classify, weights, image, "--labels", labels, "--preprocess", mode, "--runs", "1"],
                         check=True, capture_output=True, text=True).stdout
    rows = re.findall(r"^\s+\d\. class\s+(\d+)\s+([0-9.]+)  (.*)$", out, re.M)
    return [(int(c), float(p), label) for c, p, label in rows]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for flag in ("--netc", "--classify", "--work"):
        p.add_argument(flag, required=True)
    args = p.parse_args()
    args.model = os.path.join(ROOT, "models", "resnet50.net")
    os.makedirs(args.work, exist_ok=True)
    model = reference_model(args, args.work)
    pixels = np.random.default_rng(3).integers(0, 256, (224, 224, 3), dtype=np.uint8)
    image = os.path.join(args.work, "image.png")
    Image.fromarray(pixels).save(image)
    with open(os.path.join(ROOT, "examples", "imagenet_classes.txt")) as f:
        labels = f.read().splitlines()
    ok = True
    for mode, (bgr, mean, std) in MODES.items():
        x = pixels.astype(np.float64) / 255
        x = ((x[:, :, ::-1] if bgr else x) - mean) / std
        x = torch.tensor(x.transpose(2, 0, 1)[None].copy(), dtype=torch.float32)
        calibrate(model, x)
        with torch.no_grad():
            probabilities = model(x)[0].numpy()
        want = [(int(c), float(probabilities[c]), labels[c]) for c in np.argsort(-probabilities)[:5]]
        got = top5_of_classify(args, keras_import(args, args.work, model), image, mode)
        same = len(got) == 5 and all(g[0] == w[0] and abs(g[1] - w[1]) <= 1e-4 and g[2] == w[2]
                                     for g, w in zip(got, want))
        print(f"--preprocess {mode}: {'ok' if same else 'DIFFERENT'}\n  classify: {got}\n  PyTorch:  {want}")
        ok = ok and same
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
