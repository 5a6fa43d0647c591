// The language's semantics, compiled in memory: expressions, parameters and arguments, boxes, stages,
// residuals, repeats, the default naming scheme, and the memory figure.
#include <doctest/doctest.h>

#include "Harness.hpp"
#include "passes/Memory.hpp"
#include "frontend/AstDump.hpp"
#include "passes/ShapeInference.hpp"

namespace netc::test {

namespace {

// Names and shapes of every layer after the input, as "name:HxWxC name:HxWxC ...".
std::string layers(const Compilation& c) {
  std::string out;
  for (std::size_t i = 1; i < c.graph->nodes.size(); ++i)
    out += (i > 1 ? " " : "") + c.graph->nodes[i].name + ":" + c.graph->nodes[i].shape.str();
  return out;
}

std::string names(const Compilation& c) {
  std::string out;
  for (const Node& n : c.graph->nodes) out += (out.empty() ? "" : " ") + n.name;
  return out;
}

Compilation ok(const std::string& text, ModelRequest request = {}) {
  Compilation c = compile(text, request);
  REQUIRE_MESSAGE(c.ok(), c.rendered());
  return c;
}

}  // namespace

TEST_CASE("expressions: arithmetic, precedence, dimensions, indexing") {
  Compilation c = ok(R"(
model m(input = 16x16x3, classes = 10, width = 4, sizes = [3, 5]) {
  conv 2 * width + 1 3x3 same as a        // 9 filters
  conv (2 + width) * 3 sizes[1] x sizes[0] same as b  // 18 filters, 5x3 kernel
  conv width / 3 + 7 % 4 1x1 as c          // integer division: 1 + 3
  flatten
  dense classes - 5 as d
})");
  CHECK(layers(c) == "a:16x16x9 b:16x16x18 c:16x16x4 flatten1:1024 d:5");
  CHECK(c.graph->nodes[2].layer->attributes() == "18 5x3 same");
}

TEST_CASE("parameters: overrides, defaults that use earlier parameters, destructuring, keywords") {
  const char* text = R"(
block triple(filters [F1, F2, F3], k = 3, s = k - 2) {
  conv F1 1x1 stride s as first
  conv F2 k x k same as second
  conv F3 1x1 as third
}
model m(input = 32x32x3, classes = 10, base = classes * 2) {
  triple([base, base, 2 * base], s = 1) as t
  triple(filters = [1, 2, 3], k = 5) as u   // s = k - 2 = 3
  globalavgpool
  dense classes
})";
  Compilation c = ok(text, {"", std::vector<std::int64_t>{20, 18, 1}, 4});
  CHECK(c.graph->input == Shape{{20, 18, 1}});
  CHECK(layers(c) == "rest_first:20x18x8 rest_second:20x18x8 rest_third:20x18x16 resu_first:7x6x1 resu_second:7x6x2 resu_third:7x6x3 avg_pool1:3 fc4:4");
}

TEST_CASE("default names follow the reference course's scheme") {
  Compilation c = ok(R"(
block unit(f) {
  residual {
    conv f 3x3 same as branch2a
    batchnorm
    relu
  } shortcut {
    conv f 1x1 as branch1
    batchnorm
  }
  relu
}
model m(input = 8x8x3, classes = 10) {
  conv 4 3x3 same
  batchnorm
  relu
  stage 3: unit(4), unit(4) x 2
  boxes layers [2, 1] filters [4, 8] {
    conv filters 3x3 same
  } then maxpool 2x2
  flatten
  dense 32
  dense 32
  dense classes softmax
})");
  CHECK(names(c) ==
        "input conv1 bn_conv1 relu1 res3a_branch2a bn3a_branch2a relu3a_branch2a res3a_branch1 bn3a_branch1 add3a relu3a res3b_branch2a bn3b_branch2a relu3b_branch2a res3b_branch1 bn3b_branch1 add3b relu3b res3c_branch2a bn3c_branch2a relu3c_branch2a res3c_branch1 bn3c_branch1 add3c relu3c block1_conv1 block1_conv2 block1_pool block2_conv1 block2_pool flatten1 fc32 fc32_1 fc10");
}

TEST_CASE("a stage's blocks are lettered a to z, then aa, ab") {
  Compilation c = ok(R"(
block unit(f) {
  relu
}
model m(input = 4x4x1) {
  stage 7: unit(1) x 28
})");
  CHECK(c.graph->nodes[1].name == "relu7a");
  CHECK(c.graph->nodes[26].name == "relu7z");
  CHECK(c.graph->nodes[27].name == "relu7aa");
  CHECK(c.graph->nodes[28].name == "relu7ab");
}

TEST_CASE("a residual with no shortcut adds its input; the add joins main path and shortcut") {
  Compilation c = ok(R"(
model m(input = 8x8x4) {
  residual {
    conv 4 3x3 same relu
  }
})");
  const Node& add = c.graph->output();
  CHECK(add.op().keyword == "add");
  CHECK(add.inputs == std::vector<NodeId>{1, 0});
  CHECK(add.shape == Shape{{8, 8, 4}});
}

TEST_CASE("options win over parameters of the same name, except in an option's value") {
  Compilation c = ok(R"(
block b(eps, width = 7) {
  batchnorm eps eps
  conv width 4x4 stride 2 same
}
model m(input = 8x8x4) {
  b(0.01)
})");
  CHECK(c.graph->nodes[1].layer->attributes() == "eps 0.01");
  CHECK(c.graph->nodes[2].layer->attributes() == "7 4x4 stride 2x2 same");
  Compilation shadowed = compile("block b(stride) {\n  conv stride 3x3\n}\nmodel m(input = 8x8x4) {\n  b(7)\n}\n");
  CHECK(!shadowed.ok());  // `stride` names the option: it takes 3x3 as its value and conv lacks its kernel
}

TEST_CASE("repeat and x N expand in order") {
  Compilation c = ok(R"(
block grow(f) {
  conv f 1x1
}
model m(input = 2x2x1) {
  repeat 2 {
    relu
    grow(3) x 2
  }
})");
  CHECK(layers(c) == "relu1:2x2x1 resgrow1:2x2x3 resgrow2:2x2x3 relu2:2x2x3 resgrow3:2x2x3 resgrow4:2x2x3");
}

TEST_CASE("convolution arithmetic: same pads like TensorFlow, explicit pads on each side, stride") {
  Compilation c = ok(R"(
model m(input = 7x10x2) {
  conv 3 3x3 stride 2 same as a               // ceil(7/2) x ceil(10/2)
  conv 3 3x2 pad [1, 0, 2, 1] as b             // (4+1-3)+1 x (5+3-2)+1
  maxpool 3x3 stride 2 pad 1 as c              // (3+2-3)/2+1 x (7+2-3)/2+1
  avgpool 2 same as d                          // stride 2 by default: ceil(2/2) x ceil(4/2)
  zeropad 1x2 as e
})");
  CHECK(layers(c) == "a:4x5x3 b:3x7x3 c:2x4x3 d:1x2x3 e:3x6x3");
}

TEST_CASE("parameters and MACs of each op as Keras counts them") {
  Compilation c = ok(R"(
model m(input = 6x5x3) {
  conv 4 3x3 as a            // 4*3*3*3 + 4 weights, 4*3*3*3 MACs at each of 4x3 positions
  conv 4 1x1 nobias as b     // 16 weights
  batchnorm as c             // 4 trainable + 4 non-trainable
  flatten
  dense 7 as d               // 48*7 + 7
})");
  const auto& n = c.graph->nodes;
  CHECK(n[1].trainable_params == 112);
  CHECK(n[1].macs == 4 * 3 * 4 * 27);
  CHECK(n[2].trainable_params == 16);
  CHECK(n[3].trainable_params == 8);
  CHECK(n[3].non_trainable_params == 8);
  CHECK(n[5].trainable_params == 48 * 7 + 7);
  CHECK(n[5].macs == 48 * 7);
}

TEST_CASE("batch norms without gamma or beta count as Keras's BatchNormalization(scale=False, center=False)") {
  Compilation c = ok(R"(
model m(input = 4x4x6) {
  batchnorm noscale as a           // beta trainable; mean and variance not: Keras's 6 + 12
  batchnorm nocenter eps 0.01 as b // gamma trainable
  batchnorm nocenter noscale as c  // nothing trainable
})");
  const auto& n = c.graph->nodes;
  CHECK(n[1].trainable_params == 6);
  CHECK(n[1].non_trainable_params == 12);
  CHECK(n[2].trainable_params == 6);
  CHECK(n[3].trainable_params == 0);
  CHECK(n[3].non_trainable_params == 12);
  CHECK(n[1].layer->attributes() == "eps 0.001 noscale");
  CHECK(n[2].layer->attributes() == "eps 0.01 nocenter");
  CHECK(n[3].layer->attributes() == "eps 0.001 noscale nocenter");
  std::vector<std::string> suffixes;
  for (const WeightSpec& w : n[1].layer->weights(std::vector<Shape>{n[0].shape})) suffixes.push_back(w.suffix);
  CHECK(suffixes == std::vector<std::string>{".bias", ".running_mean", ".running_var"});
  Compilation twice = compile("model m(input = 4x4x6) {\n  batchnorm noscale scale\n}\n");
  CHECK_FALSE(twice.ok());
}

TEST_CASE("peak activation memory counts the tensors alive at once, shortcuts included") {
  // input 4x4x2 (32 floats) -> conv a 4x4x2 (32) -> conv b (32) -> add(b, input) (32)
  // While b runs: input (kept for the shortcut), a and b are alive: 96 floats.
  Compilation c = ok(R"(
model m(input = 4x4x2) {
  residual {
    conv 2 3x3 same as a
    conv 2 3x3 same as b
  }
})");
  CHECK(peak_activation_bytes(*c.graph) == 96 * 4);
}

TEST_CASE("the AST dump shows every statement with its place") {
  Compilation c = compile_text("t.net", "model m(input = 4x4x1) {\n  repeat 2 { relu }\n  residual { relu } as r\n}\n",
                               {}, Stage::Parse);
  REQUIRE(c.ok());
  CHECK(dump_ast(c.program->modules[0], c.sources) ==
        "module t.net\nmodel m @1:1\n  param input = 4x4x1 @1:9\n  repeat 2 @2:3\n    layer relu @2:14\n"
        "  residual as r @3:3\n    main\n      layer relu @3:14\n    shortcut identity\n");
}

}  // namespace netc::test
