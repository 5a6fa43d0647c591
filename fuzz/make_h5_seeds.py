"""Seeds for fuzz_h5: the Keras layouts netc imports (tests/import/keras_h5.py), made for fuzz_h5's model
(tests/import/small.net's `small`), and cuts of them.

    make_h5_seeds.py NETC DIR
"""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "import"))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import keras_h5  # noqa: E402
import safetensors_io  # noqa: E402


def main():
    netc, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    model = os.path.join(ROOT, "tests", "import", "small.net")
    with tempfile.TemporaryDirectory() as tmp:
        weights = os.path.join(tmp, "small.safetensors")
        subprocess.run([netc, "weights", model, "--model", "small", "--random", "-o", weights], check=True)
        reference = safetensors_io.load(weights)
    layers = keras_h5.from_netc(netc, model, reference, extra_args=["--model", "small"])
    published = keras_h5.from_netc(netc, model, reference, naming="keras1", extra_args=["--model", "small"])
    keras_h5.save_weights_keras2(os.path.join(out, "keras2.h5"), layers)
    keras_h5.save_weights_keras2(os.path.join(out, "published.h5"), published)
    keras_h5.save_weights_keras2(os.path.join(out, "notop.h5"), layers[:-2])
    keras_h5.save_model_keras2(os.path.join(out, "model.h5"), layers)
    keras_h5.save_weights_keras3(os.path.join(out, "named.weights.h5"), layers, names=True)
    keras_h5.save_weights_keras3(os.path.join(out, "unnamed.weights.h5"), layers, names=False)
    keras_h5.save_weights_tf_keras_213(os.path.join(out, "tf213.weights.h5"), layers)
    for name in ("keras2.h5", "named.weights.h5"):
        with open(os.path.join(out, name), "rb") as f:
            data = f.read()
        for cut in (100, 800, len(data) // 2, len(data) - 1):
            with open(os.path.join(out, f"cut{cut}_{name}"), "wb") as f:
                f.write(data[:cut])


if __name__ == "__main__":
    main()
