// Output::Logits: the values before a model's final softmax, whichever way the model ends (a dense layer's
// softmax, a softmax layer run in place, a softmax of the input that is not in place), equal to what a
// LayerObserver sees before the softmax; an error for a model without a final softmax.
#include <doctest/doctest.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "no_softmax.hpp"
#include "shared.hpp"
#include "softmax_layer.hpp"
#include "softmax_of_input.hpp"
#include "test_support.hpp"
#include "tiny.hpp"

namespace {

using netc::test::error_of;
using netc::test::random_input;
using netc::test::weights_of;

/// Records each step's output by name.
struct Recorder : netc::rt::LayerObserver {
  std::map<std::string, std::vector<float>> outputs;
  std::vector<std::string> order;
  void on_layer(const char* name, netc::rt::ConstTensor t) override {
    outputs[name].assign(t.data, t.data + t.size());
    order.push_back(name);
  }
};

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

/// Checks, for a batch of 3, that the logits are the values the observer saw under `before` (or the input,
/// when `before` is empty) and that the model's output is their softmax.
template <class Model>
void check_logits(const std::string& name, const std::string& before) {
  CAPTURE(name);
  const Model model(weights_of(name), 3);
  netc::rt::Context context = model.make_context(3);
  const std::vector<float> input = random_input(3 * Model::kInputSize, 30);
  std::vector<float> logits(3 * Model::kOutputSize), probabilities(logits.size()), softmax(logits.size());
  Recorder recorder;
  model.forward(context, input.data(), probabilities.data(), 3, netc::rt::Output::Final, &recorder);
  model.forward(context, input.data(), logits.data(), 3, netc::rt::Output::Logits);
  CHECK(same_bits(logits, before.empty() ? input : recorder.outputs.at(before)));
  netc::rt::softmax({logits.data(), 3, 1, 1, int(Model::kOutputSize)}, {softmax.data(), 3, 1, 1, int(Model::kOutputSize)});
  CHECK(same_bits(probabilities, softmax));
}

}  // namespace

TEST_CASE("Output::Logits gives the values before the final softmax, however the model ends") {
  CHECK(Tiny::kEndsWithSoftmax);
  check_logits<Tiny>("tiny", "fc5/logits");
  check_logits<Shared>("shared", "fc10/logits");
  check_logits<SoftmaxLayer>("softmax_layer", "fc4");
  check_logits<SoftmaxOfInput>("softmax_of_input", "");
}

TEST_CASE("with Output::Logits the observer sees the steps that ran, the logits last") {
  const Tiny model(weights_of("tiny"));
  netc::rt::Context context = model.make_context();
  const std::vector<float> input = random_input(Tiny::kInputSize, 31);
  std::vector<float> output(Tiny::kOutputSize);
  Recorder recorder;
  model.forward(context, input.data(), output.data(), 1, netc::rt::Output::Logits, &recorder);
  CHECK(recorder.order.back() == "fc5/logits");
  CHECK(recorder.outputs.count("fc5") == 0);
}

TEST_CASE("the forms without a context give logits too") {
  Tiny model(weights_of("tiny"), 2);
  const std::vector<float> input = random_input(2 * Tiny::kInputSize, 32);
  std::vector<float> unsized(2 * Tiny::kOutputSize), sized(unsized.size());
  Recorder recorder;
  model.forward(input.data(), unsized.data(), 2, netc::rt::Output::Logits, &recorder);
  model.forward(input.data(), input.size(), sized.data(), sized.size(), netc::rt::Output::Logits);
  CHECK(same_bits(unsized, recorder.outputs.at("fc5/logits")));
  CHECK(same_bits(sized, unsized));
}

TEST_CASE("asking a model without a final softmax for logits is an error") {
  CHECK_FALSE(NoSoftmax::kEndsWithSoftmax);
  NoSoftmax model(weights_of("no_softmax"));
  netc::rt::Context context = model.make_context();
  const std::vector<float> input = random_input(NoSoftmax::kInputSize, 33);
  std::vector<float> output(NoSoftmax::kOutputSize);
  const std::string error = "no_softmax: Output::Logits asks for the values before a final softmax, but the model does "
                            "not end with one (Output::Final gives its output)";
  CHECK(error_of([&] { model.forward(context, input.data(), output.data(), 1, netc::rt::Output::Logits); }) == error);
  CHECK(error_of([&] { model.forward(input.data(), output.data(), 1, netc::rt::Output::Logits); }) == error);
  CHECK(error_of([&] { model.forward(context, input.data(), output.data()); }) == "(no error)");
}
