// The shipped models' committed generated code (generated/) runs with random weights: finite outputs that
// form a distribution, each image of a batch equal to itself alone, on 1 and 2 threads. Their agreement with
// PyTorch is tested in tests/pytorch.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "resnet50.hpp"
#include "vgg16.hpp"

namespace {

/// Batch 3 in a context of `threads`: finite outputs that form distributions, each image's equal to its own
/// batch of 1 (on 2 threads, images 0 and 1 run on a thread each, image 2 split between both).
template <class Model>
void check_runs(const std::string& weights, int threads) {
  CAPTURE(threads);
  const Model model(weights, 3, threads);
  netc::rt::Context context = model.make_context(3, threads), single_context = model.make_context(1, 1);
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  std::vector<float> input(3 * Model::kInputSize), output(3 * Model::kOutputSize), single(Model::kOutputSize);
  for (float& x : input) x = u(rng);
  model.forward(context, input.data(), output.data(), 3);
  for (std::size_t image = 0; image < 3; ++image) {
    CAPTURE(image);
    model.forward(single_context, input.data() + image * Model::kInputSize, single.data(), 1);
    double sum = 0;
    for (std::size_t k = 0; k < Model::kOutputSize; ++k) {
      const float got = output[image * Model::kOutputSize + k];
      REQUIRE(std::isfinite(got));
      sum += got;
      CAPTURE(k);
      CHECK(single[k] == doctest::Approx(got).epsilon(1e-4).scale(1e-6));
    }
    CHECK(sum == doctest::Approx(1.0).epsilon(1e-4));
  }
}

}  // namespace

TEST_CASE("generated ResNet50 runs, on 1 and 2 threads") {
  for (const int threads : {1, 2}) check_runs<Resnet50>(std::string(NETC_WEIGHTS_DIR) + "/resnet50.safetensors", threads);
}

TEST_CASE("generated VGG16 runs, on 1 and 2 threads") {
  for (const int threads : {1, 2}) check_runs<Vgg16>(std::string(NETC_WEIGHTS_DIR) + "/vgg16.safetensors", threads);
}
