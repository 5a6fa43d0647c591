"""`netc import` on every layout Keras writes (made here by keras_h5.py): the output holds exactly the weights the
Keras file was made from, with the metadata generated classes check. The Keras layouts come from numpy's
conversion in keras_h5, not from netc's code, so a layout netc gets wrong shows as a difference; that the
converted weights compute what Keras computes is tests/pytorch/keras_import.py's part (C++ against PyTorch).
"""
import os
import subprocess

import import_case
from import_case import ImportCase, h5py, keras_h5, np, safetensors_io


class ImportLayoutTest(ImportCase):
    """Keras layouts netc imports."""

    # --- what a successful import gives ----------------------------------------------------------------------

    def imports(self, h5, *args, expected=None, layout="Keras 2 save_weights"):
        """Imports h5 into small and checks that the file holds exactly `expected` (the reference)."""
        result = self.netc("import", "small.net", h5, "-o", "out.safetensors", "--model", "small", *args)
        self.assertEqual(result.returncode, 0, result.stderr)
        expected = self.reference if expected is None else expected
        out = safetensors_io.load(self.path("out.safetensors"))
        self.assertEqual(list(out), list(expected))
        for key in expected:
            np.testing.assert_array_equal(out[key], expected[key], err_msg=key)
        metadata = safetensors_io.load_metadata(self.path("out.safetensors"))
        self.assertEqual({k: v for k, v in metadata.items() if k not in ("netc.random_layers", "netc.seed")},
                         {"format": "pt", "netc.model": "small", "netc.input": "8x6x3", "netc.classes": "5",
                          "netc.source": os.path.basename(h5), "netc.source_layout": layout})
        self.assertFalse(os.path.exists(self.path("out.safetensors.partial")))
        return result, metadata

    def test_keras2_save_weights(self):
        keras_h5.save_weights_keras2(self.path("k.h5"), self.layers)
        result, _ = self.imports("k.h5")
        self.assertEqual(result.stdout, "out.safetensors: 11 tensors, 903 parameters of model 'small', from k.h5 "
                                        "(Keras 2 save_weights)\n")
        self.assertEqual(result.stderr, "")

    def test_keras2_model_save(self):
        keras_h5.save_model_keras2(self.path("model.h5"), self.layers)
        self.imports("model.h5", layout="Keras 2 model.save")

    def test_keras_applications_names(self):
        """The published files' names: resnet50's `conv1_W:0`, `bn_conv1_running_std:0`; vgg16's `_W_1:0`."""
        layers = keras_h5.from_netc(import_case.NETC, self.model, self.reference, naming="keras1",
                                    extra_args=["--model", "small"])
        keras_h5.save_weights_keras2(self.path("published.h5"), layers)
        self.imports("published.h5")
        suffixed = [layer._replace(weights=[(n.replace(":0", "_1:0"), v) for n, v in layer.weights])
                    for layer in layers]
        keras_h5.save_weights_keras2(self.path("published_1.h5"), suffixed)
        self.imports("published_1.h5")

    def test_keras3_with_names(self):
        keras_h5.save_weights_keras3(self.path("k3.weights.h5"), self.layers, names=True)
        self.imports("k3.weights.h5", layout="Keras 3 .weights.h5")

    def test_keras3_without_names_pairs_layers_by_order(self):
        keras_h5.save_weights_keras3(self.path("k3.weights.h5"), self.layers, names=False)
        self.imports("k3.weights.h5", layout="Keras 3 .weights.h5")

    def test_depthwise_and_grouped_kernels(self):
        """DepthwiseConv2D's [kh, kw, C, M] kernel (multiplier 2 and 1) and a grouped Conv2D's [kh, kw, C / G, F],
        in Keras 2's named layout and in Keras 3's unnamed one (paired by class: depthwise_conv2d#0, #1)."""
        subprocess.run([import_case.NETC, "weights", "small.net", "--model", "small_mobile", "--random", "--seed", "3",
                        "-o", "mobile.safetensors"], cwd=self.dir, check=True)
        reference = safetensors_io.load(self.path("mobile.safetensors"))
        self.assertEqual(tuple(reference["dw1.weight"].shape), (12, 1, 3, 3))
        self.assertEqual(tuple(reference["conv1.weight"].shape), (6, 1, 3, 3))
        layers = keras_h5.from_netc(import_case.NETC, self.path("small.net"), reference,
                                    extra_args=["--model", "small_mobile"])
        kernels = {name: value for layer in layers for name, value in layer.weights}
        self.assertEqual(kernels["dw1/depthwise_kernel:0"].shape, (3, 3, 6, 2))
        # Keras's channel c * M + m is its kernel's [:, :, c, m]: check one by hand, not only through to_keras.
        np.testing.assert_array_equal(kernels["dw1/depthwise_kernel:0"][:, :, 4, 1], reference["dw1.weight"][9, 0])
        for name, names in (("named.h5", True), ("unnamed.weights.h5", False)):
            if names:
                keras_h5.save_weights_keras2(self.path(name), layers)
            else:
                keras_h5.save_weights_keras3(self.path(name), layers, names=False)
            result = self.netc("import", "small.net", name, "-o", "out.safetensors", "--model", "small_mobile")
            self.assertEqual(result.returncode, 0, result.stderr)
            out = safetensors_io.load(self.path("out.safetensors"))
            self.assertEqual(sorted(out), sorted(reference))
            for key in reference:
                np.testing.assert_array_equal(out[key], reference[key], err_msg=key)

    def test_depthwise_kernel_of_another_multiplier(self):
        """A depthwise kernel made for multiplier 1 given to a layer of multiplier 2: the shape names Keras's axes."""
        subprocess.run([import_case.NETC, "weights", "small.net", "--model", "small_mobile", "--random", "--seed", "3",
                        "-o", "mobile.safetensors"], cwd=self.dir, check=True)
        reference = safetensors_io.load(self.path("mobile.safetensors"))
        layers = keras_h5.from_netc(import_case.NETC, self.path("small.net"), reference,
                                    extra_args=["--model", "small_mobile"])
        wrong = [layer._replace(weights=[(n, v[:, :, :, :1] if n == "dw1/depthwise_kernel:0" else v)
                                         for n, v in layer.weights]) for layer in layers]
        keras_h5.save_weights_keras2(self.path("wrong.h5"), wrong)
        result = self.netc("import", "small.net", "wrong.h5", "-o", "out.safetensors", "--model", "small_mobile")
        self.assertEqual(result.returncode, 1)
        self.assertIn("error: depthwise 'dw1': 'dw1/depthwise_kernel:0' has shape [3, 3, 6, 1] in wrong.h5, expected "
                      "[3, 3, 6, 2] (kernel height, kernel width, input channels, depth multiplier)", result.stderr)

    def test_tf_keras_213_layout(self):
        keras_h5.save_weights_tf_keras_213(self.path("k.weights.h5"), self.layers)
        self.imports("k.weights.h5", layout="Keras 3 .weights.h5")

    def test_nested_model(self):
        """Sequential([base, Dense, Dense]).save_weights: the group `base` holds its layers' weights."""
        base = [w for layer in self.layers[:5] for w in layer.weights]
        layers = [keras_h5.Layer("base", "model", base)] + self.layers[5:]
        keras_h5.save_weights_keras2(self.path("nested.h5"), layers)
        self.imports("nested.h5")

    def test_float64_and_float16_weights_are_converted(self):
        def cast(dtype):
            return [layer._replace(weights=[(n, v.astype(dtype)) for n, v in layer.weights]) for layer in self.layers]
        keras_h5.save_weights_keras2(self.path("f16.h5"), cast(np.float16))
        self.imports("f16.h5", expected={k: v.astype(np.float16).astype(np.float32) for k, v in self.reference.items()})
        keras_h5.save_weights_keras2(self.path("f64.h5"), cast(np.float64))
        self.imports("f64.h5")

    def test_split_layer_names(self):
        """6,000 layer names of 15 bytes: Keras splits `layer_names` (90 KB) into layer_names0 and layer_names1."""
        with open(self.path("many.net"), "w") as f:
            f.write("model many(input = 1x1x2) {\n  conv 2 1x1 as first\n  boxes layers [6000] f [1] { relu }\n"
                    "  flatten\n  dense 3 as last\n}\n")
        netc = import_case.NETC
        subprocess.run([netc, "weights", "many.net", "--random", "-o", "many.safetensors"], cwd=self.dir, check=True)
        reference = safetensors_io.load(self.path("many.safetensors"))
        keras_h5.save_weights_keras2(self.path("many.h5"), keras_h5.from_netc(netc, self.path("many.net"), reference))
        with h5py.File(self.path("many.h5")) as f:
            names = sorted(k for k in f.attrs if k.startswith("layer_names"))
        self.assertEqual(names, ["layer_names0", "layer_names1"])
        result = self.netc("import", "many.net", "many.h5", "-o", "many_out.safetensors")
        self.assertEqual(result.returncode, 0, result.stderr)
        out = safetensors_io.load(self.path("many_out.safetensors"))
        self.assertEqual(list(out), list(reference))
        self.assertTrue(all(np.array_equal(out[k], reference[k]) for k in reference))

    def test_batch_norms_without_gamma_or_beta(self):
        """Keras's BatchNormalization(scale=False) has no gamma, (center=False) no beta: nor have netc's
        `batchnorm noscale` and `batchnorm nocenter`, in every layout."""
        netc = import_case.NETC
        subprocess.run([netc, "weights", "small.net", "--model", "small_noscale", "--random", "-o", "ref.safetensors"],
                       cwd=self.dir, check=True)
        reference = safetensors_io.load(self.path("ref.safetensors"))
        self.assertNotIn("bn1.weight", reference)
        self.assertNotIn("bn2.bias", reference)
        layers = keras_h5.from_netc(netc, self.path("small.net"), reference, extra_args=["--model", "small_noscale"])
        self.assertEqual([n for n, _ in layers[2].weights], ["bn1/beta:0", "bn1/moving_mean:0", "bn1/moving_variance:0"])
        for name, save in (("k2.h5", keras_h5.save_weights_keras2),
                           ("k3.weights.h5", lambda path, ls: keras_h5.save_weights_keras3(path, ls, names=False))):
            with self.subTest(layout=name):
                save(self.path(name), layers)
                result = self.netc("import", "small.net", name, "-o", "out.safetensors", "--model", "small_noscale")
                self.assertEqual(result.returncode, 0, result.stderr)
                out = safetensors_io.load(self.path("out.safetensors"))
                self.assertEqual(list(out), list(reference))
                self.assertTrue(all(np.array_equal(out[k], reference[k]) for k in reference))

    def test_include_top_false_file_into_base_model(self):
        keras_h5.save_weights_keras2(self.path("notop.h5"), self.layers[:-2])
        result = self.netc("import", "small.net", "notop.h5", "-o", "base.safetensors", "--model", "small_base")
        self.assertEqual(result.returncode, 0, result.stderr)
        out = safetensors_io.load(self.path("base.safetensors"))
        self.assertEqual(list(out), [k for k in self.reference if not k.startswith(("fc1.", "predictions."))])

    def test_allow_missing_leaves_the_classifier_random(self):
        keras_h5.save_weights_keras2(self.path("notop.h5"), self.layers[:-2])
        result = self.netc("import", "small.net", "notop.h5", "-o", "out.safetensors", "--model", "small",
                           "--allow-missing", "--seed", "5")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "netc: warning: 2 layers are not in notop.h5; random weights (seed 5) for fc1, "
                                        "predictions\n")
        out = safetensors_io.load(self.path("out.safetensors"))
        self.assertEqual(list(out), list(self.reference))
        for key in self.reference:
            if key.startswith(("fc1.", "predictions.")):
                self.assertEqual(out[key].shape, self.reference[key].shape)
                self.assertFalse(np.array_equal(out[key], self.reference[key]), key)
            else:
                np.testing.assert_array_equal(out[key], self.reference[key], err_msg=key)
        metadata = safetensors_io.load_metadata(self.path("out.safetensors"))
        self.assertEqual((metadata["netc.random_layers"], metadata["netc.seed"]), ("fc1,predictions", "5"))
        again = self.netc("import", "small.net", "notop.h5", "-o", "again.safetensors", "--model", "small",
                          "--allow-missing", "--seed", "5")
        self.assertEqual(again.returncode, 0)
        with open(self.path("out.safetensors"), "rb") as a, open(self.path("again.safetensors"), "rb") as b:
            self.assertEqual(a.read(), b.read())



if __name__ == "__main__":
    import_case.main(ImportLayoutTest)
