// Validation of a safetensors file's header and layout: the length prefix, the JSON, each tensor's entry,
// and that the tensors tile the data section exactly. Every check reads only inside the given bytes.
#include <algorithm>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "netc/safetensors.hpp"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#error "netc's safetensors code assumes a little-endian host (the format is little-endian)"
#endif

namespace netc::rt {
namespace {

using nlohmann::json;

constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;  // as the reference implementation

/// The safetensors dtypes and their bytes per element, in the specification's order.
struct Dtype {
  const char* name;
  std::uint64_t size;
};
constexpr Dtype kDtypes[] = {{"F64", 8},     {"F32", 4},     {"F16", 2}, {"BF16", 2}, {"F8_E4M3", 1},
                             {"F8_E5M2", 1}, {"I64", 8},     {"I32", 4}, {"I16", 2},  {"I8", 1},
                             {"U64", 8},     {"U32", 4},     {"U16", 2}, {"U8", 1},   {"BOOL", 1}};

/// Bytes per element of the dtype called name, or 0 when there is no such dtype.
std::uint64_t dtype_size(const std::string& name) {
  for (const Dtype& d : kDtypes)
    if (name == d.name) return d.size;
  return 0;
}

std::string dtype_list() {
  std::string out;
  for (const Dtype& d : kDtypes) out += (out.empty() ? "" : ", ") + std::string(d.name);
  return out;
}

/// Throws a WeightsError whose message starts with prefix ("file: " or "file: tensor 'x': ").
struct Fail {
  std::string prefix;
  [[noreturn]] void operator()(const std::string& message) const { throw WeightsError(prefix + message); }
};

/// A JSON value as a message quotes it, cut after about 40 characters (at a UTF-8 character boundary).
std::string quote(const json& value) {
  std::string text = value.dump();
  if (text.size() <= 40) return text;
  std::size_t cut = 40;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

std::uint64_t read_le_u64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

/// Parses the header text, reporting the first key that appears twice in one object.
json parse_json(const char* text, std::size_t size, const Fail& fail) {
  std::vector<std::set<std::string>> open_objects;
  std::string duplicate;
  auto spot_duplicates = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) open_objects.emplace_back();
    if (event == json::parse_event_t::object_end && !open_objects.empty()) open_objects.pop_back();
    if (event == json::parse_event_t::key && !open_objects.empty() && duplicate.empty() &&
        !open_objects.back().insert(parsed.get<std::string>()).second)
      duplicate = parsed.get<std::string>();
    return true;
  };
  json header;
  try {
    header = json::parse(text, text + size, spot_duplicates);
  } catch (const json::exception& e) {  // a parse_error, or out_of_range for a number too large for a double
    fail("header is not valid JSON: " + std::string(e.what()));
  }
  if (!duplicate.empty()) fail("header has the key '" + duplicate + "' twice, expected unique keys");
  return header;
}

/// Reads a JSON integer in [0, max] into out; false for anything else (negative, fractional, too large, text).
bool as_count(const json& value, std::uint64_t max, std::uint64_t& out) {
  if (!value.is_number_unsigned()) return false;
  out = value.get<std::uint64_t>();
  return out <= max;
}

/// Reads info.shape and returns its size in bytes for element_size-byte elements.
std::uint64_t parse_shape(const json& shape, std::uint64_t element_size, TensorInfo& info, const Fail& fail) {
  if (!shape.is_array()) fail("\"shape\" is " + quote(shape) + ", expected an array of non-negative integers");
  std::uint64_t count = 1;
  bool overflow = false, empty = false;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    std::uint64_t dim = 0;
    if (!as_count(shape[i], std::numeric_limits<std::int64_t>::max(), dim))
      fail("shape[" + std::to_string(i) + "] is " + quote(shape[i]) + ", expected a non-negative integer below 2^63");
    info.shape.push_back(static_cast<std::int64_t>(dim));
    empty = empty || dim == 0;
    overflow = overflow || (dim != 0 && count > std::numeric_limits<std::uint64_t>::max() / dim);
    count *= dim;
  }
  overflow = overflow || count > std::numeric_limits<std::uint64_t>::max() / element_size;
  if (empty) return 0;
  if (overflow)
    fail("shape " + shape_to_string(info.shape) + " of " + info.dtype +
         " is too large (its byte size overflows 64 bits)");
  return count * element_size;
}

/// Reads info.begin and info.end and checks them against the data section's size and the tensor's byte size.
void parse_offsets(const json& offsets, std::uint64_t data_size, std::uint64_t bytes, TensorInfo& info,
                   const Fail& fail) {
  const std::uint64_t any = std::numeric_limits<std::uint64_t>::max();
  if (!offsets.is_array() || offsets.size() != 2 || !as_count(offsets[0], any, info.begin) ||
      !as_count(offsets[1], any, info.end))
    fail("\"data_offsets\" is " + quote(offsets) + ", expected [begin, end] with non-negative integers");
  const std::string range = "[" + std::to_string(info.begin) + ", " + std::to_string(info.end) + "]";
  if (info.begin > info.end) fail("data_offsets " + range + " have begin > end");
  if (info.end > data_size)
    fail("data_offsets " + range + " end past the data section, which is " + std::to_string(data_size) + " bytes");
  if (info.end - info.begin != bytes)
    fail("data_offsets " + range + " hold " + std::to_string(info.end - info.begin) + " bytes, expected " +
         std::to_string(bytes) + " for shape " + shape_to_string(info.shape) + " of " + info.dtype);
}

/// Checks one tensor's entry and returns it; data_size is the data section's length in bytes.
TensorInfo parse_entry(const std::string& name, const json& entry, std::uint64_t data_size, const Fail& fail_file) {
  const Fail fail{fail_file.prefix + "tensor '" + name + "': "};
  if (!entry.is_object()) fail("entry is " + quote(entry) + ", expected an object with dtype, shape, data_offsets");
  for (const char* field : {"dtype", "shape", "data_offsets"})
    if (!entry.contains(field)) fail(std::string("missing \"") + field + "\"");
  TensorInfo info;
  info.name = name;
  const json& dtype = entry.at("dtype");
  if (!dtype.is_string()) fail("\"dtype\" is " + quote(dtype) + ", expected a string");
  info.dtype = dtype.get<std::string>();
  const std::uint64_t element_size = dtype_size(info.dtype);
  if (element_size == 0) fail("unknown dtype '" + info.dtype + "', expected one of " + dtype_list());
  const std::uint64_t bytes = parse_shape(entry.at("shape"), element_size, info, fail);
  parse_offsets(entry.at("data_offsets"), data_size, bytes, info, fail);
  return info;
}

std::map<std::string, std::string> parse_metadata(const json& value,
                                                  const Fail& fail) {
  if (!value.is_object()) fail("\"__metadata__\" is " + quote(value) + ", expected an object of strings");
  std::map<std::string, std::string> metadata;
  for (const auto& [key, text] : value.items()) {
    if (!text.is_string()) fail("__metadata__ '" + key + "' is " + quote(text) + ", expected a string");
    metadata[key] = text.get<std::string>();
  }
  return metadata;
}

std::string describe_range(const TensorInfo& t) {
  return "'" + t.name + "' [" + std::to_string(t.begin) + ", " + std::to_string(t.end) + "]";
}

/// Checks that the tensors, sorted by offsets, tile [0, data_size) without overlaps, gaps or trailing bytes.
void check_tiling(const std::vector<TensorInfo>& sorted, std::uint64_t data_size,
                  const Fail& fail) {
  std::uint64_t covered = 0;  // every byte before this belongs to a tensor
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const TensorInfo& t = sorted[i];
    if (t.begin < covered)
      fail("tensors " + describe_range(sorted[i - 1]) + " and " + describe_range(t) + " overlap in the data section");
    if (t.begin > covered)
      fail("data section bytes [" + std::to_string(covered) + ", " + std::to_string(t.begin) +
           ") belong to no tensor (a gap before " + describe_range(t) + "), expected tensors to follow each other");
    covered = t.end;
  }
  if (covered != data_size)
    fail("data section is " + std::to_string(data_size) + " bytes, expected " + std::to_string(covered) +
         " (where the last tensor ends): " + std::to_string(data_size - covered) + " trailing bytes");
}

}  // namespace

SafeTensors SafeTensors::parse(std::shared_ptr<const unsigned char> bytes, std::size_t size, std::string name) {
  SafeTensors file(std::move(bytes), size, std::move(name));
  const Fail fail{file.display_name_ + ": "};
  const unsigned char* p = file.bytes_.get();
  if (size < 8) fail("file is " + std::to_string(size) + " bytes, expected at least 8 (the header length)");
  const std::uint64_t header_size = read_le_u64(p);
  if (header_size > kMaxHeaderBytes)
    fail("header length is " + std::to_string(header_size) + " bytes, expected at most " +
         std::to_string(kMaxHeaderBytes));
  if (header_size > size - 8)
    fail("header length is " + std::to_string(header_size) + " bytes, but only " + std::to_string(size - 8) +
         " bytes follow the length (truncated file?)");
  file.data_start_ = 8 + static_cast<std::size_t>(header_size);
  const std::uint64_t data_size = size - file.data_start_;

  const json header = parse_json(reinterpret_cast<const char*>(p + 8), header_size, fail);
  if (!header.is_object()) fail("header is " + quote(header) + ", expected a JSON object");
  for (const auto& [key, value] : header.items()) {
    if (key == "__metadata__")
      file.metadata_ = parse_metadata(value, fail);
    else
      file.tensors_.push_back(parse_entry(key, value, data_size, fail));
  }
  std::sort(file.tensors_.begin(), file.tensors_.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end != b.end ? a.end < b.end : a.name < b.name;
  });
  check_tiling(file.tensors_, data_size, fail);
  for (std::size_t i = 0; i < file.tensors_.size(); ++i) file.index_.emplace(file.tensors_[i].name, i);
  file.used_.assign(file.tensors_.size(), false);
  return file;
}

}  // namespace netc::rt
