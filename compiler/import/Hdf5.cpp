// The HDF5 layer (see Hdf5.hpp). HDF5 reports failures on an error stack that it prints by itself; netc
// switches the printing off and makes one message of the stack's innermost entry. Only hard links are
// followed, so a file cannot make netc open other files (external links) or loop (soft links).
#include "import/Hdf5.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

namespace netc::h5 {

namespace {

// Largest attribute netc reads: Keras splits its attributes at 64 KB, so this leaves room to spare.
constexpr std::size_t kMaxAttributeBytes = std::size_t{256} << 20;

void silence_hdf5() {
  static const bool silenced = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)silenced;
}

herr_t collect(unsigned, const H5E_error2_t* entry, void* data) {
  auto* descriptions = static_cast<std::vector<std::string>*>(data);
  if (entry->desc != nullptr && entry->desc[0] != '\0') descriptions->push_back(entry->desc);
  return 0;
}

[[noreturn]] void fail(const std::string& what) {
  std::string stack = take_error_stack();
  throw Error(stack.empty() ? what : what + ": " + stack);
}

hid_t checked(hid_t id, const std::string& what) {
  if (id < 0) fail(what);
  return id;
}

// The message for a file HDF5 cannot open: a truncated file is said so in words.
std::string open_failure(const std::string& name) {
  std::string stack = take_error_stack();
  std::uint64_t eof = 0, stored = 0;
  auto at = stack.find("truncated file: eof = ");
  auto stored_at = stack.find("stored_eof = ");
  if (at != std::string::npos && stored_at != std::string::npos) {
    eof = std::strtoull(stack.c_str() + at + 22, nullptr, 10);
    stored = std::strtoull(stack.c_str() + stored_at + 13, nullptr, 10);
    return fmt::format("{}: the file is truncated: it has {} bytes, its HDF5 superblock says {}", name, eof, stored);
  }
  return fmt::format("{}: cannot read it as an HDF5 file: {}", name, stack.empty() ? "unknown error" : stack);
}

// What a file that is not HDF5 is, from its first bytes.
std::string not_hdf5(const std::string& name, const unsigned char* head, std::size_t size) {
  if (size == 0) return name + ": the file is empty, expected an HDF5 file";
  if (size >= 4 && std::memcmp(head, "PK\x03\x04", 4) == 0)
    return name +
           ": a zip archive, not an HDF5 file (a Keras 3 .keras file is a zip archive: unzip it and import "
           "its model.weights.h5)";
  return name + ": not an HDF5 file (no HDF5 signature), expected the .h5 file that Keras writes";
}

constexpr unsigned char kSignature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

// HDF5 looks for its signature at 0, 512, 1024, 2048, ... (after a user block).
bool has_signature(const unsigned char* data, std::size_t size) {
  for (std::size_t at = 0; at + 8 <= size; at = at == 0 ? 512 : at * 2)
    if (std::memcmp(data + at, kSignature, 8) == 0) return true;
  return false;
}

Handle file_access(bool image) {
  Handle fapl(checked(H5Pcreate(H5P_FILE_ACCESS), "cannot create HDF5 file access properties"), H5Pclose);
  H5Pset_fclose_degree(fapl.id(), H5F_CLOSE_STRONG);
  H5Pset_file_locking(fapl.id(), false, true);  // read-only: no lock, which some file systems refuse
  if (image) H5Pset_fapl_core(fapl.id(), 1 << 16, false);
  return fapl;
}

std::string type_name(hid_t type) {
  std::size_t bits = H5Tget_size(type) * 8;
  switch (H5Tget_class(type)) {
    case H5T_FLOAT:
      return fmt::format("{}-bit floats", bits);
    case H5T_INTEGER:
      return fmt::format("{}-bit integers", bits);
    case H5T_STRING:
      return "strings";
    case H5T_COMPOUND:
      return "compound records";
    case H5T_OPAQUE:
      return "opaque bytes";
    case H5T_ENUM:
      return "enumerated values";
    case H5T_ARRAY:
      return "arrays";
    case H5T_VLEN:
      return "variable-length sequences";
    case H5T_REFERENCE:
      return "references";
    case H5T_BITFIELD:
      return "bit fields";
    default:
      return "values of an unknown type";
  }
}

}  // namespace

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    if (id_ >= 0 && close_ != nullptr) close_(id_);
    id_ = other.id_;
    close_ = other.close_;
    other.id_ = H5I_INVALID_HID;
  }
  return *this;
}

Handle::~Handle() {
  if (id_ >= 0 && close_ != nullptr) close_(id_);
}

std::string take_error_stack() {
  std::vector<std::string> descriptions;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect, &descriptions);
  H5Eclear2(H5E_DEFAULT);
  return descriptions.empty() ? "" : descriptions.back();
}

File File::open(const std::string& path) {
  silence_hdf5();
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(path, ec))
    throw Error(fmt::format("cannot read '{}': {}", path,
                            std::filesystem::exists(path, ec) ? "not a readable file" : "no such file"));
  std::vector<unsigned char> head(4096);
  in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
  if (in.bad()) throw Error(fmt::format("cannot read '{}': {}", path, std::strerror(errno)));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    take_error_stack();
    throw Error(not_hdf5(path, head.data(), head.size()));
  }
  Handle fapl = file_access(false);
  File f;
  f.file_ = Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.id()), H5Fclose);
  if (f.file_.id() < 0) throw Error(open_failure(path));
  return f;
}

File File::open_image(const void* data, std::size_t size, const std::string& display_name) {
  silence_hdf5();
  const auto* bytes = static_cast<const unsigned char*>(data);
  if (!has_signature(bytes, size)) throw Error(not_hdf5(display_name, bytes, size));
  Handle fapl = file_access(true);
  if (H5Pset_file_image(fapl.id(), const_cast<void*>(data), size) < 0) throw Error(open_failure(display_name));
  File f;
  f.file_ = Handle(H5Fopen(display_name.c_str(), H5F_ACC_RDONLY, fapl.id()), H5Fclose);
  if (f.file_.id() < 0) throw Error(open_failure(display_name));
  return f;
}

Kind kind_of(hid_t loc, const std::string& path) {
  std::string prefix;
  for (std::size_t begin = 0; begin <= path.size();) {
    std::size_t end = path.find('/', begin);
    if (end == std::string::npos) end = path.size();
    if (end > begin) {
      prefix += (prefix.empty() ? "" : "/") + path.substr(begin, end - begin);
      H5L_info_t link;
      if (H5Lexists(loc, prefix.c_str(), H5P_DEFAULT) <= 0 ||
          H5Lget_info(loc, prefix.c_str(), &link, H5P_DEFAULT) < 0 || link.type != H5L_TYPE_HARD) {
        take_error_stack();
        return Kind::Missing;
      }
    }
    begin = end + 1;
  }
  Handle object(H5Oopen(loc, path.c_str(), H5P_DEFAULT), H5Oclose);
  if (object.id() < 0) {
    take_error_stack();
    return Kind::Missing;
  }
  H5I_type_t type = H5Iget_type(object.id());
  return type == H5I_GROUP ? Kind::Group : type == H5I_DATASET ? Kind::Dataset : Kind::Other;
}

std::vector<std::string> members(hid_t group, const std::string& where, std::size_t limit) {
  H5G_info_t info;
  if (H5Gget_info(group, &info) < 0) fail(fmt::format("cannot list the group '{}'", where));
  if (info.nlinks > limit)
    throw Error(fmt::format("the group '{}' has {} members, more than {}", where, info.nlinks, limit));
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    ssize_t length = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (length < 0) fail(fmt::format("cannot list the group '{}'", where));
    std::string name(static_cast<std::size_t>(length) + 1, '\0');
    if (H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT) < 0)
      fail(fmt::format("cannot list the group '{}'", where));
    name.resize(static_cast<std::size_t>(length));
    names.push_back(std::move(name));
  }
  return names;
}

Handle open_group(hid_t loc, const std::string& path, const std::string& where) {
  if (kind_of(loc, path) != Kind::Group) throw Error(fmt::format("'{}' is not a group", where));
  return Handle(checked(H5Gopen2(loc, path.c_str(), H5P_DEFAULT), fmt::format("cannot open the group '{}'", where)),
                H5Gclose);
}

Handle open_dataset(hid_t loc, const std::string& path, const std::string& where) {
  if (kind_of(loc, path) != Kind::Dataset) throw Error(fmt::format("'{}' is not a dataset", where));
  return Handle(checked(H5Dopen2(loc, path.c_str(), H5P_DEFAULT), fmt::format("cannot open the dataset '{}'", where)),
                H5Dclose);
}

bool has_attribute(hid_t object, const std::string& name) {
  htri_t found = H5Aexists(object, name.c_str());
  if (found < 0) take_error_stack();
  return found > 0;
}

namespace {

std::vector<std::string> read_variable_strings(hid_t attribute, hid_t type, hid_t space, std::size_t count,
                                               const std::string& what) {
  Handle memory(checked(H5Tcopy(H5T_C_S1), what), H5Tclose);
  H5Tset_size(memory.id(), H5T_VARIABLE);
  H5Tset_cset(memory.id(), H5Tget_cset(type));
  std::vector<char*> pointers(count, nullptr);
  if (H5Aread(attribute, memory.id(), pointers.data()) < 0) fail(what);
  std::vector<std::string> out;
  for (char* p : pointers) out.emplace_back(p != nullptr ? p : "");
  H5Dvlen_reclaim(memory.id(), space, H5P_DEFAULT, pointers.data());
  return out;
}

std::vector<std::string> read_fixed_strings(hid_t attribute, hid_t type, std::size_t count, const std::string& what) {
  std::size_t size = H5Tget_size(type);
  if (size == 0 || count > kMaxAttributeBytes / size) throw Error(what + ": larger than netc reads (256 MiB)");
  Handle memory(checked(H5Tcopy(H5T_C_S1), what), H5Tclose);
  H5Tset_size(memory.id(), size);
  H5Tset_strpad(memory.id(), H5T_STR_NULLPAD);
  H5Tset_cset(memory.id(), H5Tget_cset(type));
  std::vector<char> buffer(count * size);
  if (H5Aread(attribute, memory.id(), buffer.data()) < 0) fail(what);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < count; ++i) {
    const char* begin = buffer.data() + i * size;
    out.emplace_back(begin, strnlen(begin, size));
  }
  return out;
}

}  // namespace

std::vector<std::string> string_list(hid_t object, const std::string& name, const std::string& where) {
  std::string what = fmt::format("cannot read the attribute '{}' of '{}'", name, where);
  Handle attribute(checked(H5Aopen(object, name.c_str(), H5P_DEFAULT), what), H5Aclose);
  Handle type(checked(H5Aget_type(attribute.id()), what), H5Tclose);
  Handle space(checked(H5Aget_space(attribute.id()), what), H5Sclose);
  hssize_t points = H5Sget_simple_extent_type(space.id()) == H5S_NULL ? 0 : H5Sget_simple_extent_npoints(space.id());
  if (points < 0) fail(what);
  if (points == 0) return {};
  if (H5Tget_class(type.id()) != H5T_STRING)
    throw Error(fmt::format("the attribute '{}' of '{}' holds {}, expected names (strings)", name, where,
                            type_name(type.id())));
  auto count = static_cast<std::size_t>(points);
  if (count > kMaxAttributeBytes / sizeof(char*)) throw Error(what + ": larger than netc reads (256 MiB)");
  if (H5Tis_variable_str(type.id()) > 0)
    return read_variable_strings(attribute.id(), type.id(), space.id(), count, what);
  return read_fixed_strings(attribute.id(), type.id(), count, what);
}

DatasetInfo describe(hid_t dataset, const std::string& where) {
  std::string what = fmt::format("cannot read the dataset '{}'", where);
  Handle type(checked(H5Dget_type(dataset), what), H5Tclose);
  Handle space(checked(H5Dget_space(dataset), what), H5Sclose);
  DatasetInfo info;
  int rank = H5Sget_simple_extent_type(space.id()) == H5S_NULL ? 0 : H5Sget_simple_extent_ndims(space.id());
  if (rank < 0) fail(what);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr) < 0) fail(what);
  for (hsize_t d : dims) info.dims.push_back(d > static_cast<hsize_t>(INT64_MAX) ? -1 : static_cast<std::int64_t>(d));
  info.floating = H5Tget_class(type.id()) == H5T_FLOAT;
  info.type = type_name(type.id());
  return info;
}

std::vector<float> read_floats(hid_t dataset, std::size_t count, const std::string& where) {
  std::string what = fmt::format("cannot read the dataset '{}'", where);
  Handle space(checked(H5Dget_space(dataset), what), H5Sclose);
  hssize_t points = H5Sget_simple_extent_npoints(space.id());
  if (points < 0 || static_cast<std::size_t>(points) != count)
    throw Error(fmt::format("{}: it holds {} values, expected {}", what, points, count));
  std::vector<float> values(count);
  if (count > 0 && H5Dread(dataset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0) fail(what);
  return values;
}

}  // namespace netc::h5
