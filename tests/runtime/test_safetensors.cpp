// The safetensors writer and reader together: round trips, the golden file (also written by the Python tool),
// read_f32's checks, the record of used tensors, and files that cannot be opened or written.
#include <cmath>
#include <limits>

#include <doctest/doctest.h>

#include "netc/runtime.hpp"
#include "test_safetensors_support.hpp"

namespace netc::test::st {
namespace {

const std::string kPrefix = kName + ": ";
const std::string kMissingDir = "/nonexistent-netc-test-dir/w.safetensors";

/// The tensors of data/golden_f32.safetensors; tests/runtime/check_safetensors_py.py writes the same ones.
const std::vector<rt::NamedTensor> kGolden = {
    {"conv.weight", {2, 1, 1, 3}, {-1.5f, 0.25f, 3.f, 0.f, -0.f, 1024.f}},
    {"conv.bias", {2}, {0.5f, -2.f}},
    {"scale", {}, {7.75f}},
    {"empty", {0, 4}, {}},
};
const std::map<std::string, std::string> kGoldenMetadata = {{"format", "pt"}, {"source", "netc golden"}};

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

TEST_CASE("safetensors: write then open gives back the tensors, their order and the metadata") {
  TempDir dir;
  std::vector<rt::NamedTensor> tensors = {{"z.weight", {3, 2}, {}}, {"a.bias", {5}, {}}, {"caf\xc3\xa9", {1}, {42.f}}};
  for (std::size_t i = 0; i < 6; ++i) tensors[0].data.push_back(std::sin(float(i)) * 100.f);
  for (std::size_t i = 0; i < 5; ++i) tensors[1].data.push_back(-1e-30f * float(i));
  rt::write_safetensors(dir.file("w.safetensors"), tensors, {{"netc.input", "3x224x224"}});

  const rt::SafeTensors file = rt::SafeTensors::open(dir.file("w.safetensors"));
  REQUIRE(file.tensors().size() == 3);
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    CHECK(file.tensors()[i].name == tensors[i].name);  // data in the given order
    CHECK(file.read_f32(tensors[i].name, tensors[i].shape) == tensors[i].data);
  }
  CHECK(file.metadata() == std::map<std::string, std::string>{{"netc.input", "3x224x224"}});
  CHECK_NOTHROW(file.check_all_used());

  const std::vector<unsigned char> bytes = read_file(dir.file("w.safetensors"));
  std::uint64_t header_length = 0;
  for (int i = 7; i >= 0; --i) header_length = header_length << 8 | bytes[std::size_t(i)];
  CHECK((8 + header_length) % 8 == 0);  // the data starts 8-byte aligned
  const std::string header(bytes.begin() + 8, bytes.begin() + 8 + std::ptrdiff_t(header_length));
  const std::size_t close = header.rfind('}');
  CHECK(header.size() - close - 1 < 8);  // padded with fewer than 8 spaces
  CHECK(header.find_first_not_of(' ', close + 1) == std::string::npos);
  rt::write_safetensors(dir.file("again.safetensors"), tensors, {{"netc.input", "3x224x224"}});
  CHECK(read_file(dir.file("again.safetensors")) == bytes);
}

TEST_CASE("safetensors: the writer's bytes equal the golden file, which reads back") {
  const std::string golden = std::string(NETC_TEST_DATA_DIR) + "/golden_f32.safetensors";
  TempDir dir;
  rt::write_safetensors(dir.file("golden.safetensors"), kGolden, kGoldenMetadata);
  CHECK(read_file(dir.file("golden.safetensors")) == read_file(golden));

  const rt::SafeTensors file = rt::SafeTensors::open(golden);
  CHECK(file.metadata() == kGoldenMetadata);
  for (const rt::NamedTensor& t : kGolden) CHECK(file.read_f32(t.name, t.shape) == t.data);
  CHECK(std::signbit(file.read_f32("conv.weight", {2, 1, 1, 3})[4]));  // -0 keeps its sign
}

TEST_CASE("safetensors: values made while writing, a chunk at a time, give the bytes of values given whole") {
  TempDir dir;
  std::vector<rt::TensorShape> shapes;
  for (const rt::NamedTensor& t : kGolden) shapes.push_back({t.name, t.shape});
  std::vector<std::pair<std::size_t, std::uint64_t>> calls;
  rt::write_safetensors(dir.file("made.safetensors"), shapes, [&](std::size_t i, std::uint64_t first, float* out,
                                                                    std::size_t count) {
    calls.emplace_back(i, first);
    std::copy_n(kGolden[i].data.begin() + static_cast<std::ptrdiff_t>(first), count, out);
  }, kGoldenMetadata);
  CHECK(read_file(dir.file("made.safetensors")) == read_file(std::string(NETC_TEST_DATA_DIR) + "/golden_f32.safetensors"));
  CHECK(calls == std::vector<std::pair<std::size_t, std::uint64_t>>{{0, 0}, {1, 0}, {2, 0}});  // none for the empty one
  // 3 Mi + 5 values: four chunks of at most 1 Mi, in order.
  calls.clear();
  rt::write_safetensors(dir.file("big.safetensors"), {{"big", {3 * (1 << 20) + 5}}},
                        [&](std::size_t i, std::uint64_t first, float* out, std::size_t count) {
                          calls.emplace_back(i, first);
                          for (std::size_t k = 0; k < count; ++k) out[k] = static_cast<float>(first + k);
                        });
  CHECK(calls == std::vector<std::pair<std::size_t, std::uint64_t>>{{0, 0}, {0, 1 << 20}, {0, 2 << 20}, {0, 3 << 20}});
  const std::vector<float> values = rt::SafeTensors::open(dir.file("big.safetensors")).read_f32("big", {3 * (1 << 20) + 5});
  CHECK(values[3 << 20] == static_cast<float>(3 << 20));
  CHECK(values.back() == static_cast<float>(3 * (1 << 20) + 4));
  CHECK_THROWS_WITH_AS(rt::write_safetensors(dir.file("bad.safetensors"), std::vector<rt::TensorShape>{{"a", {2, -1}}},
                                             rt::TensorValues{}),
                       (dir.file("bad.safetensors") + ": tensor 'a': shape [2, -1] has a negative dimension or more "
                                                      "elements than 64 bits count").c_str(),
                       rt::WeightsError);
  CHECK_THROWS_WITH_AS(rt::write_safetensors(dir.file("bad.safetensors"),
                                             std::vector<rt::TensorShape>{{"a", {1ll << 62, 2}}}, rt::TensorValues{}),
                       (dir.file("bad.safetensors") + ": tensor 'a': the tensors' bytes up to it pass 2^64").c_str(),
                       rt::WeightsError);
}

TEST_CASE("safetensors: read_f32 rejects another dtype") {
  const rt::SafeTensors file = parse("{" + entry("h", "F16", "[2]", 0, 4) + "}", std::vector<unsigned char>(4));
  CHECK_THROWS_WITH_AS(file.read_f32("h", {2}), (kPrefix + "tensor 'h': dtype F16, expected F32").c_str(),
                       rt::WeightsError);
}

TEST_CASE("safetensors: read_f32 rejects another shape") {
  const rt::SafeTensors file =
      parse("{" + entry("conv1.weight", "F32", "[64,3,3,3]", 0, 6912) + "}", std::vector<unsigned char>(6912));
  CHECK_THROWS_WITH_AS(
      file.read_f32("conv1.weight", {64, 3, 7, 7}),
      (kPrefix + "tensor 'conv1.weight': shape [64, 3, 7, 7] expected, found [64, 3, 3, 3]").c_str(),
      rt::WeightsError);
  CHECK_THROWS_WITH_AS(file.read_f32("conv1.weight", {64, 27}),
                       (kPrefix + "tensor 'conv1.weight': shape [64, 27] expected, found [64, 3, 3, 3]").c_str(),
                       rt::WeightsError);
  CHECK(file.read_f32("conv1.weight", {64, 3, 3, 3}).size() == 1728);
}

TEST_CASE("safetensors: a missing tensor is named with the closest name in the file") {
  const rt::SafeTensors file = parse("{" + entry("conv1.weight", "F32", "[1]", 0, 4) + "," +
                                     entry("fc.bias", "F32", "[1]", 4, 8) + "}",
                                     f32_bytes({1, 2}));
  CHECK(file.find("fc.bias") != nullptr);
  CHECK(file.find("fc.weight") == nullptr);
  CHECK_THROWS_WITH_AS(
      file.read_f32("conv1.weights", {1}),
      (kPrefix + "no tensor 'conv1.weights' (the file has 2 tensors; closest name: 'conv1.weight')").c_str(),
      rt::WeightsError);
  CHECK_THROWS_WITH_AS(file.read_f32("module.fc.bias", {1}),
                       (kPrefix + "no tensor 'module.fc.bias' (the file has 2 tensors; closest name: 'fc.bias')")
                           .c_str(),
                       rt::WeightsError);
  CHECK_THROWS_WITH_AS(parse("{}").read_f32("fc.bias", {1}),
                       (kPrefix + "no tensor 'fc.bias' (the file has no tensors)").c_str(), rt::WeightsError);
}

TEST_CASE("safetensors: NaN and infinite weights are rejected, naming the first bad element") {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  const std::string header = "{" + entry("bn.weight", "F32", "[2,3]", 0, 24) + "}";
  const std::string t = kPrefix + "tensor 'bn.weight': element ";
  const std::string policy = ", expected a finite value (non-finite weights are rejected)";
  CHECK_THROWS_WITH_AS(parse(header, f32_bytes({1, 2, 3, 4, nan, inf})).read_f32("bn.weight", {2, 3}),
                       (t + "4 (index [1, 1]) is NaN" + policy).c_str(), rt::WeightsError);
  CHECK_THROWS_WITH_AS(parse(header, f32_bytes({inf, 2, 3, 4, 5, 6})).read_f32("bn.weight", {2, 3}),
                       (t + "0 (index [0, 0]) is inf" + policy).c_str(), rt::WeightsError);
  CHECK_THROWS_WITH_AS(parse(header, f32_bytes({1, 2, -inf, 4, 5, 6})).read_f32("bn.weight", {2, 3}),
                       (t + "2 (index [0, 2]) is -inf" + policy).c_str(), rt::WeightsError);
  CHECK(parse(header, f32_bytes({1, 2, 3, 4, 5, std::numeric_limits<float>::max()}))
            .read_f32("bn.weight", {2, 3})[5] == std::numeric_limits<float>::max());
}

TEST_CASE("safetensors: data that starts at an odd offset reads correctly") {
  std::string header = "{" + entry("a", "F32", "[3]", 0, 12) + "}";
  while ((8 + header.size()) % 4 != 1) header += ' ';  // the floats start 1 byte past a 4-byte boundary
  CHECK(parse(header, f32_bytes({1.5f, -2.f, 3.25f})).read_f32("a", {3}) == std::vector<float>{1.5f, -2.f, 3.25f});
}

/// The values of a view, copied out.
static std::vector<float> values(const rt::F32View& view) { return {view.data(), view.data() + view.size()}; }

TEST_CASE("safetensors: view_f32 gives read_f32's values and errors, in place or copied") {
  const rt::SafeTensors file = rt::SafeTensors::open(std::string(NETC_TEST_DATA_DIR) + "/golden_f32.safetensors");
  for (const rt::NamedTensor& t : kGolden) {
    CHECK(values(file.view_f32(t.name, t.shape)) == t.data);  // in the mapping; its pages released after
    CHECK(values(file.view_f32(t.name, t.shape)) == t.data);  // and mapped in again
    CHECK(file.read_f32(t.name, t.shape) == t.data);
  }
  std::string header = "{" + entry("a", "F32", "[3]", 0, 12) + "}";
  while ((8 + header.size()) % 4 != 2) header += ' ';  // unaligned floats: a copy
  CHECK(values(parse(header, f32_bytes({1.5f, -2.f, 3.25f})).view_f32("a", {3})) == std::vector<float>{1.5f, -2.f, 3.25f});
  const std::string nan_header = "{" + entry("bn.weight", "F32", "[2]", 0, 8) + "}";
  CHECK_THROWS_WITH_AS(parse(nan_header, f32_bytes({1, std::numeric_limits<float>::quiet_NaN()})).view_f32("bn.weight", {2}),
                       (kPrefix + "tensor 'bn.weight': element 1 (index [1]) is NaN, expected a finite value "
                                  "(non-finite weights are rejected)").c_str(),
                       rt::WeightsError);
  CHECK_THROWS_WITH_AS(parse(nan_header, f32_bytes({1, 2})).view_f32("bn.weight", {3}),
                       (kPrefix + "tensor 'bn.weight': shape [3] expected, found [2]").c_str(), rt::WeightsError);
}

TEST_CASE("safetensors: pack_dense from a mapped view, releasing it panel by panel, packs what the values pack") {
  TempDir dir;
  const int out = 70, h = 3, w = 5, c = 700;  // rows of 10,500 floats: panels of over a page; a part panel
  std::vector<float> weights(std::size_t(out) * h * w * c);
  for (std::size_t i = 0; i < weights.size(); ++i) weights[i] = float(i % 977) * 0.25f - 100.f;
  rt::write_safetensors(dir.file("dense.safetensors"), {{"fc.weight", {out, h * w * c}, weights}});
  const rt::SafeTensors file = rt::SafeTensors::open(dir.file("dense.safetensors"));
  for (int flatten : {0, 1}) {
    const rt::DenseLayer from_values =
        rt::pack_dense(weights.data(), nullptr, out, h * w * c, {}, flatten * h, flatten * w, flatten * c);
    const rt::DenseLayer from_view = rt::pack_dense(file.view_f32("fc.weight", {out, h * w * c}), nullptr, out,
                                                    h * w * c, {}, flatten * h, flatten * w, flatten * c);
    CHECK(from_view.weights.data == from_values.weights.data);
  }
  CHECK(file.read_f32("fc.weight", {out, h * w * c}) == weights);  // the released pages map in again
}

TEST_CASE("safetensors: check_all_used names every tensor nothing read") {
  const std::string header = "{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 4, 8) + "," +
                             entry("c", "F32", "[1]", 8, 12) + "," +
                             entry("bn.num_batches_tracked", "I64", "[]", 12, 20) +
                             "}";
  const rt::SafeTensors file = parse(header, std::vector<unsigned char>(20));
  auto bookkeeping = [](std::string_view name) { return ends_with(name, ".num_batches_tracked"); };
  file.read_f32("b", {1});
  CHECK_THROWS_WITH_AS(file.check_all_used(bookkeeping),
                       (kPrefix + "2 tensors were never read (expected the model to use every tensor): 'a', 'c'")
                           .c_str(),
                       rt::WeightsError);
  file.read_f32("a", {1});
  CHECK_THROWS_WITH_AS(file.check_all_used(),
                       (kPrefix + "2 tensors were never read (expected the model to use every tensor): 'c', "
                                  "'bn.num_batches_tracked'")
                           .c_str(),
                       rt::WeightsError);
  CHECK_THROWS_WITH_AS(file.check_all_used(bookkeeping),
                       (kPrefix + "1 tensor was never read (expected the model to use every tensor): 'c'").c_str(),
                       rt::WeightsError);
  file.mark_used("c");
  CHECK_NOTHROW(file.check_all_used(bookkeeping));
  CHECK_THROWS_WITH_AS(file.mark_used("d"),
                       (kPrefix + "no tensor 'd' (the file has 4 tensors; closest name: 'a')").c_str(),
                       rt::WeightsError);
  const rt::SafeTensors copy = parse(header, std::vector<unsigned char>(20));
  CHECK_THROWS_AS(copy.check_all_used(bookkeeping), rt::WeightsError);  // use is recorded per object
}

TEST_CASE("safetensors: files that cannot be opened") {
  CHECK_THROWS_WITH_AS(rt::SafeTensors::open(kMissingDir),
                       (kMissingDir + ": cannot open: No such file or directory").c_str(), rt::WeightsError);
  TempDir dir;
  CHECK_THROWS_WITH_AS(rt::SafeTensors::open(dir.path.string()),
                       (dir.path.string() + ": is a directory, expected a safetensors file (a regular file)").c_str(),
                       rt::WeightsError);
  std::ofstream(dir.file("empty.safetensors")).close();
  CHECK_THROWS_WITH_AS(rt::SafeTensors::open(dir.file("empty.safetensors")),
                       (dir.file("empty.safetensors") + ": file is 0 bytes, expected at least 8 (the header length)")
                           .c_str(),
                       rt::WeightsError);
}

TEST_CASE("safetensors: paths that cannot be written") {
  CHECK_THROWS_WITH_AS(rt::write_safetensors(kMissingDir, kGolden),
                       (kMissingDir + ": cannot write: No such file or directory").c_str(), rt::WeightsError);
  TempDir dir;
  CHECK_THROWS_WITH_AS(rt::write_safetensors(dir.path.string(), kGolden),
                       (dir.path.string() + ": cannot write: Is a directory").c_str(), rt::WeightsError);
}

TEST_CASE("safetensors: the writer rejects tensors it cannot describe") {
  TempDir dir;
  const std::string path = dir.file("w.safetensors");
  auto write_error = [&path](const std::vector<rt::NamedTensor>& tensors) {
    try {
      rt::write_safetensors(path, tensors);
    } catch (const rt::WeightsError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(write_error({{"a", {1}, {1.f}}, {"a", {1}, {2.f}}}) ==
        path + ": tensor 'a' appears twice, expected unique names");
  CHECK(write_error({{"a", {2, 3}, {1.f}}}) ==
        path + ": tensor 'a': shape [2, 3] does not hold its 1 values (expected non-negative dimensions whose "
               "product is the count)");
  CHECK(write_error({{"a", {-1, -1}, {1.f}}}) ==
        path + ": tensor 'a': shape [-1, -1] does not hold its 1 values (expected non-negative dimensions whose "
               "product is the count)");
  CHECK(write_error({{"a", {1ll << 40, 1ll << 40}, {}}}) ==
        path + ": tensor 'a': shape [1099511627776, 1099511627776] does not hold its 0 values (expected "
               "non-negative dimensions whose product is the count)");
  CHECK(write_error({{"__metadata__", {}, {1.f}}}) ==
        path + ": a tensor cannot be called '__metadata__', the header's metadata key");
  const std::string utf8_error = write_error({{"bad\xff", {}, {1.f}}});
  CHECK(utf8_error.rfind(path + ": a tensor name or metadata string is not valid UTF-8 (", 0) == 0);
  CHECK(write_error({{"a", {0, 1ll << 40}, {}}}) == "");
}

}  // namespace
}  // namespace netc::test::st
