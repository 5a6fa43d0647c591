// A generated model's forward() allocates nothing once constructed: in a caller's context (made before, with
// 2 threads) and in the model's own, on every path of the shared model (count_allocations.cpp counts every
// operator new and, with glibc, malloc). Its own executable, since the counting is program-wide.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <vector>

#include "count_allocations.hpp"
#include "shared.hpp"
#include "test_support.hpp"

TEST_CASE("forward allocates nothing, in a caller's context or the model's own") {
  Shared model(netc::test::weights_of("shared"), 3, 2);
  netc::rt::Context context = model.make_context(3, 2);
  const std::vector<float> input = netc::test::random_input(3 * Shared::kInputSize, 60);
  std::vector<float> output(3 * Shared::kOutputSize);
  CHECK(netc::test::allocations_in([&] {
          for (int batch = 1; batch <= 3; ++batch) {
            model.forward(context, input.data(), output.data(), batch);
            model.forward(context, input.data(), output.data(), batch, netc::rt::Output::Logits);
            model.forward(input.data(), output.data(), batch);
          }
        }) == 0);
  CHECK(netc::test::allocations_in([&] { netc::rt::Context other = model.make_context(); }) > 0);  // the counter works
}
