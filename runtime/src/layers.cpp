// The public kernels besides convolution (runtime.hpp): dense layers (packing and the product), pooling,
// padding and the elementwise kernels, each a call to the active kernels (kernels/).
#include <algorithm>
#include <cmath>

#include "detail.hpp"

namespace netc::rt {
namespace {

/// pack_dense, telling source (if any) which of its rows it has finished with.
DenseLayer pack_dense_from(const float* out_in, const F32View* source, const float* bias, int out, int in,
                           Epilogue epilogue, int flatten_h, int flatten_w, int flatten_c) {
  DenseLayer dense{in, out, detail::packed_unfilled(in, out), {}, epilogue};
  detail::kernels().pack_dense(out_in, source, out, in, flatten_h, flatten_w, flatten_c, detail::span_of(dense.weights));
  if (bias != nullptr)
    dense.bias.assign(bias, bias + out);
  else
    dense.bias.assign(std::size_t(out), 0.f);
  return dense;
}

}  // namespace

DenseLayer pack_dense(const float* out_in, const float* bias, int out, int in, Epilogue epilogue, int flatten_h,
                      int flatten_w, int flatten_c) {
  return pack_dense_from(out_in, nullptr, bias, out, in, epilogue, flatten_h, flatten_w, flatten_c);
}

DenseLayer pack_dense(const F32View& out_in, const float* bias, int out, int in, Epilogue epilogue, int flatten_h,
                      int flatten_w, int flatten_c) {
  return pack_dense_from(out_in.data(), &out_in, bias, out, in, epilogue, flatten_h, flatten_w, flatten_c);
}

// out[n][o] = epilogue(bias[o] + sum_i in[n][i] * w[i][o]).
void dense(const DenseLayer& dense, ConstTensor in, Tensor out, Workspace& ws) {
  detail::kernels().dense(detail::args_of(dense), in, out, ws);
}

void max_pool(const Window& window, ConstTensor in, Tensor out) { detail::kernels().max_pool(window, in, out, nullptr); }
void max_pool(const Window& window, ConstTensor in, Tensor out, Workspace& ws) {
  detail::kernels().max_pool(window, in, out, &ws);
}
void avg_pool(const Window& window, ConstTensor in, Tensor out) { detail::kernels().avg_pool(window, in, out, nullptr); }
void avg_pool(const Window& window, ConstTensor in, Tensor out, Workspace& ws) {
  detail::kernels().avg_pool(window, in, out, &ws);
}
void global_avg_pool(ConstTensor in, Tensor out) { detail::kernels().global_avg_pool(in, out); }
void avg_pool_include_pad(const Window& window, ConstTensor in, Tensor out) {
  detail::kernels().avg_pool_include_pad(window, in, out, nullptr);
}
void avg_pool_include_pad(const Window& window, ConstTensor in, Tensor out, Workspace& ws) {
  detail::kernels().avg_pool_include_pad(window, in, out, &ws);
}
void global_max_pool(ConstTensor in, Tensor out) { detail::kernels().global_max_pool(in, out, nullptr); }
void global_max_pool(ConstTensor in, Tensor out, Workspace& ws) { detail::kernels().global_max_pool(in, out, &ws); }

void copy_channels(ConstTensor in, Tensor out, int channel_offset) {
  detail::kernels().copy_channels(in, out, channel_offset, nullptr);
}
void copy_channels(ConstTensor in, Tensor out, int channel_offset, Workspace& ws) {
  detail::kernels().copy_channels(in, out, channel_offset, &ws);
}
void upsample(Resize mode, ConstTensor in, Tensor out) { detail::kernels().upsample(mode, in, out, nullptr); }
void upsample(Resize mode, ConstTensor in, Tensor out, Workspace& ws) {
  detail::kernels().upsample(mode, in, out, &ws);
}
void zero_pad(ConstTensor in, Tensor out, int top, int /*bottom*/, int left, int /*right*/) {
  detail::kernels().zero_pad(in, out, top, left, nullptr);
}
void zero_pad(ConstTensor in, Tensor out, int top, int /*bottom*/, int left, int /*right*/, Workspace& ws) {
  detail::kernels().zero_pad(in, out, top, left, &ws);
}

// Inference batch norm (Ioffe & Szegedy 2015): scale = gamma / sqrt(var + eps), shift = beta - mean * scale.
ChannelAffine batch_norm_affine(const float* gamma, const float* beta, const float* mean, const float* var, float eps,
                                int channels, Epilogue epilogue) {
  ChannelAffine affine{std::vector<float>(std::size_t(channels)), std::vector<float>(std::size_t(channels)), epilogue};
  for (int c = 0; c < channels; ++c) {
    const double scale = double(gamma[c]) / std::sqrt(double(var[c]) + double(eps));
    affine.scale[c] = float(scale);
    affine.shift[c] = float(double(beta[c]) - double(mean[c]) * scale);
  }
  return affine;
}

void flattened_to_channels_last(ChannelAffine& affine, int height, int width, int channels) {
  auto reorder = [&](std::vector<float>& chw) {
    std::vector<float> hwc(chw.size());
    for (int c = 0; c < channels; ++c)
      for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
          hwc[(std::size_t(y) * width + x) * channels + c] = chw[(std::size_t(c) * height + y) * width + x];
    chw = std::move(hwc);
  };
  reorder(affine.scale);
  reorder(affine.shift);
}

void channel_affine(const ChannelAffine& affine, ConstTensor in, Tensor out) {
  detail::kernels().channel_affine({affine.scale.data(), affine.shift.data(), affine.epilogue}, in, out, nullptr);
}
void channel_affine(const ChannelAffine& affine, ConstTensor in, Tensor out, Workspace& ws) {
  detail::kernels().channel_affine({affine.scale.data(), affine.shift.data(), affine.epilogue}, in, out, &ws);
}

void add(ConstTensor a, ConstTensor b, Tensor out, Epilogue epilogue) { detail::kernels().add(a, b, out, epilogue, nullptr); }
void add(ConstTensor a, ConstTensor b, Tensor out, Epilogue epilogue, Workspace& ws) {
  detail::kernels().add(a, b, out, epilogue, &ws);
}

void activate(ConstTensor in, Tensor out, Epilogue epilogue) { detail::kernels().activate(in, out, epilogue, nullptr); }
void activate(ConstTensor in, Tensor out, Epilogue epilogue, Workspace& ws) {
  detail::kernels().activate(in, out, epilogue, &ws);
}

void copy(ConstTensor in, Tensor out) { std::copy(in.data, in.data + in.size(), out.data); }

void reverse_channels(ConstTensor in, Tensor out) {
  const std::size_t pixels = in.size() / static_cast<std::size_t>(in.c);
  for (std::size_t p = 0; p < pixels; ++p) {
    const float* from = in.data + p * static_cast<std::size_t>(in.c);
    std::reverse_copy(from, from + in.c, out.data + p * static_cast<std::size_t>(in.c));
  }
}

}  // namespace netc::rt
