// Shared pieces of the kernel tests: NHWC buffers, seeded random data, naive references used by several
// kernels, and the comparison that names the first mismatching position.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "netc/runtime.hpp"

namespace netc::test {

/// An NHWC float array that owns its data, for kernel inputs and outputs.
struct Buffer {
  int n = 0, h = 0, w = 0, c = 0;
  std::vector<float> data;
  Buffer(int n_, int h_, int w_, int c_, float fill = 0.f);
  rt::Tensor tensor() { return {data.data(), n, h, w, c}; }
  rt::ConstTensor view() const { return {data.data(), n, h, w, c}; }
  std::size_t index(int img, int y, int x, int ch) const { return ((std::size_t(img) * h + y) * w + x) * c + ch; }
};

/// count values uniform in [lo, hi] from std::mt19937(seed): every test names its own seed.
std::vector<float> random_values(std::size_t count, unsigned seed, float lo = -1.f, float hi = 1.f);
/// A buffer filled by random_values.
Buffer random_buffer(int n, int h, int w, int c, unsigned seed, float lo = -1.f, float hi = 1.f);

/// A value passes when |got - want| <= atol + rtol * |want| (NaN never passes).
struct Tolerance {
  double atol = 0, rtol = 0;
};
constexpr Tolerance kExact{0.0, 0.0};

/// The first value outside the tolerance, and how many there are.
struct Mismatch {
  int n, y, x, c;
  double got, want;
  std::size_t count;
  double max_abs_error;
};
/// Compares got with want (want in got's NHWC order); nullopt when every value is within tolerance.
std::optional<Mismatch> first_mismatch(const Buffer& got, const std::vector<double>& want, Tolerance tol);
/// A doctest CHECK that got matches want; on failure it names the position (n,y,x,c), the value and the target.
void check_close(const Buffer& got, const std::vector<double>& want, Tolerance tol);

/// The epilogue's activation in double: relu, leaky relu (alpha), 1 / (1 + e^-x), tanh.
double ref_activation(double x, rt::Epilogue epilogue);

/// Direct convolution in double from PyTorch OIHW weights ([out_c][in.c / groups][kh][kw]), out-of-range
/// inputs read as 0, taps win.dilation apart, filter co reading its group's input channels (no epilogue).
std::vector<double> ref_conv(const Buffer& in, const std::vector<float>& oihw, const float* bias, int out_c,
                             const rt::Window& win, int groups = 1);
/// values with the epilogue's activation applied.
std::vector<double> activated(std::vector<double> values, rt::Epilogue epilogue);
/// The largest |value|.
double max_abs(const std::vector<double>& values);

/// Runs conv2d on `threads` threads, each with conv2d_scratch_floats of scratch followed by a canary tail
/// (as long as the scratch itself, plus 64 floats) that must stay intact, so an overrun is reported instead
/// of corrupting the heap.
/// `path` is conv2d or one of its paths (kWinogradPath, kIm2colPath, kRowsPath).
using ConvPath = void (*)(const rt::ConvLayer&, rt::ConstTensor, rt::Tensor, rt::Workspace&);
/// conv2d's Winograd, im2col and row paths, whatever conv2d would choose.
extern const ConvPath kWinogradPath, kIm2colPath, kRowsPath;
Buffer run_conv(const rt::ConvLayer& conv, const Buffer& in, int threads = 1, ConvPath path = &rt::conv2d);
/// A doctest CHECK that two buffers hold the same bits (the same float values, NaNs included).
void check_identical(const Buffer& a, const Buffer& b);

/// Batch norm statistics for `channels` channels: gamma in [0.5, 1.5], beta and mean in [-1, 1], var in [0.1, 2].
struct BatchNormParams {
  std::vector<float> gamma, beta, mean, var;
  float eps = 1e-3f;
  BatchNormParams(int channels, unsigned seed);
  /// (x - mean) / sqrt(var + eps) * gamma + beta for channel ch, in double.
  double apply(double x, int ch) const;
};

}  // namespace netc::test
