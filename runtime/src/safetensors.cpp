// Reading tensors out of a validated safetensors file: lookup with a closest-name hint, the F32 shape and
// finiteness checks, and the record of which tensors the model used.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <cstdint>
#include <cstring>

#include "netc/safetensors.hpp"

namespace netc::rt {
namespace {

/// Levenshtein distance (the fewest single-character insertions, deletions and substitutions from a to b)
/// when it is at most limit; otherwise some value above limit, found as soon as a row of the table passes it.
/// `cells` counts the table's cells computed.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit, std::size_t& cells) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    std::size_t row_min = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({substitute, previous[j] + 1, current[j - 1] + 1});
      row_min = std::min(row_min, current[j]);
    }
    cells += b.size();
    if (row_min > limit) return limit + 1;
    std::swap(previous, current);
  }
  return previous[b.size()];
}

/// A lower bound of the edit distance from a to b that is cheap to compute: a substitution changes two
/// characters' counts by one, an insertion or deletion one count and the length.
std::size_t distance_bound(const std::array<std::size_t, 256>& a_counts, std::size_t a_size, std::string_view b) {
  std::array<std::size_t, 256> counts = a_counts;
  std::size_t unmatched = 0;  // characters of b beyond a's counts
  for (unsigned char c : b) counts[c] > 0 ? --counts[c] : ++unmatched;
  std::size_t left = 0;       // characters of a that b lacks
  for (std::size_t n : counts) left += n;
  const std::size_t length = a_size > b.size() ? a_size - b.size() : b.size() - a_size;
  return std::max(length, (left + unmatched + 1) / 2);
}

/// The index of the tensor whose name is closest to name (the first in file order among equals), found
/// with bounded work: names in order of distance_bound, each compared only while it may beat the best so
/// far. -1 when there are no tensors, or when kMaxCells table cells pass before the closest is certain
/// (thousands of long names alike): then no hint is better than a wrong one.
std::ptrdiff_t closest_name(std::string_view name, const std::vector<TensorInfo>& tensors) {
  constexpr std::size_t kMaxCells = 30'000'000;
  std::array<std::size_t, 256> counts{};
  for (unsigned char c : name) ++counts[c];
  std::vector<std::pair<std::size_t, std::size_t>> order;  // bound, index
  order.reserve(tensors.size());
  for (std::size_t i = 0; i < tensors.size(); ++i) order.emplace_back(distance_bound(counts, name.size(), tensors[i].name), i);
  std::sort(order.begin(), order.end());
  std::size_t best = std::numeric_limits<std::size_t>::max(), cells = 0;
  std::ptrdiff_t best_index = -1;
  for (const auto& [bound, i] : order) {
    if (bound > best || (bound == best && static_cast<std::ptrdiff_t>(i) > best_index)) continue;
    if (cells + name.size() * tensors[i].name.size() > kMaxCells) return -1;
    const std::size_t distance = edit_distance(name, tensors[i].name, best, cells);
    if (distance < best || (distance == best && static_cast<std::ptrdiff_t>(i) < best_index))
      best = distance, best_index = static_cast<std::ptrdiff_t>(i);
  }
  return best_index;
}

/// The flat index of a row-major tensor as a multi-index: "[1, 0, 2]".
std::string unravel(std::size_t flat, const std::vector<std::int64_t>& shape) {
  std::vector<std::int64_t> index(shape.size());
  for (std::size_t d = shape.size(); d-- > 0;) {
    const auto extent = static_cast<std::size_t>(shape[d]);
    index[d] = static_cast<std::int64_t>(flat % extent);
    flat /= extent;
  }
  return shape_to_string(index);
}

std::string describe_non_finite(float value) {
  if (std::isnan(value)) return "NaN";
  return value > 0 ? "inf" : "-inf";
}

}  // namespace

std::string shape_to_string(const std::vector<std::int64_t>& shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

SafeTensors::SafeTensors(std::shared_ptr<const unsigned char> bytes, std::size_t size, std::string display_name)
    : bytes_(std::move(bytes)), size_(size), display_name_(std::move(display_name)) {}

SafeTensors SafeTensors::from_bytes(std::vector<unsigned char> bytes, std::string display_name) {
  auto owner = std::make_shared<const std::vector<unsigned char>>(std::move(bytes));
  const std::size_t size = owner->size();
  return parse(std::shared_ptr<const unsigned char>(owner, owner->data()), size, std::move(display_name));
}

SafeTensors SafeTensors::from_memory(const void* data, std::size_t size, std::string display_name) {
  if (data == nullptr && size > 0) throw WeightsError(display_name + ": the bytes are a null pointer");
  // No owner: the caller keeps the bytes alive.
  std::shared_ptr<const unsigned char> bytes(std::shared_ptr<const unsigned char>(), static_cast<const unsigned char*>(data));
  return parse(std::move(bytes), size, std::move(display_name));
}

void SafeTensors::fail(const std::string& message) const { throw WeightsError(display_name_ + ": " + message); }

const TensorInfo* SafeTensors::find(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &tensors_[it->second];
}

std::size_t SafeTensors::index_of(std::string_view name) const {
  auto it = index_.find(name);
  if (it != index_.end()) return it->second;
  if (tensors_.empty()) fail("no tensor '" + std::string(name) + "' (the file has no tensors)");
  const std::ptrdiff_t closest = closest_name(name, tensors_);
  fail("no tensor '" + std::string(name) + "' (the file has " + std::to_string(tensors_.size()) +
       (tensors_.size() == 1 ? " tensor" : " tensors") +
       (closest < 0 ? "" : "; closest name: '" + tensors_[static_cast<std::size_t>(closest)].name + "'") + ")");
}

std::size_t SafeTensors::check_f32(std::string_view name, const std::vector<std::int64_t>& expected_shape) const {
  const std::size_t index = index_of(name);
  const TensorInfo& t = tensors_[index];
  if (t.dtype != "F32") fail("tensor '" + t.name + "': dtype " + t.dtype + ", expected F32");
  if (t.shape != expected_shape)
    fail("tensor '" + t.name + "': shape " + shape_to_string(expected_shape) + " expected, found " +
         shape_to_string(t.shape));
  return index;
}

// A block at a time without a branch per value (the loop vectorises): a float is NaN or infinite when its
// exponent bits are all ones. Only a block with one is searched for the first.
void SafeTensors::check_finite(std::size_t index, const float* values, std::size_t begin, std::size_t end) const {
  constexpr std::size_t kBlock = 4096;
  constexpr std::uint32_t kExponent = 0x7f800000u;
  const float* bad = values + end;
  for (std::size_t block = begin; block < end && bad == values + end; block += kBlock) {
    const std::size_t block_end = std::min(end, block + kBlock);
    std::uint32_t any = 0;
    for (std::size_t i = block; i < block_end; ++i) {
      std::uint32_t bits;
      std::memcpy(&bits, values + i, sizeof bits);
      any |= static_cast<std::uint32_t>((bits & kExponent) == kExponent);
    }
    if (any != 0) bad = std::find_if(values + block, values + block_end, [](float v) { return !std::isfinite(v); });
  }
  if (bad == values + end) return;
  const TensorInfo& t = tensors_[index];
  const auto flat = static_cast<std::size_t>(bad - values);
  fail("tensor '" + t.name + "': element " + std::to_string(flat) + " (index " + unravel(flat, t.shape) + ") is " +
       describe_non_finite(*bad) + ", expected a finite value (non-finite weights are rejected)");
}

// The layout check at open guarantees [data_start_ + begin, data_start_ + end) lies inside the file and holds
// exactly product(shape) * 4 bytes.
std::vector<float> SafeTensors::read_f32(std::string_view name, const std::vector<std::int64_t>& expected_shape) const {
  const std::size_t index = check_f32(name, expected_shape);
  const TensorInfo& t = tensors_[index];
  std::vector<float> values(static_cast<std::size_t>((t.end - t.begin) / sizeof(float)));
  if (!values.empty()) std::memcpy(values.data(), bytes_.get() + data_start_ + t.begin, t.end - t.begin);
  if (mapped_) release_pages(bytes_.get() + data_start_ + t.begin, t.end - t.begin);
  check_finite(index, values.data(), 0, values.size());
  used_[index] = true;
  return values;
}

F32View SafeTensors::view_f32(std::string_view name, const std::vector<std::int64_t>& expected_shape) const {
  const std::size_t index = check_f32(name, expected_shape);
  const TensorInfo& t = tensors_[index];
  const unsigned char* bytes = bytes_.get() + data_start_ + t.begin;
  if (reinterpret_cast<std::uintptr_t>(bytes) % alignof(float) != 0) return F32View(read_f32(name, expected_shape));
  F32View view(reinterpret_cast<const float*>(bytes), (t.end - t.begin) / sizeof(float), mapped_);
  // A chunk at a time; a large tensor's chunks are released once checked, so that it is not all resident
  // before it is packed (packing maps them in again); a small one stays mapped for the packing that follows.
  constexpr std::size_t kChunk = std::size_t{1} << 18, kLarge = std::size_t{4} << 20;  // 1 MiB, 16 MiB
  for (std::size_t begin = 0; begin < view.size(); begin += kChunk) {
    const std::size_t end = std::min(view.size(), begin + kChunk);
    check_finite(index, view.data(), begin, end);
    if (view.size() > kLarge) view.release(view.data() + begin, end - begin);
  }
  used_[index] = true;
  return view;
}

F32View::F32View(std::vector<float> copy) : data_(copy.data()), size_(copy.size()), copy_(std::move(copy)) {}

F32View::F32View(F32View&& other) noexcept
    : data_(other.data_), size_(other.size_), copy_(std::move(other.copy_)), release_(other.release_) {
  other.release_ = false;
}

void F32View::release(const float* begin, std::size_t count) const {
  if (release_) SafeTensors::release_pages(begin, count * sizeof(float));
}

F32View::~F32View() { release(data_, size_); }

void SafeTensors::mark_used(std::string_view name) const { used_[index_of(name)] = true; }

void SafeTensors::check_all_used(const std::function<bool(std::string_view)>& may_ignore) const {
  std::size_t unused = 0;
  std::string names;
  for (std::size_t i = 0; i < tensors_.size(); ++i) {
    if (used_[i] || (may_ignore && may_ignore(tensors_[i].name))) continue;
    names += (unused++ ? ", '" : "'") + tensors_[i].name + "'";
  }
  if (unused > 0)
    fail(std::to_string(unused) + (unused == 1 ? " tensor was" : " tensors were") +
         " never read (expected the model to use every tensor): " + names);
}

}  // namespace netc::rt
