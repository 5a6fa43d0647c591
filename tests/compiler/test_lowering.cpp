// Lowering's records, compiled in memory: which nodes each step computes and what it folds (padding, batch
// norm, activation, softmax), which tensors are views or written in place, where they live and for how long.
// The expectations are worked out by hand from the rules in passes/Lower.hpp.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "Harness.hpp"
#include "emit/CppEmitter.hpp"
#include "passes/Lower.hpp"

namespace netc::test {

namespace {

struct Lowered {
  Compilation c;
  Plan plan;
  const Node& node(NodeId id) const { return c.graph->nodes[static_cast<std::size_t>(id)]; }
  const TensorView& tensor(int id) const { return plan.tensors[static_cast<std::size_t>(id)]; }
  const TensorView& output_of(std::string_view layer) const {
    for (const Node& n : c.graph->nodes)
      if (n.name == layer) return tensor(plan.tensor_of[static_cast<std::size_t>(n.id)]);
    FAIL("no layer " << layer);
    return plan.tensors.front();
  }
};

Lowered lowered(const std::string& text) {
  Compilation c = compile(text);
  REQUIRE_MESSAGE(c.ok(), c.rendered());
  Plan plan = lower(*c.graph);
  return {std::move(c), std::move(plan)};
}

// One step as "covered+nodes [what it folds]", e.g. "conv1+bn_conv1+relu1 [bn bn_conv1 0.001, relu]".
std::string describe(const Lowered& l, const LoweredStep& s) {
  std::vector<std::string> names, extras;
  for (NodeId id : s.covers) names.push_back(l.node(id).name);
  if (s.kind == LoweredStep::Kind::View) extras.push_back("view");
  if (s.kind == LoweredStep::Kind::Copy) extras.push_back("copy");
  if (s.folded_padding != Sides{}) extras.push_back(fmt::format("pad {}", fmt::join(s.folded_padding, ",")));
  if (s.folded_batch_norm) extras.push_back(fmt::format("bn {} {}", s.folded_batch_norm->key, s.folded_batch_norm->params.epsilon));
  if (!s.epilogue.linear()) extras.push_back(std::string(s.epilogue.word()));
  if (s.softmax) extras.push_back("softmax");
  if (s.adds_residual) extras.push_back("adds " + l.node(l.tensor(s.inputs[1]).producer).name);
  if (l.tensor(s.output).reuses >= 0 && s.kind == LoweredStep::Kind::Compute) extras.push_back("in place");
  std::string out = fmt::format("{}", fmt::join(names, "+"));
  if (!extras.empty()) out += fmt::format("{}[{}]", out.empty() ? "" : " ", fmt::join(extras, ", "));
  return out;
}

// The generated NAME.cpp of a lowered model.
std::string generated_cpp(const Lowered& l) {
  return emit_cpp(*l.c.graph, l.plan, l.c.sources, {"m", "test.net", "netc"}).source;
}

std::string steps(const Lowered& l) {
  std::vector<std::string> out;
  for (const LoweredStep& s : l.plan.steps) out.push_back(describe(l, s));
  return fmt::format("{}", fmt::join(out, " | "));
}

}  // namespace

TEST_CASE("a zero padding folds into the convolution it feeds, then its batch norm and activation") {
  Lowered l = lowered(R"(
model m(input = 16x16x3) {
  zeropad [1, 2, 3, 0]
  conv 8 3x3
  batchnorm eps 1e-5
  relu
  maxpool 2
})");
  CHECK(steps(l) == "pad1+conv1+bn_conv1+relu1 [pad 1,2,3,0, bn bn_conv1 1e-05, relu] | pool1");
  const LoweredStep& conv = l.plan.steps[0];
  CHECK(conv.key == "conv1");
  REQUIRE(conv.inputs.size() == 1);
  CHECK(l.tensor(conv.inputs[0]).buffer == Buffer::Input);  // it reads the padding's input
  CHECK(l.tensor(conv.output).shape == Shape{{17, 17, 8}});
}

TEST_CASE("a zero padding folds into max pooling only over values that are never negative") {
  // After relu (or sigmoid) the padding's zeros never win, so pooling's own padding, which takes no part,
  // computes the same; after a linear conv a zero may be the largest value under the window.
  CHECK(steps(lowered(R"(
model m(input = 16x16x3) {
  conv 8 3x3 relu
  zeropad [1, 1, 1, 1]
  maxpool 3 stride 2
})")) == "conv1 [relu] | pad1+pool1 [pad 1,1,1,1]");
  CHECK(steps(lowered(R"(
model m(input = 16x16x3) {
  conv 8 3x3
  sigmoid
  zeropad [0, 1, 0, 1]
  maxpool 2
})")) == "conv1+sigmoid1 [sigmoid] | pad1+pool1 [pad 0,1,0,1]");
  CHECK(steps(lowered(R"(
model m(input = 16x16x3) {
  conv 8 3x3
  zeropad [1, 1, 1, 1]
  maxpool 3 stride 2
})")) == "conv1 | pad1 | pool1");
  CHECK(steps(lowered(R"(
model m(input = 16x16x3) {
  zeropad [1, 1, 1, 1]
  maxpool 3 stride 2
})")) == "pad1 | pool1");  // the model's input may be negative
}

TEST_CASE("a zero padding folds into average pooling that counts it: with no padding of its own, or include_pad") {
  Lowered valid = lowered(R"(
model m(input = 16x16x3) {
  zeropad [1, 0, 2, 1]
  avgpool 2
})");
  CHECK(steps(valid) == "pad1+avg_pool1 [pad 1,0,2,1]");
  const std::string code = generated_cpp(valid);
  CHECK(code.find("netc::rt::avg_pool_include_pad({2, 2, /*stride*/ 2, 2, /*pad t b l r*/ 1, 0, 2, 1}") != std::string::npos);
  CHECK(steps(lowered(R"(
model m(input = 16x16x3) {
  zeropad [1, 1, 1, 1]
  avgpool 3 stride 2 same include_pad
})")) == "pad1+avg_pool1 [pad 1,1,1,1]");
  // Keras's average leaves its own padding out of the divisor but counts the zeros of a zeropad layer.
  CHECK(steps(lowered(R"(
model m(input = 16x16x3) {
  zeropad [1, 1, 1, 1]
  avgpool 3 stride 2 same
})")) == "pad1 | avg_pool1");
}

TEST_CASE("a batch norm after a convolution with its own activation is not folded under that activation") {
  Lowered l = lowered(R"(
model m(input = 8x8x3) {
  conv 4 3x3 same relu
  batchnorm
  conv 4 1x1 softmax
  batchnorm
  relu
})");
  // bn(relu(conv)) must stay two steps; a softmax ends its step and nothing folds after it.
  CHECK(steps(l) == "conv1 [relu] | bn_conv1 [in place] | conv2 [softmax] | bn_conv2+relu1 [relu, in place]");
}

TEST_CASE("an activation fuses into conv, dense, add and batch norm, but not into pooling or after softmax") {
  Lowered l = lowered(R"(
model m(input = 8x8x4) {
  residual {
    conv 4 3x3 same
    relu
  }
  sigmoid
  batchnorm
  leaky_relu alpha 0.2
  maxpool 2
  tanh
  softmax
  flatten
  dense 3
  relu
})");
  CHECK(steps(l) == "conv1+relu1 [relu] | add1+sigmoid1 [sigmoid, in place] | bn_sigmoid1+leaky_relu1 [leaky_relu, in place] | "
                    "pool1 | tanh1 [in place] | softmax1 [in place] | flatten1 [view] | fc3+relu2 [relu]");
}

TEST_CASE("a layer read by two others is not fused into its producer, nor overwritten while still needed") {
  Lowered l = lowered(R"(
model m(input = 8x8x4) {
  conv 4 1x1
  residual {
    relu
    conv 4 1x1
  }
})");
  // conv1's output feeds both the relu and the add: the relu may not fuse into conv1, nor run in place. conv2
  // adds conv1's output in its epilogue, the last to read it, so over it.
  CHECK(steps(l) == "conv1 | relu1 | conv2+add1 [adds conv1, in place]");
  CHECK(l.output_of("relu1").storage != l.output_of("conv1").storage);
  CHECK(l.output_of("add1").reuses == l.output_of("conv1").id);
}

TEST_CASE("views share their input's memory; a flat view of a map remembers the map for dense's weights") {
  Lowered l = lowered(R"(
model m(input = 4x5x6) {
  conv 3 1x1
  flatten
  dropout 0.5
  dense 2
})");
  CHECK(steps(l) == "conv1 | flatten1 [view] | dropout1 [view] | fc2");
  const TensorView& conv = l.output_of("conv1");
  const TensorView& flat = l.output_of("flatten1");
  const TensorView& dropped = l.output_of("dropout1");
  CHECK(flat.storage == conv.storage);
  CHECK(flat.reuses == conv.id);
  CHECK(dropped.storage == conv.storage);
  REQUIRE(dropped.map);
  CHECK(*dropped.map == Shape{{4, 5, 3}});
  CHECK(!conv.map);
  CHECK(l.output_of("fc2").buffer == Buffer::Output);
}

TEST_CASE("tensors are whole views placed in their buffers, with the steps they live for") {
  Lowered l = lowered(R"(
model m(input = 8x8x2) {
  conv 4 3x3 same
  conv 4 3x3 same
  residual {
    conv 4 1x1
  }
  globalavgpool
})");
  // Steps: 0 conv1, 1 conv2, 2 conv3 and the add (not over conv2's output, which it reads), 3 avg_pool1.
  CHECK(steps(l) == "conv1 | conv2 | conv3+add1 [adds conv2] | avg_pool1");
  const TensorView& input = l.tensor(0);
  CHECK(input.buffer == Buffer::Input);
  CHECK((input.first_step == 0 && input.last_step == 0));
  const TensorView& conv2 = l.output_of("conv2");
  CHECK((conv2.first_step == 1 && conv2.last_step == 2));  // read by conv3, which adds it too
  const TensorView& add = l.output_of("add1");
  CHECK((add.first_step == 2 && add.last_step == 3));
  CHECK(add.storage != conv2.storage);
  CHECK(l.output_of("conv3").id == add.id);
  for (const TensorView& t : l.plan.tensors) {
    CHECK(t.whole());
    CHECK(t.pixel_stride == t.shape.channels());
    if (t.buffer == Buffer::Arena) CHECK(t.offset + t.shape.elements() <= l.plan.arena_floats);
  }
  const TensorView& pooled = l.output_of("avg_pool1");
  CHECK(pooled.buffer == Buffer::Output);
  CHECK(pooled.last_step == 3);
}

TEST_CASE("a convolution adds a residual in its epilogue, over the shortcut when nothing reads that afterwards") {
  Lowered l = lowered(R"(
model m(input = 8x8x4) {
  conv 4 1x1
  residual {
    conv 4 3x3 same
    batchnorm
    relu
    conv 4 3x3 same
    batchnorm
  }
  relu
  residual {
    conv 8 1x1 stride 2
    batchnorm
  } shortcut {
    conv 8 1x1 stride 2
    batchnorm
  }
  relu
  residual {
    conv 8 1x1 relu
  }
  globalavgpool
})");
  // The identity block: the second convolution, its batch norm, the add and the relu are one pass, written over
  // the block's input. The projection block: the shortcut's convolution, lowered after the main path, adds it.
  // An activation before the add keeps the add a step of its own.
  CHECK(steps(l) ==
        "conv1 | conv2+bn_conv2+relu1 [bn bn_conv2 0.001, relu] | conv3+bn_conv3+add1+relu2 [bn bn_conv3 0.001, relu, "
        "adds conv1, in place] | conv4+bn_conv4 [bn bn_conv4 0.001] | conv5+bn_conv5+add2+relu3 [bn bn_conv5 0.001, "
        "relu, adds bn_conv4, in place] | conv6 [relu] | add3 [in place] | avg_pool1");
  CHECK(l.output_of("add1").storage == l.output_of("conv1").storage);
  CHECK(l.output_of("add2").storage == l.output_of("bn_conv4").storage);  // conv5 reads add1's output, not this
}

TEST_CASE("a step that adds a residual writes a whole tensor: a concat copies it") {
  Lowered l = lowered(R"(
model m(input = 8x8x4) {
  conv 4 1x1
  concat {
    branch { residual { conv 4 1x1 } }
    branch { conv 4 1x1 }
  }
})");
  CHECK(steps(l) == "conv1 | conv2+add1 [adds conv1] | conv3 | concat1");
  const LoweredStep& concat = l.plan.steps.back();
  CHECK(l.tensor(concat.inputs[0]).storage != l.tensor(concat.output).storage);
  CHECK(l.tensor(concat.inputs[1]).storage == l.tensor(concat.output).storage);
}

TEST_CASE("a model whose output is a view of its input copies it into the output buffer") {
  Lowered l = lowered(R"(
model m(input = 2x3x4) {
  flatten
})");
  CHECK(steps(l) == "flatten1 [view] | [copy]");
  const LoweredStep& copy = l.plan.steps[1];
  CHECK(l.tensor(copy.inputs[0]).buffer == Buffer::Input);
  CHECK(l.tensor(copy.output).buffer == Buffer::Output);
  CHECK(l.plan.arena_floats == 0);
}

}  // namespace netc::test

namespace netc::test {

namespace {

// Each concat step's inputs as "slice" (written in place by its producer: in the concat's memory, at its
// channels there) or "copy".
std::string concat_inputs(const Lowered& l, std::string_view concat) {
  for (const LoweredStep& s : l.plan.steps) {
    if (l.node(s.node).name != concat) continue;
    std::vector<std::string> out;
    const TensorView& joined = l.tensor(s.output);
    std::int64_t offset = 0;
    for (int in : s.inputs) {
      const TensorView& t = l.tensor(in);
      const bool slice = t.storage == joined.storage && t.channel_offset == joined.channel_offset + offset;
      out.push_back(slice ? "slice" : "copy");
      offset += t.shape.channels();
    }
    return fmt::format("{}", fmt::join(out, " "));
  }
  FAIL("no concat " << concat);
  return "";
}

}  // namespace

TEST_CASE("an Inception module's convolutions write straight into their slices of the concat: no copy") {
  Lowered l = lowered(R"(
model m(input = 9x8x6) {
  concat {
    branch { conv 4 1x1 relu }
    branch { conv 3 1x1 relu; conv 5 5x5 same relu }
    branch { conv 3 1x1; batchnorm; relu; conv 4 3x3 same nobias; batchnorm; relu }
    branch { avgpool 3 stride 1 same; conv 2 1x1 relu }
  } as mixed0
  maxpool 3 stride 2
})");
  CHECK(concat_inputs(l, "mixed0") == "slice slice slice slice");
  const TensorView& joined = l.output_of("mixed0");
  CHECK(joined.whole());
  CHECK(joined.shape == Shape{{9, 8, 15}});
  const std::pair<const char*, std::int64_t> slices[] = {{"conv1", 0}, {"conv3", 4}, {"relu2", 9}, {"conv6", 13}};
  for (const auto& [layer, first] : slices) {
    INFO(layer);
    const TensorView& t = l.output_of(layer);
    CHECK(t.storage == joined.storage);
    CHECK(t.channel_offset == first);
    CHECK(t.pixel_stride == 15);
    CHECK(!t.whole());
  }
  // The join's memory is alive from its first slice's step to the pool that reads it.
  const Storage& s = l.plan.storages[static_cast<std::size_t>(joined.storage)];
  CHECK(s.first_step == l.output_of("conv1").first_step);
  CHECK(s.last_step == l.output_of("pool1").first_step);
}

TEST_CASE("a concat copies what cannot be its slice: the input itself, a softmax, a tensor read elsewhere") {
  Lowered l = lowered(R"(
model m(input = 6x5x4) {
  concat {
    branch { }
    branch { batchnorm; relu; conv 8 1x1 nobias; batchnorm; relu; conv 3 3x3 same nobias }
  }
  concat {
    branch { }
    branch { maxpool 3 stride 1 same }
    branch { conv 3 3x3 same softmax }
    branch { conv 2 1x1 }
    branch { conv 2 1x1 }
  }
})");
  // DenseNet's layer: the input (the caller's, and read by the batch norm) is copied, the conv writes its slice.
  CHECK(concat_inputs(l, "concat1") == "copy slice");
  // concat1 is read by every branch; a softmax needs its channels contiguous; pooling writes its slice.
  CHECK(concat_inputs(l, "concat2") == "copy slice copy slice slice");
  CHECK(l.output_of("pool1").channel_offset == 7);
  CHECK(l.output_of("conv4").channel_offset == 17);
  CHECK(l.output_of("conv5").channel_offset == 19);
  CHECK(l.output_of("conv5").pixel_stride == 21);
}

TEST_CASE("a chain of concats (DenseNet's block) lives in the last one's memory: nothing is copied") {
  Lowered l = lowered(R"(
block dense_layer() {
  concat {
    branch { }
    branch { batchnorm; relu; conv 8 1x1 nobias; batchnorm; relu; conv 3 3x3 same nobias }
  }
}
model m(input = 6x5x4) {
  conv 8 3x3 same
  dense_layer() x 3 as layer
  batchnorm
  relu
  conv 4 1x1
})");
  const TensorView& last = l.output_of("concatlayer3");
  CHECK(last.shape == Shape{{6, 5, 17}});
  CHECK(last.whole());
  // The first conv (read by the first layer's batch norm and its concat) and each layer's join are the first
  // channels of the last join; each layer's 3x3 conv writes the 3 channels after them.
  const std::tuple<const char*, std::int64_t, std::int64_t> views[] = {
      {"conv1", 0, 8},         {"reslayer1_1", 8, 3},   {"concatlayer1", 0, 11},
      {"reslayer2_1", 11, 3},  {"concatlayer2", 0, 14}, {"reslayer3_1", 14, 3}};
  for (const auto& [layer, first, channels] : views) {
    INFO(layer);
    const TensorView& t = l.output_of(layer);
    CHECK(t.storage == last.storage);
    CHECK(t.channel_offset == first);
    CHECK(t.shape.channels() == channels);
    CHECK(t.pixel_stride == 17);
  }
  for (const char* concat : {"concatlayer1", "concatlayer2", "concatlayer3"}) CHECK(concat_inputs(l, concat) == "slice slice");
  // Each layer's first batch norm reads the join before it where it is, and writes memory of its own (not
  // in place over a slice).
  int reading_slices = 0;
  for (const LoweredStep& s : l.plan.steps) {
    if (!l.node(s.node).layer->batch_norm() || l.tensor(s.inputs[0]).whole()) continue;
    INFO(l.node(s.node).name);
    ++reading_slices;
    CHECK(l.tensor(s.output).storage != last.storage);
    CHECK(l.tensor(s.output).reuses == -1);
  }
  CHECK(reading_slices == 3);
}

TEST_CASE("a branch that ends where it starts, or two branches of one tensor, are copied") {
  Lowered l = lowered(R"(
model m(input = 6x5x4) {
  conv 4 1x1
  concat {
    branch { }
    branch { }
  }
})");
  CHECK(concat_inputs(l, "concat1") == "copy copy");
  CHECK(l.output_of("concat1").buffer == Buffer::Output);
}

}  // namespace netc::test
