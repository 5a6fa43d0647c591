// netc's weights files: a validating safetensors reader (F32 tensors, checked shapes, finite values, every
// tensor used) and an F32 writer. Format: 8-byte little-endian header length N, N bytes of JSON, the data.
// C++17; includes only the standard library (the JSON parser stays inside the runtime library).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace netc::rt {

/// Every problem with a weights file: malformed bytes, a missing or mismatched tensor, an I/O failure.
/// The message starts with the file's name (or the path) and says what was expected and what was found.
class WeightsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One tensor's entry in the header. begin and end are byte offsets into the data section, end exclusive.
struct TensorInfo {
  std::string name;
  std::string dtype;  // as in the file: "F32", "F16", "I64", ...
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0, end = 0;
};

/// An F32 tensor's values as SafeTensors::view_f32 checked them: in the file's bytes themselves when they are
/// 4-byte aligned, else a copy. Valid while the SafeTensors it came from lives. Viewing a memory-mapped file,
/// the pages that lie wholly inside the tensor are released when the view goes, so that loading a model never
/// holds the whole file and the model's packed weights at once (a later read maps them in again).
class F32View {
 public:
  /// A view of no values, data() nullptr (a layer's absent bias, as the pack_ functions take it).
  static F32View empty() { return F32View(nullptr, 0, false); }
  const float* data() const { return data_; }
  std::size_t size() const { return size_; }
  /// Releases the mapped pages wholly inside [begin, begin + count), part of this view, once the caller has
  /// read them for the last time (nothing when the view is a copy); reading them again maps them in again.
  void release(const float* begin, std::size_t count) const;
  F32View(const F32View&) = delete;
  F32View& operator=(const F32View&) = delete;
  F32View(F32View&& other) noexcept;
  F32View& operator=(F32View&&) = delete;
  ~F32View();

 private:
  friend class SafeTensors;
  F32View(const float* data, std::size_t size, bool release) : data_(data), size_(size), release_(release) {}
  explicit F32View(std::vector<float> copy);
  const float* data_ = nullptr;
  std::size_t size_ = 0;
  std::vector<float> copy_;
  bool release_ = false;  // data_ lies in a read-only mapping of the file
};

/// How SafeTensors::open holds a file.
enum class LoadMode {
  /// Memory-maps the file (where the platform allows; else reads it): pages come in as tensors are read and
  /// views release them once used, so loading a model never holds its weights twice. The file must not
  /// change while the SafeTensors lives: overwritten in place (as a deployment replacing weights might do),
  /// reads see the new bytes, and cut shorter, they raise SIGBUS. Replace weights by renaming a new file
  /// over the old one, or load with Read.
  Map,
  /// Reads the file into memory: later changes to the file do not matter, at the cost of holding the whole
  /// file while the SafeTensors lives.
  Read,
};

/// A validated safetensors file held in memory (mapped or read, see LoadMode).
/// Opening checks the whole layout, so later reads can only fail on what the caller asks for.
/// Copies share the bytes but track use separately. Not safe to use from several threads at once.
class SafeTensors {
 public:
  /// Opens the regular file at path and validates it; the path is the name in messages. It reads the 8-byte
  /// header length, then the header (at most 100 MB), then only the data the header declares, whose size
  /// must match the file's: a device, a FIFO or a file that never ends is rejected without reading it.
  static SafeTensors open(const std::string& path, LoadMode mode = LoadMode::Map);
  /// Validates a file already in memory, taking the bytes; display_name is the name in messages (tests, fuzzing).
  static SafeTensors from_bytes(std::vector<unsigned char> bytes, std::string display_name);
  /// Validates a file in memory that the caller owns, without copying it: the size bytes at data must stay
  /// alive and unchanged while this object or a copy lives (a model's constructor needs them only while it
  /// runs). Tensors 4-byte aligned in memory are read in place.
  static SafeTensors from_memory(const void* data, std::size_t size, std::string display_name);

  /// The name messages start with: the path, or from_bytes' display_name.
  const std::string& display_name() const { return display_name_; }
  /// The tensors in the order of their data offsets.
  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  /// The tensor called name, or nullptr.
  const TensorInfo* find(std::string_view name) const;
  /// The header's "__metadata__" strings (empty when absent).
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

  /// Copies out an F32 tensor after checking it exists, has exactly expected_shape and holds only finite
  /// values (non-finite weights are rejected); records the tensor as used. From a mapped file, the pages
  /// that lie wholly inside the tensor are then released.
  std::vector<float> read_f32(std::string_view name, const std::vector<std::int64_t>& expected_shape) const;
  /// The same checks, and the values without a copy where the file allows (see F32View): what generated
  /// models load their weights with.
  F32View view_f32(std::string_view name, const std::vector<std::int64_t>& expected_shape) const;
  /// Records a tensor as used without reading it (throws if there is no such tensor).
  void mark_used(std::string_view name) const;
  /// Throws naming every tensor that neither read_f32 nor mark_used touched, except those may_ignore
  /// accepts (for instance PyTorch's "*.num_batches_tracked").
  void check_all_used(const std::function<bool(std::string_view)>& may_ignore = {}) const;

 private:
  SafeTensors(std::shared_ptr<const unsigned char> bytes, std::size_t size, std::string display_name);
  /// Parses and validates the header and layout of size bytes (defined in safetensors_header.cpp).
  static SafeTensors parse(std::shared_ptr<const unsigned char> bytes, std::size_t size, std::string display_name);
  /// Checks a file's first 8 bytes (the header's length) against its size; where its data starts.
  static std::size_t data_start(const unsigned char* first8, std::uint64_t file_size, const std::string& name);
  /// Parses and validates the header's JSON for a data section of data_size bytes: tensors_, metadata_, index_.
  void read_header(const unsigned char* header, std::size_t length, std::uint64_t data_size);
  /// Reads the regular file of size bytes open as fd: its length, its header, then its data (LoadMode::Read).
  static SafeTensors read_file(int fd, std::uint64_t size, const std::string& path);
  std::size_t index_of(std::string_view name) const;  // throws the "no tensor" error
  /// Drops the mapped pages wholly inside [begin, begin + size) from memory (defined in safetensors_file.cpp).
  static void release_pages(const void* begin, std::size_t size);
  friend class F32View;
  /// Checks the dtype and shape of tensor name; its index.
  std::size_t check_f32(std::string_view name, const std::vector<std::int64_t>& expected_shape) const;
  /// Throws naming the first non-finite value among values[begin, end) of tensor index.
  void check_finite(std::size_t index, const float* values, std::size_t begin, std::size_t end) const;
  [[noreturn]] void fail(const std::string& message) const;

  std::shared_ptr<const unsigned char> bytes_;  // the whole file; owns a buffer or a mapping
  std::size_t size_ = 0;
  std::size_t data_start_ = 0;  // 8 + header length
  std::string display_name_;
  std::vector<TensorInfo> tensors_;
  std::map<std::string, std::size_t, std::less<>> index_;  // name -> position in tensors_
  std::map<std::string, std::string> metadata_;
  mutable std::vector<bool> used_;  // parallel to tensors_
  bool mapped_ = false;             // bytes_ is a read-only mapping of the file
};

/// A float32 tensor to write: row-major values, data.size() equal to the product of shape.
struct NamedTensor {
  std::string name;
  std::vector<std::int64_t> shape;
  std::vector<float> data;
};

/// Writes tensors as F32, header keys and data in the given order ("__metadata__" first when not empty),
/// the header padded with spaces so that the data starts at a multiple of 8 bytes. Same input, same bytes.
/// Throws WeightsError on a duplicate name, a data size that does not match the shape, or a failed write.
void write_safetensors(const std::string& path, const std::vector<NamedTensor>& tensors,
                       const std::map<std::string, std::string>& metadata = {});

/// A float32 tensor to write whose values are made while the file is written.
struct TensorShape {
  std::string name;
  std::vector<std::int64_t> shape;
};

/// Makes `count` values of tensor `index`, from its element `first` on, into out; called for each tensor in
/// order, a chunk at a time, each chunk following the last.
using TensorValues = std::function<void(std::size_t index, std::uint64_t first, float* out, std::size_t count)>;

/// Writes tensors as the overload above does, with their values from `values`: however large the tensors,
/// only one chunk of values (1 Mi floats) is in memory. Also throws on a shape with a negative dimension or
/// more bytes than 64 bits count.
void write_safetensors(const std::string& path, const std::vector<TensorShape>& tensors, const TensorValues& values,
                       const std::map<std::string, std::string>& metadata = {});

/// A shape as messages print it: "[64, 3, 7, 7]", "[]" for a scalar.
std::string shape_to_string(const std::vector<std::int64_t>& shape);

}  // namespace netc::rt
