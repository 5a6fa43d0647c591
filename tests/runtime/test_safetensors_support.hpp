// Shared pieces of the safetensors tests: files built byte by byte from a header text and data, and a
// temporary folder that cleans up after itself.
#pragma once

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "netc/safetensors.hpp"

namespace netc::test::st {

/// The name files built in memory go by in messages.
inline const std::string kName = "w.safetensors";

/// A safetensors file: the header's length as 8 little-endian bytes, the header text, then data.
inline std::vector<unsigned char> file_bytes(const std::string& header, const std::vector<unsigned char>& data = {},
                                             std::uint64_t header_length_field = ~0ull) {
  const std::uint64_t length = header_length_field == ~0ull ? header.size() : header_length_field;
  std::vector<unsigned char> bytes;
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<unsigned char>(length >> (8 * i)));
  bytes.insert(bytes.end(), header.begin(), header.end());
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

/// The little-endian bytes of the given floats.
inline std::vector<unsigned char> f32_bytes(std::initializer_list<float> values) {
  std::vector<unsigned char> bytes(values.size() * 4);
  if (values.size() > 0) std::memcpy(bytes.data(), values.begin(), bytes.size());
  return bytes;
}

/// Validates header + data as the file kName.
inline rt::SafeTensors parse(const std::string& header, const std::vector<unsigned char>& data = {}) {
  return rt::SafeTensors::from_bytes(file_bytes(header, data), kName);
}

/// The message of the WeightsError that parsing header + data throws ("" when it succeeds).
inline std::string parse_error(const std::string& header, const std::vector<unsigned char>& data = {}) {
  try {
    parse(header, data);
  } catch (const rt::WeightsError& e) {
    return e.what();
  }
  return "";
}

/// A tensor entry of a header: "\"name\":{\"dtype\":...,\"shape\":[...],\"data_offsets\":[b,e]}".
inline std::string entry(const std::string& name, const std::string& dtype, const std::string& shape,
                         std::uint64_t begin, std::uint64_t end) {
  return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" +
         std::to_string(begin) + "," + std::to_string(end) + "]}";
}

/// A fresh folder under the system's temporary directory, removed with everything in it at scope exit.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::random_device random;
    path = std::filesystem::temp_directory_path() / ("netc_safetensors_test_" + std::to_string(random()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

/// The bytes of a file on disk.
inline std::vector<unsigned char> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace netc::test::st
