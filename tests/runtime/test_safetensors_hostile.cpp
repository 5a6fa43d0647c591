// The safetensors reader against hostile files: headers nested far deeper than a header goes, floods of
// empty arrays, inputs that never end or block (devices, FIFOs), huge sparse files, files changed while
// loaded, and missing names among thousands of long ones. Each must end at once in a WeightsError with its
// exact message, or in the right values.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

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

TEST_CASE("safetensors: only regular files are opened: devices and FIFOs are rejected without reading them") {
  CHECK_THROWS_WITH_AS(rt::SafeTensors::open("/dev/zero"),
                       "/dev/zero: is a character device, expected a safetensors file (a regular file)",
                       rt::WeightsError);
  TempDir dir;
  const std::string fifo = dir.file("pipe.safetensors");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  for (auto mode : {rt::LoadMode::Map, rt::LoadMode::Read})  // without a writer, reading it would wait for ever
    CHECK_THROWS_WITH_AS(rt::SafeTensors::open(fifo, mode),
                         (fifo + ": is a FIFO (a named pipe), expected a safetensors file (a regular file)").c_str(),
                         rt::WeightsError);
}

/// A valid file of one tensor `a` holding {1, 2} in dir; its path.
std::string small_file(const TempDir& dir) {
  const std::string path = dir.file("w.safetensors");
  rt::write_safetensors(path, {{"a", {2}, {1.f, 2.f}}});
  return path;
}

TEST_CASE("safetensors: a file read into memory (LoadMode::Read) is not affected by changes to the file after") {
  TempDir dir;
  const std::string path = small_file(dir);
  const rt::SafeTensors file = rt::SafeTensors::open(path, rt::LoadMode::Read);
  // Overwritten in place, then cut short, as a deployment replacing the weights would: a mapped file would
  // show the new bytes or raise SIGBUS.
  std::vector<unsigned char> zeros(read_file(path).size(), 0);
  std::ofstream(path, std::ios::binary | std::ios::in).write(reinterpret_cast<const char*>(zeros.data()),
                                                             static_cast<std::streamsize>(zeros.size()));
  REQUIRE(::truncate(path.c_str(), 3) == 0);
  CHECK(file.read_f32("a", {2}) == std::vector<float>{1.f, 2.f});
  const rt::F32View view = file.view_f32("a", {2});
  CHECK(std::vector<float>(view.data(), view.data() + view.size()) == std::vector<float>{1.f, 2.f});
  CHECK_THROWS_WITH_AS(rt::SafeTensors::open(path, rt::LoadMode::Read),
                       (path + ": file is 3 bytes, expected at least 8 (the header length)").c_str(), rt::WeightsError);
}

TEST_CASE("safetensors: both modes read what the header declares and check the rest against the file's size") {
  TempDir dir;
  const std::string path = small_file(dir);
  const std::size_t size = read_file(path).size();
  for (auto mode : {rt::LoadMode::Map, rt::LoadMode::Read})
    CHECK(rt::SafeTensors::open(path, mode).read_f32("a", {2}) == std::vector<float>{1.f, 2.f});
  // 1 GiB of trailing bytes (a sparse file): rejected from the file's size, without reading them.
  REQUIRE(::truncate(path.c_str(), 1 << 30) == 0);
  for (auto mode : {rt::LoadMode::Map, rt::LoadMode::Read})
    CHECK_THROWS_WITH_AS(rt::SafeTensors::open(path, mode),
                         (path + ": data section is " + std::to_string((1 << 30) - size + 8) +
                          " bytes, expected 8 (where the last tensor ends): " + std::to_string((1 << 30) - size) +
                          " trailing bytes").c_str(),
                         rt::WeightsError);
}

/// A header of `names` F32 tensors of shape [0] (no data), each name its own entry.
std::string empty_tensors(const std::vector<std::string>& names) {
  std::string header = "{";
  for (const std::string& name : names) {
    if (header.size() > 1) header += ',';
    header += entry(name, "F32", "[0]", 0, 0);
  }
  return header + "}";
}

TEST_CASE("safetensors: the closest-name hint among 20,000 names of 1,000 characters takes bounded work") {
  std::mt19937 random(7);
  const std::string letters = "abcdefghijklmnopqrstuvwxyz0123456789._";
  std::vector<std::string> names(20000, std::string(1000, 'a'));
  for (std::string& name : names)
    for (char& c : name) c = letters[random() % letters.size()];
  const rt::SafeTensors file = parse(empty_tensors(names));
  std::string typo = names[12345];
  typo[500] = typo[500] == 'x' ? 'y' : 'x';
  CHECK_THROWS_WITH_AS(file.read_f32(typo, {0}),
                       (kPrefix + "no tensor '" + typo + "' (the file has 20000 tensors; closest name: '" +
                        names[12345] + "')").c_str(),
                       rt::WeightsError);
  // Names that all hold the same letters in other orders: too many alike to compare them all, so no hint.
  std::vector<std::string> shuffled(2000, names[0]);
  for (std::string& name : shuffled) std::shuffle(name.begin(), name.end(), random);
  std::string other = names[0];
  std::shuffle(other.begin(), other.end(), random);
  CHECK_THROWS_WITH_AS(parse(empty_tensors(shuffled)).read_f32(other, {0}),
                       (kPrefix + "no tensor '" + other + "' (the file has 2000 tensors)").c_str(), rt::WeightsError);
}

}  // namespace
}  // namespace netc::test::st
