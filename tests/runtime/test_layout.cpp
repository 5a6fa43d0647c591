// nchw_to_nhwc and nhwc_to_nchw (model.hpp): PyTorch's layout to netc's and back, element by element against
// the index formulas, on odd sizes; bad arguments are errors.
#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "netc/model.hpp"

TEST_CASE("nchw_to_nhwc puts channel c of pixel (y, x) of image i where netc reads it, and back") {
  const int n = 2, c = 3, h = 5, w = 7;
  std::vector<float> nchw(std::size_t(n) * c * h * w), nhwc(nchw.size(), -1.f), back(nchw.size(), -1.f);
  for (std::size_t i = 0; i < nchw.size(); ++i) nchw[i] = float(i);
  netc::rt::nchw_to_nhwc(nchw.data(), nhwc.data(), n, c, h, w);
  for (int i = 0; i < n; ++i)
    for (int ch = 0; ch < c; ++ch)
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
          CAPTURE(i);
          CAPTURE(ch);
          CAPTURE(y);
          CAPTURE(x);
          CHECK(nhwc[((std::size_t(i) * h + y) * w + x) * c + ch] == nchw[((std::size_t(i) * c + ch) * h + y) * w + x]);
        }
  netc::rt::nhwc_to_nchw(nhwc.data(), back.data(), n, c, h, w);
  CHECK(back == nchw);
}

TEST_CASE("a single channel or a single pixel is a plain copy") {
  const std::vector<float> values{1, 2, 3, 4, 5, 6};
  std::vector<float> out(6);
  netc::rt::nchw_to_nhwc(values.data(), out.data(), 2, 1, 3, 1);
  CHECK(out == values);
  netc::rt::nchw_to_nhwc(values.data(), out.data(), 1, 6, 1, 1);
  CHECK(out == values);
}

TEST_CASE("layout conversions reject null buffers and negative sizes") {
  std::vector<float> a(4), b(4);
  CHECK_THROWS_WITH_AS(netc::rt::nchw_to_nhwc(nullptr, b.data(), 1, 1, 2, 2),
                       "layout conversion: a buffer is a null pointer", std::invalid_argument);
  CHECK_THROWS_WITH_AS(netc::rt::nhwc_to_nchw(a.data(), nullptr, 1, 1, 2, 2),
                       "layout conversion: a buffer is a null pointer", std::invalid_argument);
  CHECK_THROWS_WITH_AS(netc::rt::nchw_to_nhwc(a.data(), b.data(), 1, -1, 2, 2),
                       "layout conversion: negative size 1x-1x2x2", std::invalid_argument);
  netc::rt::nchw_to_nhwc(a.data(), b.data(), 0, 1, 2, 2);  // an empty batch does nothing
}
