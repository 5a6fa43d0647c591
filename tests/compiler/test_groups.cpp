// Grouped, dilated and depthwise convolutions in the compiler: shapes (the dilated extent in the window rule and
// in `same`), weights and MACs as Keras and PyTorch count them, default names, and what lowering folds into a
// depthwise step. The expectations are worked out by hand from the layers' definitions.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "Harness.hpp"
#include "passes/Lower.hpp"

namespace netc::test {

namespace {

Compilation ok(const std::string& text) {
  Compilation c = compile(text);
  REQUIRE_MESSAGE(c.ok(), c.rendered());
  return c;
}

// "name:HxWxC:params:macs" for every layer after the input.
std::string figures(const Compilation& c) {
  std::vector<std::string> out;
  for (std::size_t i = 1; i < c.graph->nodes.size(); ++i) {
    const Node& n = c.graph->nodes[i];
    out.push_back(fmt::format("{}:{}:{}:{}", n.name, n.shape.str(), n.trainable_params + n.non_trainable_params, n.macs));
  }
  return fmt::format("{}", fmt::join(out, " "));
}

}  // namespace

TEST_CASE("dilation widens the kernel to (k - 1) * d + 1 for the output size and for same padding") {
  Compilation c = ok(R"(
model m(input = 13x10x2) {
  conv 3 3x3 dilation 2 as a                  // extent 5x5: 9x6
  conv 3 3x3 stride 2 dilation 2x3 same as b  // ceil(9/2) x ceil(6/2)
  conv 3 2x2 dilation 3 pad [1, 0, 0, 2] as c // extent 4x4: (5+1-4)+1 x (3+2-4)+1
})");
  CHECK(figures(c) == "a:9x6x3:57:2916 b:5x3x3:84:1215 c:3x2x3:39:216");
}

TEST_CASE("a grouped convolution has F * C/G * kh * kw weights and MACs per position") {
  Compilation c = ok(R"(
model m(input = 8x8x128) {
  conv 128 3x3 groups 32 same nobias as a   // ResNeXt's 32 groups of 4: 128 * 4 * 9 weights
  conv 64 1x1 groups 4 as b                 // 64 * 32 + 64
})");
  CHECK(figures(c) == "a:8x8x128:4608:294912 b:8x8x64:2112:131072");
  const auto weights = c.graph->nodes[1].layer->weights(std::vector<Shape>{Shape{{8, 8, 128}}});
  CHECK(weights[0].shape == std::vector<std::int64_t>{128, 4, 3, 3});
}

TEST_CASE("depthwise: C * M output channels, [C * M, 1, kh, kw] weights, C * M * kh * kw MACs, dwconv names") {
  Compilation c = ok(R"(
model m(input = 9x7x4) {
  depthwise 3x3 same relu                          // 4 * 9 + 4
  depthwise 3x3 multiplier 2 stride 2 same nobias  // ceil(9/2) x ceil(7/2) x 8; 8 * 9
  depthwise 2x2 dilation 2 multiplier 3 as last    // extent 3: 3x2 x 24; 24 * 4 + 24
})");
  CHECK(figures(c) == "dwconv1:9x7x4:40:2268 dwconv2:5x4x8:72:1440 last:3x2x24:120:576");
  const auto weights = c.graph->nodes[2].layer->weights(std::vector<Shape>{Shape{{9, 7, 4}}});
  CHECK(weights.size() == 1);
  CHECK(weights[0].shape == std::vector<std::int64_t>{8, 1, 3, 3});
  CHECK(c.graph->nodes[3].layer->attributes() == "2x2 dilation 2x2 multiplier 3");
}

TEST_CASE("a depthwise step folds the zero padding before it, the batch norm and the activation after it") {
  Compilation c = ok(R"(
model m(input = 9x8x5) {
  zeropad [1, 0, 1, 0]
  depthwise 3x3 stride 2 multiplier 2 nobias
  batchnorm
  relu
  conv 4 1x1 groups 2
})");
  Plan plan = lower(*c.graph);
  REQUIRE(plan.steps.size() == 2);
  const LoweredStep& dw = plan.steps[0];
  CHECK(dw.key == "dwconv1");
  CHECK(dw.covers.size() == 4);
  CHECK(dw.folded_padding == Sides{1, 0, 1, 0});
  REQUIRE(dw.folded_batch_norm);
  CHECK(dw.folded_batch_norm->key == "bn_dwconv1");
  CHECK(dw.epilogue.kind == ActivationKind::Relu);
  CHECK(plan.tensors[static_cast<std::size_t>(dw.output)].shape == Shape{{4, 4, 10}});  // (10 - 3) / 2 + 1, (9 - 3) / 2 + 1
}

}  // namespace netc::test
