// Shared pieces of the kernel tests: random data, the activation and batch norm references, and the comparison
// (with a test that the comparison does report a difference).
#include "test_kernels_support.hpp"

#include "detail.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <sstream>

namespace netc::test {

Buffer::Buffer(int n_, int h_, int w_, int c_, float fill)
    : n(n_), h(h_), w(w_), c(c_), data(std::size_t(n_) * h_ * w_ * c_, fill) {}

std::vector<float> random_values(std::size_t count, unsigned seed, float lo, float hi) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> values(count);
  for (float& v : values) v = dist(rng);
  return values;
}

Buffer random_buffer(int n, int h, int w, int c, unsigned seed, float lo, float hi) {
  Buffer b(n, h, w, c);
  b.data = random_values(b.data.size(), seed, lo, hi);
  return b;
}

std::optional<Mismatch> first_mismatch(const Buffer& got, const std::vector<double>& want, Tolerance tol) {
  REQUIRE(got.data.size() == want.size());
  std::optional<Mismatch> first;
  std::size_t count = 0;
  double max_error = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const double error = std::abs(double(got.data[i]) - want[i]);
    if (!std::isnan(error)) max_error = std::max(max_error, error);
    if (error <= tol.atol + tol.rtol * std::abs(want[i])) continue;
    if (count++ == 0) {
      const std::size_t pixel = i / got.c, ch = i % got.c;
      const int x = int(pixel % got.w), y = int(pixel / got.w % got.h), img = int(pixel / got.w / got.h);
      first = Mismatch{img, y, x, int(ch), got.data[i], want[i], 0, 0};
    }
  }
  if (first) {
    first->count = count;
    first->max_abs_error = max_error;
  }
  return first;
}

void check_close(const Buffer& got, const std::vector<double>& want, Tolerance tol) {
  const std::optional<Mismatch> m = first_mismatch(got, want, tol);
  std::ostringstream message;
  if (m) {
    message.precision(9);
    message << m->count << " of " << want.size() << " values differ; first at (n,y,x,c)=(" << m->n << ',' << m->y << ','
            << m->x << ',' << m->c << "): got " << m->got << ", want " << m->want << " (atol " << tol.atol << ", rtol "
            << tol.rtol << "); max abs error " << m->max_abs_error;
  }
  CHECK_MESSAGE(!m.has_value(), message.str());
}

double ref_activation(double x, rt::Epilogue epilogue) {
  switch (epilogue.activation) {
    case rt::Activation::Linear: return x;
    case rt::Activation::Relu: return x > 0 ? x : 0;
    case rt::Activation::LeakyRelu: return x > 0 ? x : double(epilogue.alpha) * x;
    case rt::Activation::Sigmoid: return 1 / (1 + std::exp(-x));
    case rt::Activation::Tanh: return std::tanh(x);
    case rt::Activation::Relu6: return std::min(std::max(x, 0.0), 6.0);
    case rt::Activation::HardSigmoid: return std::min(std::max(x + 3, 0.0), 6.0) / 6;
    case rt::Activation::HardSwish: return x * std::min(std::max(x + 3, 0.0), 6.0) / 6;
    case rt::Activation::Swish: return x / (1 + std::exp(-x));
    case rt::Activation::Gelu: return x / 2 * (1 + std::erf(x / std::sqrt(2.0)));
  }
  return x;
}

std::vector<double> ref_conv(const Buffer& in, const std::vector<float>& oihw, const float* bias, int out_c,
                             const rt::Window& win, int groups) {
  const int oh = win.out_h(in.h), ow = win.out_w(in.w), group_in = in.c / groups, group_out = out_c / groups;
  std::vector<double> out;
  for (int img = 0; img < in.n; ++img)
    for (int y = 0; y < oh; ++y)
      for (int x = 0; x < ow; ++x)
        for (int co = 0; co < out_c; ++co) {
          double sum = bias != nullptr ? bias[co] : 0.0;
          const int c0 = co / group_out * group_in;  // the filter's group's first input channel
          for (int ky = 0; ky < win.kh; ++ky)
            for (int kx = 0; kx < win.kw; ++kx) {
              const int iy = y * win.stride_h + ky * win.dilation_h - win.pad_top;
              const int ix = x * win.stride_w + kx * win.dilation_w - win.pad_left;
              if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
              for (int ci = 0; ci < group_in; ++ci)
                sum += double(in.data[in.index(img, iy, ix, c0 + ci)]) *
                       oihw[((std::size_t(co) * group_in + ci) * win.kh + ky) * win.kw + kx];
            }
          out.push_back(sum);
        }
  return out;
}

std::vector<double> activated(std::vector<double> values, rt::Epilogue epilogue) {
  for (double& v : values) v = ref_activation(v, epilogue);
  return values;
}

double max_abs(const std::vector<double>& values) {
  double m = 0;
  for (double v : values) m = std::max(m, std::abs(v));
  return m;
}

const ConvPath kWinogradPath = [](const rt::ConvLayer& c, rt::ConstTensor in, rt::Tensor out, rt::Workspace& ws) {
  rt::detail::conv_winograd(c, in, out, ws, nullptr);
};
const ConvPath kIm2colPath = [](const rt::ConvLayer& c, rt::ConstTensor in, rt::Tensor out, rt::Workspace& ws) {
  rt::detail::conv_im2col(c, in, out, ws, nullptr);
};
const ConvPath kRowsPath = [](const rt::ConvLayer& c, rt::ConstTensor in, rt::Tensor out, rt::Workspace& ws) {
  rt::detail::conv_rows(c, in, out, ws, nullptr);
};

Buffer run_conv(const rt::ConvLayer& conv, const Buffer& in, int threads, ConvPath path) {
  constexpr float kCanary = -12345.f;
  Buffer out(in.n, conv.window.out_h(in.h), conv.window.out_w(in.w), conv.out_c, kCanary);
  const std::size_t need = rt::conv2d_scratch_floats(conv, in.h, in.w);
  rt::Workspace ws;
  ws.configure(threads, 2 * need + 64);
  for (int t = 0; t < threads; ++t) std::fill(ws.scratch(t), ws.scratch(t) + ws.scratch_floats(), kCanary);
  path(conv, in.view(), out.tensor(), ws);
  for (int t = 0; t < threads; ++t) {
    const float* scratch = ws.scratch(t);
    const float* end = scratch + ws.scratch_floats();
    const float* bad = std::find_if(scratch + need, end, [](float v) { return v != kCanary; });
    CHECK_MESSAGE(bad == end, "conv2d wrote past conv2d_scratch_floats = " << need << " at float " << bad - scratch
                                                                           << " of thread " << t << "'s scratch");
  }
  return out;
}

void check_identical(const Buffer& a, const Buffer& b) {
  REQUIRE(a.data.size() == b.data.size());
  std::size_t differ = 0, first = a.data.size();
  for (std::size_t i = 0; i < a.data.size(); ++i)
    if (std::memcmp(&a.data[i], &b.data[i], sizeof(float)) != 0 && differ++ == 0) first = i;
  CHECK_MESSAGE(differ == 0, differ << " of " << a.data.size() << " values differ, first at flat index " << first
                                    << ": " << (differ ? a.data[first] : 0.f) << " vs " << (differ ? b.data[first] : 0.f));
}

BatchNormParams::BatchNormParams(int channels, unsigned seed)
    : gamma(random_values(channels, seed, 0.5f, 1.5f)),
      beta(random_values(channels, seed + 1)),
      mean(random_values(channels, seed + 2)),
      var(random_values(channels, seed + 3, 0.1f, 2.f)) {}

double BatchNormParams::apply(double x, int ch) const {
  return (x - mean[ch]) / std::sqrt(double(var[ch]) + eps) * gamma[ch] + beta[ch];
}

TEST_CASE("first_mismatch names the position, value and target of the first difference") {
  Buffer got = random_buffer(2, 3, 4, 5, 950);
  const std::vector<double> want(got.data.begin(), got.data.end());
  CHECK_FALSE(first_mismatch(got, want, kExact).has_value());
  got.data[got.index(1, 2, 3, 4)] += 1e-3f;
  got.data[got.index(1, 2, 3, 1)] = std::nanf("");
  const std::optional<Mismatch> m = first_mismatch(got, want, Tolerance{1e-6, 1e-5});
  REQUIRE(m.has_value());
  CHECK(m->n == 1);
  CHECK(m->y == 2);
  CHECK(m->x == 3);
  CHECK(m->c == 1);
  CHECK(std::isnan(m->got));
  CHECK(m->want == doctest::Approx(want[got.index(1, 2, 3, 1)]));
  CHECK(m->count == 2);
  CHECK(m->max_abs_error == doctest::Approx(1e-3).epsilon(1e-3));
}

}  // namespace netc::test
