"""`netc import`'s error paths: each gives its exact message on standard error, exit status 1, nothing on standard
output, and leaves no output file behind. Files that are not Keras files, or broken ones, and Keras files that
do not fit tests/import/small.net (made by keras_h5.py from the model's own layers, then changed).
"""
import os
import shutil
import subprocess
import zipfile

import import_case
from import_case import ImportCase, h5py, keras_h5, np

SMALL = "small.net"
CONV1 = "  conv 4 3x3 same relu as conv1\n  ^\n"
CONV2 = "  conv 6 3x3 stride 2 same nobias as conv2\n  ^\n"
BN2 = "  batchnorm as bn2\n  ^\n"
FC1 = "  dense 7 relu as fc1\n  ^\n"
PREDICTIONS = "  dense classes softmax as predictions\n  ^\n"


class ImportErrorTest(ImportCase):
    """Errors of netc import."""

    def fails(self, h5, expected, *args, model="small"):
        result = self.netc("import", SMALL, h5, "-o", "out.safetensors", "--model", model, *args)
        self.assertEqual(result.stderr, expected)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, "")
        self.assertEqual(sorted(f for f in os.listdir(self.dir) if "safetensors" in f), [])

    def keras2(self, name="k.h5", layers=None):
        keras_h5.save_weights_keras2(self.path(name), self.layers if layers is None else layers)
        return name

    def renamed(self, old, new):
        """The model's layers with layer `old` called `new` (its weights' names too)."""
        return [layer._replace(name=new, weights=[(n.replace(old, new), v) for n, v in layer.weights])
                if layer.name == old else layer for layer in self.layers]

    # --- files that are no Keras weights ---------------------------------------------------------------------

    def test_missing_file(self):
        self.fails("nope.h5", "netc: error: cannot read 'nope.h5': no such file\n1 error generated.\n")

    def test_directory(self):
        os.mkdir(self.path("dir.h5"))
        self.fails("dir.h5", "netc: error: cannot read 'dir.h5': not a readable file\n1 error generated.\n")

    def test_empty_file(self):
        open(self.path("empty.h5"), "w").close()
        self.fails("empty.h5", "netc: error: empty.h5: the file is empty, expected an HDF5 file\n1 error generated.\n")

    def test_text_file(self):
        with open(self.path("text.h5"), "w") as f:
            f.write("not weights\n")
        self.fails("text.h5", "netc: error: text.h5: not an HDF5 file (no HDF5 signature), expected the .h5 file that "
                              "Keras writes\n1 error generated.\n")

    def test_keras3_archive(self):
        self.keras2()
        with zipfile.ZipFile(self.path("model.keras"), "w") as z:
            z.write(self.path("k.h5"), "model.weights.h5")
        self.fails("model.keras", "netc: error: model.keras: a zip archive, not an HDF5 file (a Keras 3 .keras file is "
                                  "a zip archive: unzip it and import its model.weights.h5)\n1 error generated.\n")

    def test_truncated_file(self):
        self.keras2()
        with open(self.path("k.h5"), "rb") as f:
            data = f.read()
        for cut in (len(data) // 2, len(data) - 1, 2100):
            with self.subTest(cut=cut):
                with open(self.path("cut.h5"), "wb") as f:
                    f.write(data[:cut])
                self.fails("cut.h5", f"netc: error: cut.h5: the file is truncated: it has {cut} bytes, its HDF5 "
                                     f"superblock says {len(data)}\n1 error generated.\n")

    def test_hdf5_but_not_keras(self):
        with h5py.File(self.path("data.h5"), "w") as f:
            f["x"] = np.zeros(3)
        self.fails("data.h5", "netc: error: data.h5: an HDF5 file, but not Keras weights: it has no attribute "
                              "'layer_names' (Keras 2 save_weights), no group 'model_weights' (Keras 2 model.save) and "
                              "no group 'layers' (Keras 3)\n1 error generated.\n")

    # --- broken Keras layouts --------------------------------------------------------------------------------

    def broken(self, change):
        self.keras2("broken.h5")
        with h5py.File(self.path("broken.h5"), "a") as f:
            change(f)
        return "broken.h5"

    def test_listed_layer_without_group(self):
        h5 = self.broken(lambda f: f.__delitem__("conv2"))
        self.fails(h5, "netc: error: broken.h5: 'layer_names' lists the layer 'conv2', but '/conv2' is not a group of "
                       "the file\n1 error generated.\n")

    def test_listed_weight_without_dataset(self):
        h5 = self.broken(lambda f: f["conv1"].__delitem__("conv1/bias:0"))
        self.fails(h5, "netc: error: broken.h5: layer 'conv1' lists the weight 'conv1/bias:0', but "
                       "'/conv1/conv1/bias:0' is not a dataset of the file\n1 error generated.\n")

    def test_layer_without_weight_names(self):
        h5 = self.broken(lambda f: f["bn2"].attrs.__delitem__("weight_names"))
        self.fails(h5, "netc: error: broken.h5: the layer group '/bn2' has no attribute 'weight_names'\n"
                       "1 error generated.\n")

    def test_layer_names_of_numbers(self):
        h5 = self.broken(lambda f: f.attrs.__setitem__("layer_names", np.arange(3)))
        self.fails(h5, "netc: error: broken.h5: the attribute 'layer_names' of '/' holds 64-bit integers, expected "
                       "names (strings)\n1 error generated.\n")

    def test_layer_listed_twice(self):
        h5 = self.broken(lambda f: f.attrs.__setitem__("layer_names", [b"conv1", b"conv2", b"conv1"]))
        self.fails(h5, "netc: error: broken.h5: 'layer_names' lists the layer 'conv1' twice\n1 error generated.\n")

    def test_keras3_names_twice(self):
        keras_h5.save_weights_keras3(self.path("k3.weights.h5"), self.renamed("conv2", "conv1"), names=True)
        self.fails("k3.weights.h5", "netc: error: k3.weights.h5: two layers are named 'conv1' ('/layers/conv2d' and "
                                    "'/layers/conv2d_1')\n1 error generated.\n")

    def test_keras3_nested_model_without_names(self):
        with h5py.File(self.path("k3.weights.h5"), "w") as f:
            for i, (_, value) in enumerate(self.weights("conv1")):
                f[f"layers/functional/layers/conv2d/vars/{i}"] = value
        self.fails("k3.weights.h5", "netc: error: k3.weights.h5: the nested model '/layers/functional/layers' has no "
                                    "layer names (Keras before 3.10 does not record them), so netc cannot tell its "
                                    "layers apart\n1 error generated.\n")

    def hdf5_fails(self, data_file, name, env, expected):
        """netc import of a file from tests/import/data on which HDF5 itself fails: exit status 1, the expected
        message (or, from an HDF5 that has learnt to reject the file, one error about it), no output."""
        shutil.copy(os.path.join(import_case.HERE, "data", data_file), self.path(name))
        result = subprocess.run([import_case.NETC, "import", SMALL, name, "-o", "out.safetensors", "--model", "small"],
                                cwd=self.dir, capture_output=True, text=True, env=dict(os.environ, **env))
        self.assertEqual((result.returncode, result.stdout), (1, ""))
        if result.stderr != expected:
            self.assertRegex(result.stderr, rf"\Anetc: error: {name}: [^\n]*: the file is malformed\n\Z")
        self.assertEqual(sorted(os.listdir(self.dir)), [name, "small.net"])

    def test_file_that_crashes_hdf5(self):
        """data/hdf5_crash_h5hg_read.h5, found by fuzz_h5: Debian's HDF5 1.10.8 crashes on it (H5HG_read copies
        a length read from a corrupted global heap while H5Aread converts a variable-length string attribute).
        netc import reads in a child process, so netc reports it. (Under the sanitizers the crash must stay a
        crash: ASAN_OPTIONS lets HDF5's memcpy run and the signal reach the parent.)"""
        self.hdf5_fails("hdf5_crash_h5hg_read.h5", "crash.h5",
                        {"ASAN_OPTIONS": "replace_intrin=0:intercept_intrin=0:handle_segv=0:detect_leaks=0"},
                        "netc: error: crash.h5: the HDF5 library crashed reading it (Segmentation fault): the file "
                        "is malformed\n")

    def test_file_on_which_hdf5_loops(self):
        """data/hdf5_loop_h5hg.h5, found by fuzz_h5: Debian's HDF5 1.10.8 loops without end in its metadata cache
        reading the global heap of a variable-length string. netc import stops after its processor time
        (here 1 s, set by NETC_IMPORT_CPU_SECONDS)."""
        self.hdf5_fails("hdf5_loop_h5hg.h5", "loop.h5", {"NETC_IMPORT_CPU_SECONDS": "1"},
                        "netc: error: loop.h5: reading it took more than 1 s of processor time (HDF5 loops on some "
                        "malformed files): the file is malformed\n")

    # --- layers that do not pair up --------------------------------------------------------------------------

    def test_missing_layer_with_a_close_name(self):
        self.fails(self.keras2(layers=self.renamed("conv2", "conv_2")),
                   "netc: error: k.h5: 1 layer with weights is not in model 'small': 'conv_2'\n"
                   "small.net:8:3: error: conv 'conv2': k.h5 has no weights for this layer (did you mean its 'conv_2'?); "
                   "--allow-missing leaves such layers random\n" + CONV2 + "2 errors generated.\n")

    def test_missing_layer(self):
        self.fails(self.keras2(layers=self.layers_with(bn2=None)),
                   "small.net:9:3: error: batchnorm 'bn2': k.h5 has no weights for this layer; --allow-missing leaves "
                   "such layers random\n" + BN2 + "1 error generated.\n")

    def test_missing_layer_keras3_without_names(self):
        keras_h5.save_weights_keras3(self.path("k3.weights.h5"), self.layers_with(conv2=None), names=False)
        self.fails("k3.weights.h5", "small.net:8:3: error: conv 'conv2': k3.weights.h5 has no weights for this layer "
                                    "(no group '/layers/conv2d_1'); --allow-missing leaves such layers random\n" + CONV2
                   + "1 error generated.\n")

    def test_extra_layers(self):
        extra = [keras_h5.Layer("conv3", "conv", [("conv3/kernel:0", np.ones((1, 1, 4, 4), np.float32))]),
                 keras_h5.Layer("head", "dense", [("head/kernel:0", np.ones((5, 2), np.float32))])]
        self.fails(self.keras2(layers=self.layers + extra),
                   "netc: error: k.h5: 2 layers with weights are not in model 'small': 'conv3' and 'head'\n"
                   "1 error generated.\n")

    def test_weights_of_another_model(self):
        other = [layer._replace(name="other_" + layer.name, weights=[("other_" + n, v) for n, v in layer.weights])
                 for layer in self.layers]
        self.fails(self.keras2(layers=other),
                   "netc: error: k.h5: none of its 5 layers is a layer of model 'small' (the file has 'other_conv1', "
                   "'other_conv2', 'other_bn2', 'other_fc1' and 'other_predictions'): it holds the weights of another "
                   "model\n1 error generated.\n")

    def test_include_top_false_file(self):
        self.fails(self.keras2("notop.h5", self.layers[:-2]),
                   "small.net:13:3: error: dense 'fc1': notop.h5 holds no classifier (no weights for 'fc1' and "
                   "'predictions'): it is a Keras include_top=False file, the convolutional base only; import it into "
                   "a model without these layers, or pass --allow-missing to leave them random\n" + FC1
                   + "1 error generated.\n")

    def test_empty_keras_file(self):
        self.fails(self.keras2(layers=[keras_h5.Layer("input_1", "input", [])]),
                   "netc: error: k.h5: the file holds no weights (none of its layers has any)\n1 error generated.\n")

    # --- weights that do not fit their layer -----------------------------------------------------------------

    def test_weight_count(self):
        kernel = self.weights("conv2")[0]
        self.fails(self.keras2(layers=self.layers_with(conv2=[kernel, ("conv2/bias:0", np.zeros(6, np.float32))])),
                   "small.net:8:3: error: conv 'conv2': k.h5 has 2 weights for this layer ('conv2/kernel:0' and "
                   "'conv2/bias:0'), expected 1: kernel [3, 3, 4, 6]\n" + CONV2 + "1 error generated.\n")

    def test_batch_norm_without_gamma(self):
        """Keras's BatchNormalization(scale=False) into a model whose batch norm has gamma."""
        self.fails(self.keras2(layers=self.layers_with(bn2=self.weights("bn2")[1:])),
                   "small.net:9:3: error: batchnorm 'bn2': k.h5 has 3 weights for this layer ('bn2/beta:0', "
                   "'bn2/moving_mean:0' and 'bn2/moving_variance:0'), expected 4: gamma [6], beta [6], moving_mean [6], "
                   "moving_variance [6]\n" + BN2 + "1 error generated.\n")

    def test_batch_norm_with_gamma_into_noscale(self):
        """A file whose batch norm has gamma into a model whose batch norm (Keras's scale=False) has none."""
        netc = import_case.NETC
        subprocess.run([netc, "weights", SMALL, "--model", "small_noscale", "--random", "-o", "ref.safetensors"],
                       cwd=self.dir, check=True)
        reference = import_case.safetensors_io.load(self.path("ref.safetensors"))
        os.remove(self.path("ref.safetensors"))
        layers = keras_h5.from_netc(netc, self.path(SMALL), reference, extra_args=["--model", "small_noscale"])
        layers = [layer._replace(weights=[("bn1/gamma:0", np.ones(4, np.float32))] + layer.weights)
                  if layer.name == "bn1" else layer for layer in layers]
        self.fails(self.keras2(layers=layers),
                   "small.net:27:3: error: batchnorm 'bn1': k.h5 has 4 weights for this layer ('bn1/gamma:0', "
                   "'bn1/beta:0', 'bn1/moving_mean:0' and 'bn1/moving_variance:0'), expected 3: beta [4], "
                   "moving_mean [4], moving_variance [4]\n  batchnorm noscale as bn1\n  ^\n"
                   "1 error generated.\n", model="small_noscale")

    def test_weights_in_another_order(self):
        gamma, beta, mean, variance = self.weights("bn2")
        self.fails(self.keras2(layers=self.layers_with(bn2=[beta, gamma, mean, variance])),
                   "small.net:9:3: error: batchnorm 'bn2': the file's weight 1 of this layer, 'bn2/beta:0', is its "
                   "beta, expected its gamma (Keras stores gamma, beta, moving_mean, moving_variance in this order)\n"
                   + BN2 + "1 error generated.\n")

    def test_kernel_shape(self):
        wide = [("conv1/kernel:0", np.zeros((3, 3, 3, 8), np.float32)), ("conv1/bias:0", np.zeros(8, np.float32))]
        self.fails(self.keras2(layers=self.layers_with(conv1=wide)),
                   "small.net:7:3: error: conv 'conv1': 'conv1/kernel:0' has shape [3, 3, 3, 8] in k.h5, expected "
                   "[3, 3, 3, 4] (kernel height, kernel width, input channels, filters)\n" + CONV1
                   + "1 error generated.\n")

    def test_kernel_in_pytorch_layout(self):
        """An OIHW kernel (PyTorch's layout) where Keras's HWIO belongs."""
        name, kernel = self.weights("conv2")[0]
        self.fails(self.keras2(layers=self.layers_with(conv2=[(name, kernel.transpose(3, 2, 0, 1).copy())])),
                   "small.net:8:3: error: conv 'conv2': 'conv2/kernel:0' has shape [6, 4, 3, 3] in k.h5, expected "
                   "[3, 3, 4, 6] (kernel height, kernel width, input channels, filters)\n" + CONV2
                   + "1 error generated.\n")

    def test_file_for_another_input_size(self):
        self.fails(self.keras2(), "small.net:13:3: error: dense 'fc1': 'fc1/kernel:0' has shape [72, 7] in k.h5, "
                                  "expected [90, 7] (inputs (the flattened 5x3x6 map), units); the model is compiled "
                                  "for input 10x6x3: was the file made for another input size (--input)?\n" + FC1
                   + "1 error generated.\n", "--input", "10x6x3")

    def test_file_for_another_class_count(self):
        self.fails(self.keras2(), "small.net:14:3: error: dense 'predictions': 'predictions/kernel:0' has shape [7, 5] "
                                  "in k.h5, expected [7, 1000] (inputs, units); the file has 5 classes, the model is "
                                  "compiled for 1000 (--classes 5 to match)\n" + PREDICTIONS + "1 error generated.\n",
                   "--classes", "1000")

    def test_integer_weights(self):
        name, kernel = self.weights("conv1")[0]
        integers = [(name, kernel.astype(np.int32)), self.weights("conv1")[1]]
        self.fails(self.keras2(layers=self.layers_with(conv1=integers)),
                   "small.net:7:3: error: conv 'conv1': 'conv1/kernel:0' in k.h5 holds 32-bit integers, expected "
                   "floating-point weights\n" + CONV1 + "1 error generated.\n")

    def test_non_finite_weights(self):
        (kernel_name, kernel), (bias_name, bias) = self.weights("conv1")
        kernel, bias = kernel.copy(), bias.copy()
        kernel[1, 2, 0, 3] = np.nan
        bias[2] = -np.inf
        self.fails(self.keras2(layers=self.layers_with(conv1=[(kernel_name, kernel), (bias_name, bias)])),
                   "small.net:7:3: error: conv 'conv1': 'conv1/kernel:0' in k.h5 holds NaN at [1, 2, 0, 3] (Keras's "
                   "layout, kernel height, kernel width, input channels, filters); netc accepts finite weights only\n"
                   + CONV1 + "1 error generated.\n")
        infinite = [(kernel_name, self.weights("conv1")[0][1]), (bias_name, bias)]
        self.fails(self.keras2(layers=self.layers_with(conv1=infinite)),
                   "small.net:7:3: error: conv 'conv1': 'conv1/bias:0' in k.h5 holds -inf at [2] (Keras's layout, "
                   "channels); netc accepts finite weights only\n" + CONV1 + "1 error generated.\n")

    def test_every_layer_that_does_not_fit_is_reported(self):
        wide = [("conv1/kernel:0", np.zeros((3, 3, 3, 8), np.float32)), ("conv1/bias:0", np.zeros(8, np.float32))]
        gamma, beta, mean, variance = self.weights("bn2")
        self.fails(self.keras2(layers=self.layers_with(conv1=wide, bn2=[beta, gamma, mean, variance])),
                   "small.net:7:3: error: conv 'conv1': 'conv1/kernel:0' has shape [3, 3, 3, 8] in k.h5, expected "
                   "[3, 3, 3, 4] (kernel height, kernel width, input channels, filters)\n" + CONV1
                   + "small.net:9:3: error: batchnorm 'bn2': the file's weight 1 of this layer, 'bn2/beta:0', is its "
                   "beta, expected its gamma (Keras stores gamma, beta, moving_mean, moving_variance in this order)\n"
                   + BN2 + "2 errors generated.\n")

    # --- the output ------------------------------------------------------------------------------------------

    def test_output_that_cannot_be_written(self):
        self.keras2()
        result = self.netc("import", SMALL, "k.h5", "-o", "nodir/out.safetensors", "--model", "small")
        self.assertEqual((result.returncode, result.stdout), (1, ""))
        self.assertEqual(result.stderr, "netc: error: cannot write 'nodir/out.safetensors': No such file or directory\n")
        result = self.netc("import", SMALL, "k.h5", "-o", ".", "--model", "small")
        self.assertEqual((result.returncode, result.stdout), (1, ""))
        self.assertEqual(result.stderr, "netc: error: cannot write '.': Is a directory\n")
        self.assertEqual(sorted(os.listdir(self.dir)), ["k.h5", "small.net"])


if __name__ == "__main__":
    import_case.main(ImportErrorTest)
