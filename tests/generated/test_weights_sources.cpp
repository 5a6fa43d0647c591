// Weights from anywhere: a file path, bytes copied into the runtime, bytes in the caller's memory (read in
// place, needed only while the constructor runs), and a weights file embedded in the model's library by
// netc_add_model(... WEIGHTS), 64-byte aligned. Each gives the same model as the file.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "embedded_digits.hpp"
#include "test_support.hpp"
#include "tiny.hpp"

extern "C" const unsigned char netc_weights_embedded_digits[];
extern "C" const unsigned long long netc_weights_embedded_digits_size;

namespace {

using netc::test::error_of;
using netc::test::random_input;
using netc::test::weights_of;

std::vector<unsigned char> file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A model's output for a fixed batch of 2.
template <class Model>
std::vector<float> outputs(Model& model) {
  const std::vector<float> input = random_input(2 * Model::kInputSize, 40);
  std::vector<float> output(2 * Model::kOutputSize);
  model.forward(input.data(), output.data(), 2);
  return output;
}

}  // namespace

TEST_CASE("weights copied from bytes or read in place from the caller's memory give the file's model") {
  Tiny from_file(weights_of("tiny"), 2);
  const std::vector<float> want = outputs(from_file);
  std::vector<unsigned char> bytes = file_bytes(weights_of("tiny"));
  Tiny copied(netc::rt::SafeTensors::from_bytes(bytes, "tiny bytes"), 2);
  CHECK(outputs(copied) == want);
  {
    std::vector<unsigned char> memory = bytes;
    Tiny in_place(netc::rt::SafeTensors::from_memory(memory.data(), memory.size(), "tiny memory"), 2);
    std::fill(memory.begin(), memory.end(), 0xff);  // the model no longer needs them
    memory = {};
    CHECK(outputs(in_place) == want);
  }
  std::vector<unsigned char> shifted(bytes.size() + 1);  // tensors 1 byte off alignment: read through copies
  std::memcpy(shifted.data() + 1, bytes.data(), bytes.size());
  Tiny unaligned(netc::rt::SafeTensors::from_memory(shifted.data() + 1, bytes.size(), "tiny unaligned"), 2);
  CHECK(outputs(unaligned) == want);
}

TEST_CASE("bad bytes in memory are a WeightsError naming them") {
  std::vector<unsigned char> bytes = file_bytes(weights_of("tiny"));
  bytes.resize(bytes.size() / 2);
  CHECK_THROWS_AS(Tiny(netc::rt::SafeTensors::from_memory(bytes.data(), bytes.size(), "half of tiny")),
                  netc::rt::WeightsError);
  CHECK(error_of([&] { netc::rt::SafeTensors::from_memory(bytes.data(), bytes.size(), "half of tiny"); }).rfind(
            "half of tiny: ", 0) == 0);
  CHECK(error_of([] { netc::rt::SafeTensors::from_memory(nullptr, 100, "nothing"); }) ==
        "nothing: the bytes are a null pointer");
}

TEST_CASE("weights embedded in the library are the file's bytes, aligned, and give the file's model") {
  const std::vector<unsigned char> file = file_bytes(NETC_DIGITS_WEIGHTS);
  REQUIRE(netc_weights_embedded_digits_size == file.size());
  CHECK(std::memcmp(netc_weights_embedded_digits, file.data(), file.size()) == 0);
  CHECK(reinterpret_cast<std::uintptr_t>(netc_weights_embedded_digits) % 64 == 0);
  EmbeddedDigits from_file(NETC_DIGITS_WEIGHTS, 2), embedded(EmbeddedDigits::embedded_weights(), 2);
  CHECK(outputs(embedded) == outputs(from_file));
}

TEST_CASE("a library without embedded weights says so") {
  CHECK(error_of([] { Tiny::embedded_weights(); }) ==
        "tiny: no weights are embedded in this library (netc_add_model(... WEIGHTS file.safetensors) embeds them)");
  CHECK_THROWS_AS(Tiny::embedded_weights(), netc::rt::WeightsError);
}
