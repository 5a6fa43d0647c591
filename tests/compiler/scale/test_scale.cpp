// Big inputs stay linear: a generated model of N block uses (ResNet-style stage lines of a residual block,
// as text) compiles through shape inference and lowering with N times the layers, and with memory (the
// most bytes live at once, and all bytes ever allocated, counted by this binary's operator new) that
// doubles when N doubles rather than quadrupling. The times are printed, not asserted: speed belongs in
// the benchmark, and a timed assertion fails on a busy machine.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "Pipeline.hpp"
#include "elab/Elaborate.hpp"
#include "counting_allocator.hpp"
#include "passes/Lower.hpp"

namespace netc::test {

namespace {

constexpr int kLayersPerUse = 5;  // conv, conv, batchnorm, add, relu
constexpr int kOtherLayers = 4;   // the input, the stem convolution, the pooling and the classifier

// A model of `uses` uses of a residual block, ten per stage line.
std::string model_text(int uses) {
  std::string text = R"(block unit(f) {
  residual {
    conv f 3x3 same relu as a
    conv f 3x3 same as b
    batchnorm
  }
  relu
}

model big(input = 16x16x8, classes = 10) {
  conv 8 3x3 same
)";
  for (int line = 0; line < uses / 10; ++line) {
    text += "  stage " + std::to_string(line + 1) + ": unit(8)";
    for (int k = 1; k < 10; ++k) text += ", unit(8)";
    text += "\n";
  }
  return text + "  globalavgpool\n  dense classes softmax\n}\n";
}

struct Measured {
  std::size_t nodes = 0, steps = 0;
  std::size_t peak_bytes = 0, allocated_bytes = 0;  // beyond what was live before
  double check_ms = 0, lower_ms = 0;
};

Measured measure(int uses) {
  std::string text = model_text(uses);
  Measured m;
  AllocationCounts before = allocation_counts();
  reset_peak();
  auto start = std::chrono::steady_clock::now();
  {
    Compilation c = compile_text("big.net", text, {});
    REQUIRE_MESSAGE(c.ok(), c.rendered());
    auto checked = std::chrono::steady_clock::now();
    Plan plan = lower(*c.graph);
    auto lowered = std::chrono::steady_clock::now();
    m.nodes = c.graph->nodes.size();
    m.steps = plan.steps.size();
    m.check_ms = std::chrono::duration<double, std::milli>(checked - start).count();
    m.lower_ms = std::chrono::duration<double, std::milli>(lowered - checked).count();
  }
  AllocationCounts after = allocation_counts();
  m.peak_bytes = after.peak - before.live;
  m.allocated_bytes = after.total - before.total;
  MESSAGE(uses << " block uses: " << m.nodes << " layers, " << m.steps << " steps; check (parse to shape inference) "
                << m.check_ms << " ms, lowering " << m.lower_ms << " ms; peak " << m.peak_bytes / 1024
                << " KiB, allocated " << m.allocated_bytes / 1024 << " KiB");
  return m;
}

}  // namespace

TEST_CASE("a model of 1,000 block uses and one of 2,000: twice the layers and about twice the memory") {
  measure(10);  // warm-up: the parser's caches, made once per process
  Measured one = measure(1000);
  Measured two = measure(2000);
  CHECK(one.nodes == 1000 * kLayersPerUse + kOtherLayers);
  CHECK(two.nodes == 2000 * kLayersPerUse + kOtherLayers);
  CHECK(two.steps < 2 * one.steps + 10);
  // Linear growth doubles these; quadratic growth would make them four times as large.
  double peak_ratio = static_cast<double>(two.peak_bytes) / static_cast<double>(one.peak_bytes);
  double allocated_ratio = static_cast<double>(two.allocated_bytes) / static_cast<double>(one.allocated_bytes);
  CAPTURE(peak_ratio);
  CAPTURE(allocated_ratio);
  CHECK(peak_ratio > 1.5);
  CHECK(peak_ratio < 2.6);
  CHECK(allocated_ratio > 1.5);
  CHECK(allocated_ratio < 2.6);
}

namespace {

// `layers` relu layers made inside repeats nested `depth` deep (a chain of `depth` uses, names as at depth 1).
std::string nested_repeats_text(int depth, int layers) {
  std::string text = "model m(input = 4x4x1) {\n  ";
  for (int d = 1; d < depth; ++d) text += "repeat 1 { ";
  text += "repeat " + std::to_string(layers) + " { relu }";
  for (int d = 1; d < depth; ++d) text += " }";
  return text + "\n}\n";
}

// `layers` relu layers made inside block uses nested `depth` deep: block b1 holds the layers, each b<k> uses
// b<k-1> once, and the model uses b<depth>.
std::string nested_uses_text(int depth, int layers) {
  std::string text = "block b1() {\n  repeat " + std::to_string(layers) + " { relu }\n}\n";
  for (int d = 2; d <= depth; ++d) text += "block b" + std::to_string(d) + "() {\n  b" + std::to_string(d - 1) + "()\n}\n";
  return text + "model m(input = 4x4x1) {\n  b" + std::to_string(depth) + "()\n}\n";
}

// 40 blocks, each using the next twice: 2^40 uses of the innermost, which makes one layer.
std::string doubling_uses_text() {
  std::string text = "block b0() {\n  relu\n}\n";
  for (int d = 1; d <= 40; ++d)
    text += "block b" + std::to_string(d) + "() {\n  b" + std::to_string(d - 1) + "()\n  b" + std::to_string(d - 1) + "()\n}\n";
  return text + "model m(input = 4x4x1) {\n  b40()\n}\n";
}

// The most bytes live at once while compiling text through elaboration (its result included).
std::size_t peak_bytes(const std::string& text, const ModelRequest& request, std::string* rendered = nullptr) {
  AllocationCounts before = allocation_counts();
  reset_peak();
  {
    Compilation c = compile_text("uses.net", text, request, Stage::Elaborate);
    if (rendered) *rendered = c.rendered();
  }
  return allocation_counts().peak - before.live;
}

}  // namespace

// Each layer used to copy its whole chain of uses: 60 deep, 14 GB for 900,000 layers.
TEST_CASE("layers made deep inside repeats and block uses share their chain: memory does not grow with the depth") {
  std::size_t shallow = peak_bytes(nested_repeats_text(1, 20000), {});
  std::size_t deep = peak_bytes(nested_repeats_text(60, 20000), {});
  MESSAGE("20,000 layers in repeats nested 1 deep: peak " << shallow / 1024 << " KiB; 60 deep: " << deep / 1024
                                                          << " KiB");
  CHECK(static_cast<double>(deep) < 1.2 * static_cast<double>(shallow));
}

// 2^40 uses of a one-layer block stop at the layer budget. Each layer there has a name of about 200 characters
// (the ids of its 40 enclosing uses) and every use keeps its note, so a layer costs about twice one made in
// a plain repeat; when each layer copied its chain of 40 uses, it cost twelve times as much.
TEST_CASE("uses that double at every level stop at the layer budget with memory linear in the layers made") {
  ModelRequest request;
  request.max_nodes = 20000;
  std::string rendered;
  std::size_t doubling = peak_bytes(doubling_uses_text(), request, &rendered);
  CHECK(rendered.find("error: the model expands to more than 20000 layers") != std::string::npos);
  std::size_t flat = peak_bytes(nested_repeats_text(1, 20000), {});
  MESSAGE("2^40 uses stopped at 20,000 layers: peak " << doubling / 1024 << " KiB; 20,000 layers in a repeat: "
                                                      << flat / 1024 << " KiB");
  CHECK(static_cast<double>(doubling) < 3 * static_cast<double>(flat));
}

}  // namespace netc::test
