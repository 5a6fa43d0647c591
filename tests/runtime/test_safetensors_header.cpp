// The safetensors reader against malformed files: each file is built byte by byte and must be rejected at
// open with the exact message that names the file, the tensor, what was expected and what was found.
#include <doctest/doctest.h>

#include "test_safetensors_support.hpp"

namespace netc::test::st {
namespace {

const std::string kPrefix = kName + ": ";

/// A valid two-tensor file: 'a' holds 2 floats, 'b' holds 2 floats after it.
const std::string kTwoTensors = "{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 8, 16) + "}";
const std::vector<unsigned char> kTwoTensorData = f32_bytes({1, 2, 3, 4});

TEST_CASE("safetensors: a well-formed file with padding, metadata and odd tensors is accepted") {
  const std::string header = "{\"__metadata__\":{\"format\":\"pt\"}," + entry("empty", "F32", "[0,3]", 0, 0) + "," +
                             entry("scalar", "F32", "[]", 0, 4) + "," + entry("steps", "I64", "[]", 4, 12) +
                             "}    ";
  const rt::SafeTensors file = parse(header, std::vector<unsigned char>(12, 0));
  REQUIRE(file.tensors().size() == 3);
  CHECK(file.tensors()[0].name == "empty");  // sorted by offsets, then name
  CHECK(file.tensors()[2].dtype == "I64");
  CHECK(file.metadata().at("format") == "pt");
  CHECK(parse("{}").tensors().empty());
  CHECK(parse(" { } ").metadata().empty());
}

TEST_CASE("safetensors: a file too short for the header length") {
  CHECK_THROWS_WITH_AS(rt::SafeTensors::from_bytes({1, 2, 3}, kName),
                       (kPrefix + "file is 3 bytes, expected at least 8 (the header length)").c_str(),
                       rt::WeightsError);
  CHECK_THROWS_WITH_AS(rt::SafeTensors::from_bytes({}, kName),
                       (kPrefix + "file is 0 bytes, expected at least 8 (the header length)").c_str(),
                       rt::WeightsError);
}

TEST_CASE("safetensors: a header length past the end of the file") {
  std::vector<unsigned char> bytes = file_bytes(kTwoTensors, kTwoTensorData);
  SUBCASE("cut inside the header") {
    bytes.resize(8 + 10);
    CHECK_THROWS_WITH_AS(rt::SafeTensors::from_bytes(bytes, kName),
                         (kPrefix + "header length is " + std::to_string(kTwoTensors.size()) +
                          " bytes, but only 10 bytes follow the length (truncated file?)")
                             .c_str(),
                         rt::WeightsError);
  }
  SUBCASE("a length larger than the file") {
    CHECK_THROWS_WITH_AS(rt::SafeTensors::from_bytes(file_bytes("{}", {}, 1000), kName),
                         (kPrefix + "header length is 1000 bytes, but only 2 bytes follow the length (truncated file?)")
                             .c_str(),
                         rt::WeightsError);
  }
  SUBCASE("an absurd length") {
    CHECK_THROWS_WITH_AS(rt::SafeTensors::from_bytes(file_bytes("{}", {}, 1ull << 63), kName),
                         (kPrefix + "header length is 9223372036854775808 bytes, expected at most 100000000").c_str(),
                         rt::WeightsError);
  }
}

TEST_CASE("safetensors: a file cut inside the data section") {
  std::vector<unsigned char> bytes = file_bytes(kTwoTensors, kTwoTensorData);
  bytes.resize(bytes.size() - 4);
  CHECK_THROWS_WITH_AS(
      rt::SafeTensors::from_bytes(bytes, kName),
      (kPrefix + "tensor 'b': data_offsets [8, 16] end past the data section, which is 12 bytes").c_str(),
      rt::WeightsError);
}

TEST_CASE("safetensors: a header that is not a JSON object") {
  CHECK(parse_error("{\"a\": ") ==
        kPrefix + "header is not valid JSON: [json.exception.parse_error.101] parse error at line 1, column 7: "
                  "syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal");
  CHECK(parse_error("{\"__metadata__\":{}} x") ==
        kPrefix + "header is not valid JSON: [json.exception.parse_error.101] parse error at line 1, column 21: "
                  "syntax error while parsing value - invalid literal; last read: '\"__metadata__\":{}} x'; expected "
                  "end of input");
  // The header is read in order and each value checked where it stands: a value out of place is reported
  // before what comes after it.
  CHECK(parse_error("{\"a\":1} x") == kPrefix + "tensor 'a': entry is 1, expected an object with dtype, shape, data_offsets");
  CHECK(parse_error("{\"a\":1e400}") ==
        kPrefix + "header is not valid JSON: [json.exception.out_of_range.406] number overflow parsing '1e400'");
  CHECK(parse_error("[1,2]") == kPrefix + "header is [1,2], expected a JSON object");
  CHECK(parse_error("\"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz\"") ==
        kPrefix + "header is \"abcdefghijklmnopqrstuvwxyzabcdefghijklm..., expected a JSON object");
  CHECK(parse_error("{\"\xff\":1}") ==
        kPrefix + "header is not valid JSON: [json.exception.parse_error.101] parse error at line 1, column 3: "
                  "syntax error while parsing object key - invalid string: ill-formed UTF-8 byte; last read: "
                  "'\"\xff'; expected string literal");
}

TEST_CASE("safetensors: a key twice in one JSON object") {
  CHECK(parse_error("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("a", "F32", "[1]", 0, 4) + "}",
                    f32_bytes({1})) == kPrefix + "header has the key 'a' twice, expected unique keys");
  CHECK(parse_error("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[],\"data_offsets\":[0,4]}}",
                    f32_bytes({1})) == kPrefix + "header has the key 'dtype' twice, expected unique keys");
}

TEST_CASE("safetensors: an entry without the fields or with wrong JSON types") {
  const std::string t = kPrefix + "tensor 'a': ";
  CHECK(parse_error("{\"a\":3}") == t + "entry is 3, expected an object with dtype, shape, data_offsets");
  CHECK(parse_error("{\"a\":{\"shape\":[],\"data_offsets\":[0,0]}}") == t + "missing \"dtype\"");
  CHECK(parse_error("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,0]}}") == t + "missing \"shape\"");
  CHECK(parse_error("{\"a\":{\"dtype\":\"F32\",\"shape\":[]}}") == t + "missing \"data_offsets\"");
  CHECK(parse_error("{\"a\":{\"dtype\":32,\"shape\":[],\"data_offsets\":[0,4]}}") ==
        t + "\"dtype\" is 32, expected a string");
  CHECK(parse_error("{\"a\":{\"dtype\":\"F32\",\"shape\":\"2x2\",\"data_offsets\":[0,4]}}") ==
        t + "\"shape\" is \"2x2\", expected an array of non-negative integers");
  CHECK(parse_error("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":{\"begin\":0}}}") ==
        t + "\"data_offsets\" is {\"begin\":0}, expected [begin, end] with non-negative integers");
}

TEST_CASE("safetensors: an unknown dtype") {
  CHECK(parse_error("{" + entry("a", "F128", "[1]", 0, 16) + "}", std::vector<unsigned char>(16)) ==
        kPrefix + "tensor 'a': unknown dtype 'F128', expected one of F64, F32, F16, BF16, F8_E4M3, F8_E5M2, I64, "
                  "I32, I16, I8, U64, U32, U16, U8, BOOL");
}

TEST_CASE("safetensors: shape dimensions that are not non-negative integers") {
  const std::string t = kPrefix + "tensor 'a': ";
  CHECK(parse_error("{" + entry("a", "F32", "[2,-3]", 0, 0) + "}") ==
        t + "shape[1] is -3, expected a non-negative integer below 2^63");
  CHECK(parse_error("{" + entry("a", "F32", "[2.5]", 0, 0) + "}") ==
        t + "shape[0] is 2.5, expected a non-negative integer below 2^63");
  CHECK(parse_error("{" + entry("a", "F32", "[\"2\"]", 0, 0) + "}") ==
        t + "shape[0] is \"2\", expected a non-negative integer below 2^63");
  CHECK(parse_error("{" + entry("a", "F32", "[9223372036854775808]", 0, 0) + "}") ==
        t + "shape[0] is 9223372036854775808, expected a non-negative integer below 2^63");
}

TEST_CASE("safetensors: a shape whose byte size overflows 64 bits") {
  CHECK(parse_error("{" + entry("a", "F32", "[1099511627776,1099511627776]", 0, 0) + "}") ==
        kPrefix + "tensor 'a': shape [1099511627776, 1099511627776] of F32 is too large (its byte size overflows 64 "
                  "bits)");
  CHECK(parse_error("{" + entry("a", "F64", "[4611686018427387904]", 0, 0) + "}") ==
        kPrefix + "tensor 'a': shape [4611686018427387904] of F64 is too large (its byte size overflows 64 bits)");
  // A zero dimension makes the tensor empty however large the others are.
  CHECK(parse_error("{" + entry("a", "F32", "[1099511627776,1099511627776,0]", 0, 0) + "}") == "");
}

TEST_CASE("safetensors: data offsets that are malformed, reversed, out of range or the wrong size") {
  const std::string t = kPrefix + "tensor 'a': ";
  const std::string expected = ", expected [begin, end] with non-negative integers";
  auto with_offsets = [](const std::string& offsets) {
    return "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":" + offsets + "}}";
  };
  CHECK(parse_error(with_offsets("[0]"), f32_bytes({1})) == t + "\"data_offsets\" is [0]" + expected);
  CHECK(parse_error(with_offsets("[0,4,8]"), f32_bytes({1})) == t + "\"data_offsets\" is [0,4,8]" + expected);
  CHECK(parse_error(with_offsets("[-4,0]"), f32_bytes({1})) == t + "\"data_offsets\" is [-4,0]" + expected);
  CHECK(parse_error(with_offsets("[0,\"4\"]"), f32_bytes({1})) == t + "\"data_offsets\" is [0,\"4\"]" + expected);
  CHECK(parse_error(with_offsets("[4,0]"), f32_bytes({1})) == t + "data_offsets [4, 0] have begin > end");
  CHECK(parse_error(with_offsets("[0,8]"), f32_bytes({1})) ==
        t + "data_offsets [0, 8] end past the data section, which is 4 bytes");
  CHECK(parse_error(with_offsets("[18446744073709551612,18446744073709551615]"), f32_bytes({1})) ==
        t + "data_offsets [18446744073709551612, 18446744073709551615] end past the data section, which is 4 bytes");
  CHECK(parse_error("{" + entry("a", "F32", "[2,2]", 0, 12) + "}", std::vector<unsigned char>(12)) ==
        t + "data_offsets [0, 12] hold 12 bytes, expected 16 for shape [2, 2] of F32");
}

TEST_CASE("safetensors: tensors must tile the data section without overlaps, gaps or trailing bytes") {
  const std::vector<unsigned char> data(24);
  CHECK(parse_error("{" + entry("a", "F32", "[4]", 0, 16) + "," + entry("b", "F32", "[4]", 8, 24) + "}", data) ==
        kPrefix + "tensors 'a' [0, 16] and 'b' [8, 24] overlap in the data section");
  CHECK(parse_error("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 0, 8) + "}",
                    std::vector<unsigned char>(8)) ==
        kPrefix + "tensors 'a' [0, 8] and 'b' [0, 8] overlap in the data section");
  CHECK(parse_error("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 16, 24) + "}", data) ==
        kPrefix + "data section bytes [8, 16) belong to no tensor (a gap before 'b' [16, 24]), expected tensors to "
                  "follow each other");
  CHECK(parse_error("{" + entry("b", "F32", "[2]", 16, 24) + "}", data) ==
        kPrefix + "data section bytes [0, 16) belong to no tensor (a gap before 'b' [16, 24]), expected tensors to "
                  "follow each other");
  CHECK(parse_error("{" + entry("a", "F32", "[2]", 0, 8) + "}", data) ==
        kPrefix + "data section is 24 bytes, expected 8 (where the last tensor ends): 16 trailing bytes");
  CHECK(parse_error("{}", data) ==
        kPrefix + "data section is 24 bytes, expected 0 (where the last tensor ends): 24 trailing bytes");
}

TEST_CASE("safetensors: metadata must be an object of strings") {
  CHECK(parse_error("{\"__metadata__\":[1]}") == kPrefix + "\"__metadata__\" is [1], expected an object of strings");
  CHECK(parse_error("{\"__metadata__\":{\"epochs\":90}}") ==
        kPrefix + "__metadata__ 'epochs' is 90, expected a string");
}

TEST_CASE("safetensors: every truncation and every single-byte change is either accepted or a WeightsError") {
  // The reader must never read out of bounds or fail in another way, whatever the bytes (run under ASan).
  const std::string header = "{\"__metadata__\":{\"k\":\"v\"}," + entry("a", "F32", "[2]", 0, 8) + "," +
                             entry("b", "I64", "[1]", 8, 16) + "}";
  const std::vector<unsigned char> good = file_bytes(header, std::vector<unsigned char>(16, 7));
  auto outcome = [](const std::vector<unsigned char>& bytes) {
    try {
      rt::SafeTensors::from_bytes(bytes, kName);
      return 0;
    } catch (const rt::WeightsError&) {
      return 1;
    } catch (...) {
      return 2;
    }
  };
  CHECK(outcome(good) == 0);
  for (std::size_t size = 0; size < good.size(); ++size) {
    INFO("truncated to " << size << " bytes");
    CHECK(outcome(std::vector<unsigned char>(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(size))) == 1);
  }
  for (std::size_t at = 0; at < good.size(); ++at)
    for (unsigned char value : {0x00, 0x01, 0x22, 0x2c, 0x30, 0x39, 0x5b, 0x7b, 0x7d, 0x80, 0xff}) {
      std::vector<unsigned char> changed = good;
      changed[at] = value;
      INFO("byte " << at << " set to " << int(value));
      CHECK(outcome(changed) != 2);
    }
}

}  // namespace
}  // namespace netc::test::st
