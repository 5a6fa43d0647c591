// max_pool, avg_pool, global_avg_pool and zero_pad against naive loops.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "test_kernels_support.hpp"

namespace {

using namespace netc;
using netc::test::Buffer;

// Max pooling and padding copy values: exact. Averages divide a float sum: 1e-6 + 1e-5 * |want|.
constexpr test::Tolerance kMeanTol{1e-6, 1e-5};

/// Max (padding never wins) or mean over the real inputs of each window, in double; an empty window gives 0.
std::vector<double> ref_pool(const Buffer& in, const rt::Window& win, bool is_max) {
  std::vector<double> out;
  for (int img = 0; img < in.n; ++img)
    for (int y = 0; y < win.out_h(in.h); ++y)
      for (int x = 0; x < win.out_w(in.w); ++x)
        for (int ch = 0; ch < in.c; ++ch) {
          double acc = is_max ? -std::numeric_limits<double>::infinity() : 0.0;
          int count = 0;
          for (int ky = 0; ky < win.kh; ++ky)
            for (int kx = 0; kx < win.kw; ++kx) {
              const int iy = y * win.stride_h + ky - win.pad_top, ix = x * win.stride_w + kx - win.pad_left;
              if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
              const double v = in.data[in.index(img, iy, ix, ch)];
              acc = is_max ? std::max(acc, v) : acc + v;
              ++count;
            }
          out.push_back(count == 0 ? 0.0 : is_max ? acc : acc / count);
        }
  return out;
}

Buffer run_pool(const rt::Window& win, const Buffer& in, bool is_max) {
  Buffer out(in.n, win.out_h(in.h), win.out_w(in.w), in.c, std::nanf(""));
  if (is_max)
    rt::max_pool(win, in.view(), out.tensor());
  else
    rt::avg_pool(win, in.view(), out.tensor());
  return out;
}

void check_pool(const rt::Window& win, const Buffer& in) {
  {
    INFO("max_pool");
    test::check_close(run_pool(win, in, true), ref_pool(in, win, true), test::kExact);
  }
  INFO("avg_pool");
  test::check_close(run_pool(win, in, false), ref_pool(in, win, false), kMeanTol);
}

struct PoolCase {
  std::string name;
  int n, h, w, c;
  rt::Window window;  // kh, kw, stride_h, stride_w, pad_top, pad_bottom, pad_left, pad_right
};

}  // namespace

TEST_CASE("max_pool and avg_pool match naive pooling on odd shapes") {
  const std::vector<PoolCase> cases = {
      {"3x3 stride 2 pad 1, non-square 7x9, batch 3", 3, 7, 9, 5, {3, 3, 2, 2, 1, 1, 1, 1}},
      {"2x2 stride 2 unpadded on odd sizes (floor)", 2, 7, 9, 17, {2, 2, 2, 2, 0, 0, 0, 0}},
      {"3x3 stride 1, asymmetric pads 0/1/2/0", 3, 5, 6, 3, {3, 3, 1, 1, 0, 1, 2, 0}},
      {"2x2 stride 2, bottom/right padding only (Keras same)", 1, 5, 5, 17, {2, 2, 2, 2, 0, 1, 0, 1}},
      {"1x1 spatial input, 3x3 pad 1", 3, 1, 1, 5, {3, 3, 1, 1, 1, 1, 1, 1}},
      {"5x3 rectangular, stride (1,2)", 2, 8, 9, 3, {5, 3, 1, 2, 2, 2, 0, 1}},
      {"7x7 window over the whole 7x7 input", 3, 7, 7, 17, {7, 7, 1, 1, 0, 0, 0, 0}},
      {"1x1 window stride 2 (subsampling)", 2, 6, 5, 3, {1, 1, 2, 2, 0, 0, 0, 0}},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const PoolCase& pc = cases[i];
    INFO("case: " << pc.name);
    check_pool(pc.window, test::random_buffer(pc.n, pc.h, pc.w, pc.c, 700 + unsigned(i)));
  }
}

TEST_CASE("max_pool: padding never wins over negative inputs") {
  const Buffer in = test::random_buffer(2, 4, 5, 3, 710, -1.f, -0.5f);
  const rt::Window win{3, 3, 2, 2, 1, 1, 1, 1};
  const Buffer out = run_pool(win, in, true);
  for (const float v : out.data) REQUIRE(v < -0.49f);
  test::check_close(out, ref_pool(in, win, true), test::kExact);
}

TEST_CASE("avg_pool: padding does not count (a constant input stays constant)") {
  const Buffer in(2, 5, 4, 3, 1.f);
  const Buffer out = run_pool(rt::Window{3, 3, 2, 2, 1, 2, 0, 1}, in, false);
  test::check_close(out, std::vector<double>(out.data.size(), 1.0), test::kExact);
}

TEST_CASE("a window lying entirely in padding gives 0, not a division by zero or -infinity") {
  const Buffer in = test::random_buffer(1, 1, 1, 3, 720);
  const rt::Window win{1, 1, 1, 1, 1, 1, 1, 1};  // 3x3 output; only the centre sees the input
  check_pool(win, in);
}

TEST_CASE("global_avg_pool is the mean over height and width") {
  for (const Buffer& in : {test::random_buffer(3, 5, 7, 17, 730), test::random_buffer(2, 1, 1, 3, 731)}) {
    INFO("input " << in.n << "x" << in.h << "x" << in.w << "x" << in.c);
    Buffer out(in.n, 1, 1, in.c, std::nanf(""));
    rt::global_avg_pool(in.view(), out.tensor());
    std::vector<double> want(out.data.size(), 0.0);
    for (int img = 0; img < in.n; ++img)
      for (int y = 0; y < in.h; ++y)
        for (int x = 0; x < in.w; ++x)
          for (int ch = 0; ch < in.c; ++ch)
            want[img * in.c + ch] += double(in.data[in.index(img, y, x, ch)]) / (in.h * in.w);
    test::check_close(out, want, kMeanTol);
  }
}

TEST_CASE("zero_pad places the input at (top, left) and zeros elsewhere") {
  struct Pads {
    int top, bottom, left, right;
  };
  for (const Pads p : {Pads{0, 1, 2, 0}, Pads{1, 1, 1, 1}, Pads{0, 0, 0, 3}}) {
    INFO("pads " << p.top << "/" << p.bottom << "/" << p.left << "/" << p.right);
    const Buffer in = test::random_buffer(3, 4, 5, 3, 740);
    Buffer out(in.n, in.h + p.top + p.bottom, in.w + p.left + p.right, in.c, std::nanf(""));
    rt::zero_pad(in.view(), out.tensor(), p.top, p.bottom, p.left, p.right);
    std::vector<double> want(out.data.size(), 0.0);
    for (int img = 0; img < in.n; ++img)
      for (int y = 0; y < in.h; ++y)
        for (int x = 0; x < in.w; ++x)
          for (int ch = 0; ch < in.c; ++ch)
            want[out.index(img, y + p.top, x + p.left, ch)] = in.data[in.index(img, y, x, ch)];
    test::check_close(out, want, test::kExact);
  }
}
