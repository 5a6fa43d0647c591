// The packed SGEMM under conv2d and dense, against a naive product in double: odd row, column and depth counts,
// k blocks, row strides that take the copy path, column-panel sub-ranges, every epilogue; and the work split.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

#include "detail.hpp"
#include "kernels/gemm.hpp"  // run_split, a template: instantiated here in netc::rt::generic
#include "test_kernels_support.hpp"

namespace {

using namespace netc;

/// C = epilogue(A x B + bias) in double; A is rows x depth with row stride `stride`, B is depth x cols.
std::vector<double> ref_gemm(const std::vector<float>& a, int rows, int depth, int stride, const std::vector<float>& b,
                             int cols, const float* bias, rt::Epilogue epilogue) {
  std::vector<double> c;
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      double sum = bias ? bias[j] : 0.0;
      for (int k = 0; k < depth; ++k) sum += double(a[std::size_t(i) * stride + k]) * b[std::size_t(k) * cols + j];
      c.push_back(test::ref_activation(sum, epilogue));
    }
  return c;
}

struct GemmCase {
  int rows, depth, cols, stride;
  rt::Epilogue epilogue;
  bool bias;
};

}  // namespace

TEST_CASE("the CPU's caches, which size the GEMM's column blocks, are read once and are plausible") {
  const rt::detail::CacheSizes& caches = rt::detail::cache_sizes();
  CHECK(&caches == &rt::detail::cache_sizes());
  CHECK(std::string(caches.source).size() > 0);
  CHECK(caches.l1d >= 8 * 1024);
  CHECK(caches.l1d <= 4 * 1024 * 1024);
  CHECK(caches.l2 >= caches.l1d);
  CHECK(caches.l2 <= std::size_t(1) << 30);
  CHECK(rt::cpu_caches().find(std::string("(") + caches.source + ")") != std::string::npos);
}

TEST_CASE("the kernels are those NETC_ISA asks for, with their own tile, and reject weights packed for others") {
  const rt::detail::KernelTable& k = rt::detail::kernels();
  const char* forced = std::getenv("NETC_ISA");
  if (forced != nullptr && *forced != '\0') CHECK(std::string(rt::active_isa()) == forced);
  CHECK(std::string(rt::active_isa()) == k.isa);
  CHECK(rt::cpu_supports_isa(k.isa));
  CHECK(rt::cpu_supports_isa("generic"));
  CHECK_FALSE(rt::cpu_supports_isa("sse9"));
  const std::string isa = k.isa;
  const std::pair<int, int> tile = isa == "avx512" ? std::pair{14, 32} : isa == "avx2" ? std::pair{6, 16} : std::pair{4, 16};
  CHECK(k.gemm_rows == tile.first);
  CHECK(k.panel_width == tile.second);
  CHECK(rt::detail::table_named(isa) == &k);
  CHECK(rt::detail::table_named("sse9") == nullptr);
  const std::vector<float> w(4, 1.f);
  rt::DenseLayer layer = rt::pack_dense(w.data(), nullptr, 2, 2, {});
  CHECK(layer.weights.panel_width == k.panel_width);
  layer.weights.panel_width = k.panel_width == 32 ? 16 : 32;  // as another instruction set would have packed it
  test::Buffer in(1, 1, 1, 2, 1.f), out(1, 1, 1, 2);
  rt::Workspace ws;
  CHECK_THROWS_WITH_AS(rt::dense(layer, in.view(), out.tensor(), ws),
                       ("a matrix packed in panels of " + std::to_string(layer.weights.panel_width) + " columns and 256 "
                        "rows cannot run on the " + isa + " kernels (" + std::to_string(k.panel_width) +
                        " columns, 256 rows): pack it with the kernels of this process").c_str(),
                       std::invalid_argument);
}

TEST_CASE("gemm matches a naive product on odd shapes, strides and epilogues") {
  const rt::Epilogue linear{}, relu{rt::Activation::Relu}, leaky{rt::Activation::LeakyRelu, 0.2f},
      sigmoid{rt::Activation::Sigmoid}, tanh_{rt::Activation::Tanh}, relu6{rt::Activation::Relu6},
      gelu{rt::Activation::Gelu};
  const std::vector<GemmCase> cases = {
      {1, 1, 1, 1, linear, true},     {3, 17, 31, 17, relu, false},    {17, 33, 33, 40, leaky, true},
      {31, 300, 17, 300, sigmoid, true}, {33, 512, 3, 512, tanh_, true}, {15, 1024, 65, 1024, relu, true},
      {29, 257, 100, 263, leaky, false}, {1, 600, 1000, 600, linear, true}, {2, 2048, 48, 2048, relu, true},
      {19, 300, 37, 300, relu6, true},  {7, 65, 33, 70, gelu, false},
  };
  for (std::size_t n = 0; n < cases.size(); ++n) {
    const GemmCase& gc = cases[n];
    INFO("rows " << gc.rows << ", depth " << gc.depth << ", cols " << gc.cols << ", stride " << gc.stride);
    const std::vector<float> a = test::random_values(std::size_t(gc.rows) * gc.stride, 2000 + unsigned(n));
    const std::vector<float> b = test::random_values(std::size_t(gc.depth) * gc.cols, 2100 + unsigned(n));
    const std::vector<float> bias = test::random_values(gc.cols, 2200 + unsigned(n));
    const rt::PackedMatrix packed =
        rt::detail::pack_matrix(gc.depth, gc.cols, [&](int k, int j) { return b[std::size_t(k) * gc.cols + j]; });
    test::Buffer c(1, gc.rows, 1, gc.cols, std::nanf(""));
    const float* bias_ptr = gc.bias ? bias.data() : nullptr;
    // Two calls over complementary panel ranges, as two threads would make them.
    const int half = packed.panels() / 2;
    for (const auto& [p0, p1] : {std::pair{0, half}, std::pair{half, packed.panels()}})
      rt::detail::gemm({a.data(), gc.stride, gc.rows}, packed, p0, p1, {c.data.data(), gc.cols, bias_ptr, gc.epilogue});
    const std::vector<double> want = ref_gemm(a, gc.rows, gc.depth, gc.stride, b, gc.cols, bias_ptr, gc.epilogue);
    test::check_close(c, want, {1e-5 + 1e-6 * std::sqrt(double(gc.depth)) * test::max_abs(want), 1e-4});
  }
}

TEST_CASE("gemm reads a segmented A: each row's k steps as runs that lie a segment stride apart") {
  // 3 runs of 21 (a 7-wide window of 3 channels), rows 6 floats apart (stride 2), runs 700 floats apart; 17
  // rows (one skinny GEMM) and 112 (a stem's output row); the same sums as the gathered A, bit for bit.
  const int runs = 3, run = 21, depth = runs * run, lda = 6, segment_stride = 700, cols = 40;
  for (const int rows : {17, 112}) {
    INFO("rows " << rows);
    const std::vector<float> source = test::random_values(std::size_t(runs) * segment_stride, 2400 + unsigned(rows));
    std::vector<float> gathered(std::size_t(rows) * depth);
    for (int i = 0; i < rows; ++i)
      for (int s = 0; s < runs; ++s)
        for (int k = 0; k < run; ++k)
          gathered[std::size_t(i) * depth + s * run + k] = source[std::size_t(s) * segment_stride + i * lda + k];
    const std::vector<float> b = test::random_values(std::size_t(depth) * cols, 2500);
    const rt::PackedMatrix packed =
        rt::detail::pack_matrix(depth, cols, [&](int k, int j) { return b[std::size_t(k) * cols + j]; });
    const rt::Epilogue relu{rt::Activation::Relu};
    test::Buffer segmented(1, rows, 1, cols, std::nanf("")), plain(1, rows, 1, cols, std::nanf(""));
    rt::detail::gemm({source.data(), lda, rows, runs, segment_stride}, packed, 0, packed.panels(),
                     {segmented.data.data(), cols, nullptr, relu});
    rt::detail::gemm({gathered.data(), depth, rows}, packed, 0, packed.panels(),
                     {plain.data.data(), cols, nullptr, relu});
    test::check_identical(segmented, plain);
    test::check_close(segmented, ref_gemm(gathered, rows, depth, depth, b, cols, nullptr, relu), {1e-5, 1e-4});
  }
}

TEST_CASE("split_work spreads blocks, or column chunks of few blocks, evenly over the threads") {
  using rt::detail::split_work;
  CHECK(split_work(100, 8, 1).chunks == 1);
  CHECK(split_work(100, 8, 2).chunks == 1);  // 50 blocks each
  CHECK(split_work(1, 8, 2).chunks == 2);    // one block: half the panels each
  CHECK(split_work(3, 8, 2).chunks == 2);    // 6 items, 3 each
  CHECK(split_work(1, 1, 2).chunks == 1);    // nothing to split
  const rt::detail::WorkSplit s = split_work(1, 7, 3);
  CHECK(s.chunks == 3);
  CHECK(rt::detail::panel_begin(s, 0) == 0);
  CHECK(rt::detail::panel_begin(s, 3) == 7);
}

TEST_CASE("even_block cuts rows into equal blocks, as many as a multiple of the threads when there are enough") {
  using rt::detail::even_block;
  CHECK(even_block(784, 224, 2) == 196);  // 4 blocks of 196, not 224 + 224 + 224 + 112
  CHECK(even_block(196, 28, 2) == 25);    // 8 blocks (7 rounded up to a multiple of 2)
  CHECK(even_block(3136, 224, 2) == 224);
  CHECK(even_block(49, 224, 2) == 49);    // one block: the threads split the columns instead
  CHECK(even_block(100, 30, 1) == 25);
  CHECK(even_block(1, 14, 3) == 1);
  CHECK(even_block(0, 14, 2) == 1);
}

TEST_CASE("even_block gives each thread a block of its own when each still has split_rows rows") {
  using rt::detail::even_block;
  CHECK(even_block(196, 224, 2, 56) == 98);   // ResNet's 14x14 maps on 2 threads: by rows
  CHECK(even_block(49, 224, 2, 56) == 49);    // a 7x7 map: one block, split by columns
  CHECK(even_block(111, 224, 2, 56) == 111);  // 55.5 rows each: too few
  CHECK(even_block(112, 224, 2, 56) == 56);
  CHECK(even_block(300, 224, 3, 56) == 100);
  CHECK(even_block(196, 224, 1, 56) == 196);  // one thread: nothing to split
  CHECK(even_block(784, 224, 2, 56) == 196);  // enough blocks already: as before
}

TEST_CASE("run_split prepares a block on a thread before computing on it there, and covers every item once") {
  for (const int threads : {1, 2, 3}) {
    rt::Workspace ws;
    ws.configure(threads, 0);
    const rt::detail::WorkSplit split = rt::detail::split_work(5, 9, threads);
    std::vector<int> covered(std::size_t(5) * 9, 0), prepared(std::size_t(5) * threads, 0);
    std::vector<int> last_prepared(threads, -1);
    rt::generic::run_split(
        ws, split,
        [&](rt::Index block, int t) {
          ++prepared[block * threads + t];
          last_prepared[t] = int(block);
        },
        [&](rt::Index block, int p0, int p1, int t) {
          CHECK(last_prepared[t] == block);
          for (int p = p0; p < p1; ++p) ++covered[block * 9 + p];
        });
    for (int c : covered) CHECK(c == 1);
    if (threads == 1)  // one range: each block prepared once
      for (int p : prepared) CHECK(p == 1);
  }
}

TEST_CASE("next_panel names the panel gemm's panel-major order reads next, across k and column blocks") {
  // 600 rows: k blocks of 256, 256 and 88; panels [1, 5) of 5 in column blocks of 2, as gemm walks them.
  const int rows = 600, panels = 5, begin = 1, end = 5, block = 2;
  std::vector<float> storage(std::size_t(rows) * panels * rt::generic::kGemmCols);
  const rt::detail::PackedView b{storage.data(), rows, panels * rt::generic::kGemmCols, panels};
  struct Step {
    int jc, jc_end, pc, p;
  };
  std::vector<Step> order;
  for (int jc = begin; jc < end; jc += block)
    for (int pc = 0; pc < rows; pc += rt::detail::kDepthBlock)
      for (int p = jc; p < std::min(end, jc + block); ++p) order.push_back({jc, std::min(end, jc + block), pc, p});
  REQUIRE(order.size() == 12);
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Step s = order[i];
    CAPTURE(i);
    const rt::generic::PanelRef next = rt::generic::next_panel(b, s.pc, s.p, s.jc, s.jc_end, end);
    if (i + 1 == order.size()) {
      CHECK(next.data == nullptr);
      continue;
    }
    const Step t = order[i + 1];
    CHECK(next.data == rt::generic::panel_at(b, t.pc, t.p));
    CHECK(next.depth == std::min(rt::detail::kDepthBlock, rows - t.pc));
    CHECK(next.data + next.depth * rt::generic::kGemmCols <= storage.data() + storage.size());
  }
}
