// The shipped models' committed generated code (generated/) runs with random weights: finite outputs that
// form a distribution, batches equal to single images. Their agreement with PyTorch is tested in tests/pytorch.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "resnet50.hpp"
#include "vgg16.hpp"

namespace {

template <class Model>
void check_runs(const std::string& weights) {
  Model model(weights, 2);
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  std::vector<float> input(2 * Model::kInputSize), output(2 * Model::kOutputSize), single(Model::kOutputSize);
  for (float& x : input) x = u(rng);
  model.forward(input.data(), output.data(), 2);
  model.forward(input.data() + Model::kInputSize, single.data(), 1);
  double sum = 0;
  for (std::size_t k = 0; k < Model::kOutputSize; ++k) {
    REQUIRE(std::isfinite(output[k]));
    sum += output[k];
    CAPTURE(k);
    CHECK(single[k] == doctest::Approx(output[Model::kOutputSize + k]).epsilon(1e-4).scale(1e-6));
  }
  CHECK(sum == doctest::Approx(1.0).epsilon(1e-4));
}

}  // namespace

TEST_CASE("generated ResNet50 runs") { check_runs<Resnet50>(std::string(NETC_WEIGHTS_DIR) + "/resnet50.safetensors"); }

TEST_CASE("generated VGG16 runs") { check_runs<Vgg16>(std::string(NETC_WEIGHTS_DIR) + "/vgg16.safetensors"); }
