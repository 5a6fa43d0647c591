// Loading layers from a weights file in one call (load_conv, load_depthwise, load_dense, load_batch_norm and
// fold_batch_norm by keys): the same packed layers as the pack_ functions given the same values, gamma and beta
// made constant where a batch norm has none, every tensor recorded as used, and errors naming the tensor.
#include <doctest/doctest.h>

#include "netc/runtime.hpp"
#include "test_safetensors_support.hpp"

namespace netc::test::st {
namespace {

/// `count` values, not round, that start from `seed` (so that each tensor differs from the others).
std::vector<float> values(std::size_t count, float seed) {
  std::vector<float> v(count);
  for (std::size_t i = 0; i < count; ++i) v[i] = seed + 0.37f * float(i % 29) - 0.011f * float(i % 7);
  return v;
}

/// A batch norm's tensors under key (gamma and beta only when asked), each of c positive-variance values.
void add_batch_norm(std::vector<rt::NamedTensor>& tensors, const std::string& key, int c, bool scale, bool center) {
  if (scale) tensors.push_back({key + ".weight", {c}, values(std::size_t(c), 0.5f)});
  if (center) tensors.push_back({key + ".bias", {c}, values(std::size_t(c), -0.3f)});
  tensors.push_back({key + ".running_mean", {c}, values(std::size_t(c), 0.1f)});
  tensors.push_back({key + ".running_var", {c}, values(std::size_t(c), 0.2f)});
}

/// The tensor called name among tensors.
const std::vector<float>& data_of(const std::vector<rt::NamedTensor>& tensors, const std::string& name) {
  for (const rt::NamedTensor& t : tensors)
    if (t.name == name) return t.data;
  throw std::logic_error("no tensor " + name);
}

TEST_CASE("load: a convolution and its batch norm by keys pack what pack_conv and fold_batch_norm pack") {
  TempDir dir;
  const int out_c = 6, in_c = 4, groups = 2;
  const rt::Window window{3, 3, 2, 1, 1, 1, 0, 1};
  for (bool scale : {true, false})
    for (bool center : {true, false}) {
      CAPTURE(scale);
      CAPTURE(center);
      std::vector<rt::NamedTensor> tensors{{"c.weight", {out_c, in_c / groups, 3, 3}, values(6 * 2 * 9, -1.f)},
                                           {"c.bias", {out_c}, values(6, 0.25f)}};
      add_batch_norm(tensors, "bn", out_c, scale, center);
      rt::write_safetensors(dir.file("conv.safetensors"), tensors);
      const rt::SafeTensors file = rt::SafeTensors::open(dir.file("conv.safetensors"));

      rt::ConvLayer loaded = rt::load_conv(file, "c", true, out_c, in_c, window, {rt::Activation::Relu}, groups);
      rt::fold_batch_norm(loaded, file, {"bn", 1e-3f, scale, center});
      rt::ConvLayer packed = rt::pack_conv(data_of(tensors, "c.weight").data(), data_of(tensors, "c.bias").data(),
                                           out_c, in_c, window, {rt::Activation::Relu}, groups);
      const std::vector<float> ones(out_c, 1.f), zeros(out_c, 0.f);
      rt::fold_batch_norm(packed, scale ? data_of(tensors, "bn.weight").data() : ones.data(),
                          center ? data_of(tensors, "bn.bias").data() : zeros.data(),
                          data_of(tensors, "bn.running_mean").data(), data_of(tensors, "bn.running_var").data(), 1e-3f);
      CHECK(loaded.weights.data == packed.weights.data);
      CHECK(loaded.bias == packed.bias);
      CHECK(loaded.groups == groups);
      CHECK(loaded.epilogue.activation == rt::Activation::Relu);
      CHECK_NOTHROW(file.check_all_used());  // every tensor read, gamma and beta only where present
    }
}

TEST_CASE("load: a convolution without a bias reads no bias, and one that needs it names it") {
  TempDir dir;
  const rt::Window window{1, 1, 1, 1, 0, 0, 0, 0};
  rt::write_safetensors(dir.file("w.safetensors"), {{"conv1.weight", {3, 2, 1, 1}, values(6, 1.f)}});
  const rt::SafeTensors file = rt::SafeTensors::open(dir.file("w.safetensors"));
  const rt::ConvLayer conv = rt::load_conv(file, "conv1", false, 3, 2, window, {});
  CHECK(conv.bias == std::vector<float>(3, 0.f));
  const std::string prefix = dir.file("w.safetensors") + ": ";
  CHECK_THROWS_WITH_AS(rt::load_conv(file, "conv1", true, 3, 2, window, {}),
                       (prefix + "no tensor 'conv1.bias' (the file has 1 tensor; closest name: 'conv1.weight')").c_str(),
                       rt::WeightsError);
  CHECK_THROWS_WITH_AS(rt::load_conv(file, "conv1", false, 3, 2, {3, 3, 1, 1, 1, 1, 1, 1}, {}),
                       (prefix + "tensor 'conv1.weight': shape [3, 2, 3, 3] expected, found [3, 2, 1, 1]").c_str(),
                       rt::WeightsError);
  rt::ConvLayer folded = conv;
  CHECK_THROWS_WITH_AS(rt::fold_batch_norm(folded, file, {"bn1", 1e-3f, false, false}),
                       (prefix + "no tensor 'bn1.running_mean' (the file has 1 tensor; closest name: 'conv1.weight')")
                           .c_str(),
                       rt::WeightsError);
}

TEST_CASE("load: depthwise, standalone batch norm and dense layers by keys equal their pack_ forms") {
  TempDir dir;
  const int channels = 5, multiplier = 2, out = channels * multiplier, units = 3, h = 2, w = 2;
  const rt::Window window{3, 3, 1, 1, 1, 1, 1, 1};
  std::vector<rt::NamedTensor> tensors{{"dw.weight", {out, 1, 3, 3}, values(std::size_t(out) * 9, 0.5f)},
                                       {"fc.weight", {units, h * w * channels}, values(std::size_t(units) * 20, -2.f)},
                                       {"fc.bias", {units}, values(units, 1.f)}};
  add_batch_norm(tensors, "dw_bn", out, true, false);
  add_batch_norm(tensors, "bn", channels, false, true);
  rt::write_safetensors(dir.file("w.safetensors"), tensors);
  const rt::SafeTensors file = rt::SafeTensors::open(dir.file("w.safetensors"));

  rt::DepthwiseLayer dw = rt::load_depthwise(file, "dw", false, channels, multiplier, window, {rt::Activation::Relu6});
  rt::fold_batch_norm(dw, file, {"dw_bn", 1e-5f, true, false});
  rt::DepthwiseLayer dw_packed = rt::pack_depthwise(data_of(tensors, "dw.weight").data(), nullptr, channels, multiplier,
                                                    window, {rt::Activation::Relu6});
  const std::vector<float> zeros(out, 0.f), ones(channels, 1.f);
  rt::fold_batch_norm(dw_packed, data_of(tensors, "dw_bn.weight").data(), zeros.data(),
                      data_of(tensors, "dw_bn.running_mean").data(), data_of(tensors, "dw_bn.running_var").data(), 1e-5f);
  CHECK(dw.weights == dw_packed.weights);
  CHECK(dw.bias == dw_packed.bias);

  const rt::ChannelAffine affine = rt::load_batch_norm(file, {"bn", 1e-3f, false, true}, channels, {});
  const rt::ChannelAffine affine_packed =
      rt::batch_norm_affine(ones.data(), data_of(tensors, "bn.bias").data(), data_of(tensors, "bn.running_mean").data(),
                            data_of(tensors, "bn.running_var").data(), 1e-3f, channels, {});
  CHECK(affine.scale == affine_packed.scale);
  CHECK(affine.shift == affine_packed.shift);

  const rt::DenseLayer dense = rt::load_dense(file, "fc", true, units, h * w * channels, {}, h, w, channels);
  const rt::DenseLayer dense_packed = rt::pack_dense(data_of(tensors, "fc.weight").data(), data_of(tensors, "fc.bias").data(),
                                                     units, h * w * channels, {}, h, w, channels);
  CHECK(dense.weights.data == dense_packed.weights.data);
  CHECK(dense.bias == dense_packed.bias);
  CHECK_NOTHROW(file.check_all_used());
}

}  // namespace
}  // namespace netc::test::st
