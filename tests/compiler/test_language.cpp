// The language's semantics, compiled in memory: expressions, parameters and arguments, boxes, stages,
// residuals, repeats, the default naming scheme, and the memory figure.
#include <doctest/doctest.h>

#include <fmt/format.h>

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

TEST_CASE("a layer keeps the chain of block uses and repeats that made it, shared with the layers beside it") {
  Compilation c = ok("block inner() {\n  relu\n}\nblock outer() {\n  repeat 2 { inner() }\n}\n"
                     "model m(input = 4x4x1) {\n  outer()\n}\n");
  REQUIRE(c.graph->nodes.size() == 3);
  const Trace& trace = c.graph->nodes[2].trace;
  std::vector<std::string> innermost_first;
  for (auto site = trace.rbegin(); site != trace.rend(); ++site)
    innermost_first.push_back(fmt::format("{}:{} {}", site->loc.line, site->loc.column, site->what));
  CHECK(innermost_first == std::vector<std::string>{"5:14 in block 'inner', used here as 'outer1_inner2'",
                                                    "5:3 in repetition 2 of 2", "8:3 in block 'outer', used here as 'outer1'"});
  CHECK(trace.size() == 3);
  std::vector<UseSite> sites = trace.sites();
  REQUIRE(sites.size() == 3);
  CHECK(sites.front().what == "in block 'outer', used here as 'outer1'");
  CHECK(sites.back().what == "in block 'inner', used here as 'outer1_inner2'");
  // The first repetition's layer shares the outer use with the second's.
  CHECK(c.graph->nodes[1].trace.sites()[0].loc == sites[0].loc);
  CHECK(c.graph->nodes[0].trace.empty());
}

TEST_CASE("UTF-8 is validated in full before the parser sees it; an invalid form is an error at its character") {
  // After "  relu // é " (12 characters, 13 bytes): column 13 of line 2.
  auto compiled = [](const std::string& bytes) {
    return compile("model m(input = 4x4x1) {\n  relu // \xC3\xA9 " + bytes + " x\n}\n");
  };
  const std::string suffix = " (.net files are UTF-8 text)";
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"\x80", "byte 0x80 does not start a valid character"},
      {"\xFF", "byte 0xFF does not start a valid character"},
      {"\xF8\x88\x80\x80\x80", "byte 0xF8 does not start a valid character"},
      {"\xC0\x80", "bytes 0xC0 0x80 are an overlong encoding of U+0000"},
      {"\xC1\xBF", "bytes 0xC1 0xBF are an overlong encoding of U+007F"},
      {"\xE0\x80\x80", "bytes 0xE0 0x80 0x80 are an overlong encoding of U+0000"},
      {"\xE0\x9F\xBF", "bytes 0xE0 0x9F 0xBF are an overlong encoding of U+07FF"},
      {"\xF0\x8F\xBF\xBF", "bytes 0xF0 0x8F 0xBF 0xBF are an overlong encoding of U+FFFF"},
      {"\xED\xA0\x80", "bytes 0xED 0xA0 0x80 encode U+D800, a UTF-16 surrogate, not a character"},
      {"\xED\xBF\xBF", "bytes 0xED 0xBF 0xBF encode U+DFFF, a UTF-16 surrogate, not a character"},
      {"\xF4\x90\x80\x80", "bytes 0xF4 0x90 0x80 0x80 encode U+110000, past U+10FFFF, the last code point"},
      {"\xF5\x80\x80\x80", "bytes 0xF5 0x80 0x80 0x80 encode U+140000, past U+10FFFF, the last code point"},
      {"\xF7\xBF\xBF\xBF", "bytes 0xF7 0xBF 0xBF 0xBF encode U+1FFFFF, past U+10FFFF, the last code point"},
      {"\xE2\x82" "A", "byte 0xE2 starts a 3-byte character, but byte 0x41 after it is not a continuation byte"},
      {"\xF0" " ", "byte 0xF0 starts a 4-byte character, but byte 0x20 after it is not a continuation byte"},
  };
  for (const auto& [bytes, message] : bad) {
    Compilation c = compiled(bytes);
    INFO("bytes: ", message);
    REQUIRE(c.diags.error_count() == 1);
    CHECK(c.diags.all()[0].message == "invalid UTF-8: " + message + suffix);
    CHECK(c.diags.all()[0].loc == SourceLoc{1, 2, 13});
  }
  Compilation cut = compile("model m(input = 4x4x1) {\n  relu\n}\n// \xE2\x82");
  REQUIRE(cut.diags.error_count() == 1);
  CHECK(cut.diags.all()[0].message ==
        "invalid UTF-8: byte 0xE2 starts a 3-byte character, but the file ends after 2 bytes of it" + suffix);
  CHECK(cut.diags.all()[0].loc == SourceLoc{1, 4, 4});
  // The edges of the valid ranges.
  for (const std::string good : {"\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
                                 "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"}) {
    Compilation c = compiled(good);
    CHECK_MESSAGE(c.ok(), c.rendered());
  }
}

TEST_CASE("CR, LF and CRLF all end lines, for the parser and for the places in messages") {
  const std::string lines[] = {"model m(input = 8x8x1) {", "  conv 4 3x3 same relu // a comment", "  flatten",
                               "  dense 10 softmax", "}"};
  for (const std::string end : {"\n", "\r\n", "\r"}) {
    std::string text;
    for (const std::string& line : lines) text += line + end;
    INFO("line end: ", std::string(end == "\r" ? "CR" : end == "\n" ? "LF" : "CRLF"));
    Compilation c = compile(text);
    CHECK_MESSAGE(c.ok(), c.rendered());
    std::string bad = text;
    bad.replace(bad.find("flatten"), 7, "flaten ");
    CHECK(compile(bad).rendered() ==
          "test.net:3:3: error: unknown layer 'flaten'; did you mean 'flatten'?\n  flaten \n  ^\n");
  }
  // Mixed in one file, and a CR at the very end.
  Compilation mixed = compile("model m(input = 8x8x1) {\r  relu\n  relu\r\n  reluu\r}\r");
  CHECK(mixed.rendered() == "test.net:4:3: error: unknown layer 'reluu'; did you mean 'relu'?\n  reluu\n  ^\n");
}

}  // namespace netc::test
