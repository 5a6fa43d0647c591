// The safetensors reader against hostile files: headers nested far deeper than a header goes, floods of
// empty arrays. Each must end at once in a WeightsError with its exact message.

#include <doctest/doctest.h>

#include "test_safetensors_support.hpp"

namespace netc::test::st {
namespace {

const std::string kPrefix = kName + ": ";

/// depth copies of open, then depth copies of close.
std::string nested(std::size_t depth, const std::string& open, const std::string& close) {
  std::string text;
  text.reserve(depth * (open.size() + close.size()));
  for (std::size_t i = 0; i < depth; ++i) text += open;
  for (std::size_t i = 0; i < depth; ++i) text += close;
  return text;
}

const std::string kDeepArrays = nested(100000, "[", "]");
const std::string kForty(40, '[');

TEST_CASE("safetensors: a header nested 100,000 deep is rejected where it goes wrong, its value quoted cut short") {
  CHECK(parse_error(kDeepArrays) == kPrefix + "header is " + kForty + "..., expected a JSON object");
  CHECK(parse_error("{\"a\":" + kDeepArrays + "}") ==
        kPrefix + "tensor 'a': entry is " + kForty + "..., expected an object with dtype, shape, data_offsets");
  CHECK(parse_error("{\"__metadata__\":{\"k\":" + kDeepArrays + "}}") ==
        kPrefix + "__metadata__ 'k' is " + kForty + "..., expected a string");
  CHECK(parse_error("{\"__metadata__\":" + nested(100000, "{\"k\":", "}") + "}") ==
        kPrefix + "__metadata__ 'k' is {\"k\":{\"k\":{\"k\":{\"k\":{\"k\":{\"k\":{\"k\":{\"k\":..., expected a string");
  CHECK(parse_error("{\"a\":{\"dtype\":\"F32\",\"shape\":" + kDeepArrays + ",\"data_offsets\":[0,0]}}") ==
        kPrefix + "tensor 'a': shape[0] is " + kForty + "..., expected a non-negative integer below 2^63");
  CHECK(parse_error("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":" + kDeepArrays + "}}") ==
        kPrefix + "tensor 'a': \"data_offsets\" is " + kForty + "..., expected [begin, end] with non-negative integers");
}

TEST_CASE("safetensors: a header is at most 3 levels deep: deeper values in fields it does not know are rejected") {
  const std::string start = "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0],\"extra\":";
  const std::string deeper = kPrefix + "tensor 'a': \"extra\" nests more than 3 levels deep, expected a header of at "
                                       "most 3 levels (the header object, its entries, and their arrays)";
  CHECK(parse_error(start + kDeepArrays + "}}") == deeper);
  CHECK(parse_error(start + "{\"b\":{\"c\":1}}}}") == deeper);
  CHECK(parse_error(start + "[1,\"x\",null]}}") == "");  // a field it does not know, not nested: ignored
  CHECK(parse_error(start + "{\"b\":1,\"b\":2}}}") == kPrefix + "header has the key 'b' twice, expected unique keys");
}

TEST_CASE("safetensors: a header of millions of empty arrays stops at the first one out of place") {
  std::string flood = "[";
  for (int i = 0; i < 3'000'000; ++i) flood += "[],";
  flood += "[]]";
  CHECK(parse_error("{\"a\":" + flood + "}") ==
        kPrefix + "tensor 'a': entry is [[],[],[],[],[],[],[],[],[],[],[],[],[],..., expected an object with dtype, "
                  "shape, data_offsets");
  CHECK(parse_error("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0],\"x\":" + flood + "}}") ==
        kPrefix + "tensor 'a': \"x\" nests more than 3 levels deep, expected a header of at most 3 levels (the header "
                  "object, its entries, and their arrays)");
}

}  // namespace
}  // namespace netc::test::st
