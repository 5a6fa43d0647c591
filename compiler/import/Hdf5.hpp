// A small layer over HDF5's C API (Debian's libhdf5) for reading Keras weights files: handles that close
// themselves, HDF5's error stack turned into one message (its own printing silenced), string-list
// attributes, group listings, and float datasets. Every failure throws h5::Error saying what and where.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <hdf5.h>

namespace netc::h5 {

/// A failure reading the file; the message names the object (a path inside the file) and the reason.
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// An open HDF5 identifier, closed with its own close function when the handle goes.
class Handle {
public:
  Handle() = default;
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  Handle(Handle&& other) noexcept : id_(other.id_), close_(other.close_) { other.id_ = H5I_INVALID_HID; }
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle();
  hid_t id() const { return id_; }

private:
  hid_t id_ = H5I_INVALID_HID;
  herr_t (*close_)(hid_t) = nullptr;
};

/// An HDF5 file opened read-only, from a path or from bytes in memory (fuzzing).
class File {
public:
  /// Opens the file at path; throws Error when it is missing, not HDF5, truncated or unreadable.
  static File open(const std::string& path);
  /// Opens a file image held in memory (copied by HDF5); display_name is the name in messages.
  static File open_image(const void* data, std::size_t size, const std::string& display_name);
  hid_t id() const { return file_.id(); }

private:
  Handle file_;
};

/// What a path inside the file names.
enum class Kind { Missing, Group, Dataset, Other };

/// The kind of the object at path (relative to loc); Missing when a component does not exist.
Kind kind_of(hid_t loc, const std::string& path);
/// The names of a group's members, in name order (at most `limit`; Error past it).
std::vector<std::string> members(hid_t group, const std::string& where, std::size_t limit);
/// Opens the group or dataset at path; throws Error naming `where` when it cannot.
Handle open_group(hid_t loc, const std::string& path, const std::string& where);
Handle open_dataset(hid_t loc, const std::string& path, const std::string& where);

/// True when the object has an attribute of that name.
bool has_attribute(hid_t object, const std::string& name);
/// An attribute holding strings (fixed or variable length, a scalar or a list) as a list; an attribute with
/// no elements (h5py stores Keras's empty lists as 0 floats) is an empty list. Throws Error for other types.
std::vector<std::string> string_list(hid_t object, const std::string& name, const std::string& where);

/// A dataset's shape and element type.
struct DatasetInfo {
  std::vector<std::int64_t> dims;
  bool floating = false;  // IEEE floats of any width, which read as float32
  std::string type;       // "32-bit float", "64-bit integer", "string", ...
};
DatasetInfo describe(hid_t dataset, const std::string& where);
/// Reads a floating-point dataset of `count` elements as float32 (HDF5 converts other widths).
std::vector<float> read_floats(hid_t dataset, std::size_t count, const std::string& where);

/// Turns HDF5's current error stack into a message ("" when it is empty) and clears it.
std::string take_error_stack();

}  // namespace netc::h5
