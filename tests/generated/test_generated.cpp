// A model compiled by netc_add_model at build time (tiny.net): its boundary checks, its weights checks, and
// properties every forward pass must have (batches agree with single images, runs repeat exactly, the observer
// sees every step). Agreement with a reference framework is tested in tests/pytorch.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "tiny.hpp"

namespace {

using netc::test::error_of;
using netc::test::random_input;

const std::string kDir = NETC_WEIGHTS_DIR;
const std::string kWeights = kDir + "/tiny.safetensors";

// Copies tiny.safetensors with one change made by `edit`, without its netc metadata unless `keep_metadata`.
std::string edited_weights(const std::string& name, const std::function<void(std::vector<netc::rt::NamedTensor>&)>& edit) {
  netc::rt::SafeTensors file = netc::rt::SafeTensors::open(kWeights);
  std::vector<netc::rt::NamedTensor> tensors;
  for (const netc::rt::TensorInfo& t : file.tensors()) tensors.push_back({t.name, t.shape, file.read_f32(t.name, t.shape)});
  edit(tensors);
  std::string path = kDir + "/" + name + ".safetensors";
  netc::rt::write_safetensors(path, tensors);
  return path;
}

}  // namespace

TEST_CASE("a batch gives each image the output it gets alone, and runs repeat exactly") {
  Tiny model(kWeights, 3);
  std::vector<float> input = random_input(3 * Tiny::kInputSize, 1);
  std::vector<float> batch_out(3 * Tiny::kOutputSize), single(Tiny::kOutputSize), again(3 * Tiny::kOutputSize);
  model.forward(input.data(), batch_out.data(), 3);
  model.forward(input.data(), again.data(), 3);
  CHECK(batch_out == again);
  for (int i = 0; i < 3; ++i) {
    model.forward(input.data() + i * Tiny::kInputSize, single.data(), 1);
    float sum = 0;
    for (std::size_t k = 0; k < Tiny::kOutputSize; ++k) {
      CAPTURE(i);
      CAPTURE(k);
      CHECK(single[k] == doctest::Approx(batch_out[i * Tiny::kOutputSize + k]).epsilon(1e-5));
      CHECK(std::isfinite(single[k]));
      sum += single[k];
    }
    CHECK(sum == doctest::Approx(1.0f).epsilon(1e-5));  // the model ends with a softmax
  }
}

TEST_CASE("the observer sees every step's output under the last layer it computes") {
  struct Recorder : netc::rt::LayerObserver {
    std::vector<std::string> names;
    void on_layer(const char* name, netc::rt::ConstTensor t) override {
      names.push_back(name + std::string(":") + std::to_string(t.h) + "x" + std::to_string(t.w) + "x" + std::to_string(t.c));
    }
  } recorder;
  Tiny model(kWeights);
  std::vector<float> input = random_input(Tiny::kInputSize, 2), output(Tiny::kOutputSize);
  model.forward(input.data(), output.data(), 1, &recorder);
  CHECK(recorder.names == std::vector<std::string>{"relu1:5x4x8", "leaky_relu1:5x4x8", "add1:5x4x8", "sigmoid1:5x4x8",
                                                   "pool1:3x2x8", "avg_pool1:2x2x8", "fc6:1x1x6", "fc5/logits:1x1x5", "fc5:1x1x5"});
}

TEST_CASE("forward checks the batch and the buffers' sizes") {
  Tiny model(kWeights, 2);
  std::vector<float> input(3 * Tiny::kInputSize), output(3 * Tiny::kOutputSize);
  CHECK(error_of([&] { model.forward(input.data(), output.data(), 3); }) ==
        "tiny: batch size 3 is outside 1..2 (the context's max_batch: construct the model or make the context with a "
        "larger max_batch for bigger batches)");
  CHECK(error_of([&] { model.forward(input.data(), output.data(), 0); }) ==
        "tiny: batch size 0 is outside 1..2 (the context's max_batch: construct the model or make the context with a "
        "larger max_batch for bigger batches)");
  CHECK(error_of([&] { model.forward(input.data(), 100, output.data(), 5); }) ==
        "tiny: the input holds 100 floats, expected a whole number of images of 189");
  CHECK(error_of([&] { model.forward(input.data(), 189, output.data(), 10); }) ==
        "tiny: the output holds 10 floats, expected 5 for a batch of 1");
  CHECK(error_of([&] { model.forward(input.data(), 3 * 189, output.data(), 15); }) ==
        "tiny: a batch of 3 images is more than max_batch 2");
  CHECK(error_of([&] { model.forward(input.data(), 2 * 189, output.data(), 10); }) == "(no error)");
}

TEST_CASE("forward rejects null buffers, in every form, before touching them") {
  Tiny model(kWeights, 2);
  netc::rt::Context context = model.make_context(2);
  std::vector<float> input(2 * Tiny::kInputSize), output(2 * Tiny::kOutputSize);
  const std::string no_input = "tiny: the input is a null pointer", no_output = "tiny: the output is a null pointer";
  CHECK(error_of([&] { model.forward(nullptr, output.data()); }) == no_input);
  CHECK(error_of([&] { model.forward(input.data(), nullptr, 2); }) == no_output);
  CHECK(error_of([&] { model.forward(nullptr, Tiny::kInputSize, output.data(), Tiny::kOutputSize); }) == no_input);
  CHECK(error_of([&] { model.forward(input.data(), Tiny::kInputSize, nullptr, Tiny::kOutputSize); }) == no_output);
  CHECK(error_of([&] { model.forward(context, nullptr, output.data(), 1); }) == no_input);
  CHECK(error_of([&] { model.forward(context, input.data(), nullptr, 2, netc::rt::Output::Logits); }) == no_output);
  CHECK(error_of([&] { model.forward(context, nullptr, 2 * Tiny::kInputSize, output.data(), 2 * Tiny::kOutputSize); }) ==
        no_input);
  CHECK(error_of([&] { model.forward(context, nullptr, nullptr); }) == no_input);
}

TEST_CASE("loading rejects weights that do not fit the model, naming the tensor") {
  CHECK(error_of([] { Tiny m(kDir + "/tiny_3_classes.safetensors"); }) ==
        kDir + "/tiny_3_classes.safetensors: made for 3 classes, but tiny is compiled for 5 classes");
  CHECK(error_of([] { Tiny m(kDir + "/tiny_other_input.safetensors"); }) ==
        kDir + "/tiny_other_input.safetensors: made for input 12x7x3, but tiny is compiled for input 9x7x3");
  std::string missing = edited_weights("missing", [](auto& t) {
    t.erase(std::find_if(t.begin(), t.end(), [](auto& x) { return x.name == "loose_bn.running_var"; }));
  });
  CHECK(error_of([&] { Tiny m(missing); }) ==
        missing + ": no tensor 'loose_bn.running_var' (the file has 14 tensors; closest name: 'loose_bn.running_mean')");
  std::string extra = edited_weights("extra", [](auto& t) { t.push_back({"head.weight", {2}, {1, 2}}); });
  CHECK(error_of([&] { Tiny m(extra); }) ==
        extra + ": 1 tensor was never read (expected the model to use every tensor): 'head.weight'");
  std::string tracked = edited_weights("tracked", [](auto& t) { t.push_back({"bn_stem.num_batches_tracked", {}, {3}}); });
  CHECK(error_of([&] { Tiny m(tracked); }) == "(no error)");
  std::string shape = edited_weights("shape", [](auto& t) {
    for (auto& x : t)
      if (x.name == "fc6.weight") x.shape = {8, 24};
  });
  CHECK(error_of([&] { Tiny m(shape); }) == shape + ": tensor 'fc6.weight': shape [6, 32] expected, found [8, 24]");
  std::string nan = edited_weights("nan", [](auto& t) { t[0].data[1] = std::nanf(""); });
  CHECK(error_of([&] { Tiny m(nan); }).find("is NaN, expected a finite value") != std::string::npos);
  CHECK(error_of([] { Tiny m(kDir + "/no_such_file.safetensors"); }) ==
        kDir + "/no_such_file.safetensors: cannot open: No such file or directory");
}

TEST_CASE("a truncated weights file is an error, wherever it is cut") {
  std::ifstream in(kWeights, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string path = kDir + "/truncated.safetensors";
  for (std::size_t cut : {std::size_t{0}, std::size_t{5}, std::size_t{40}, bytes.size() / 2, bytes.size() - 1}) {
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(cut));
    CAPTURE(cut);
    CHECK_THROWS_AS(Tiny{path}, netc::rt::WeightsError);
  }
}
