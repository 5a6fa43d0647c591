// Weights files on disk: opening one (memory-mapped on POSIX systems, or read with LoadMode::Read and where
// mapping fails) and writing F32 tensors in safetensors layout with a space-padded header, so that the data
// starts 8-byte aligned.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "netc/safetensors.hpp"

#if __has_include(<sys/mman.h>) && __has_include(<sys/stat.h>) && __has_include(<fcntl.h>) && \
    __has_include(<unistd.h>)
#define NETC_POSIX_FILES 1
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#else
#include <fstream>
#include <iterator>
#endif

namespace netc::rt {
namespace {

[[noreturn]] void fail_io(const std::string& path, const std::string& what) {
  throw WeightsError(path + ": " + what + ": " + std::strerror(errno));
}

#ifdef NETC_POSIX_FILES
/// Closes a file descriptor when it goes out of scope.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

/// Maps a regular file of size bytes; an empty pointer when mapping fails (the caller then reads).
std::shared_ptr<const unsigned char> map_file(int fd, std::size_t size) {
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (map == MAP_FAILED) return nullptr;
  return std::shared_ptr<const unsigned char>(static_cast<const unsigned char*>(map), [size](const unsigned char* p) {
    ::munmap(const_cast<unsigned char*>(p), size);
  });
}

/// Reads exactly n bytes at the file's position into out; `at` is how many bytes of the file come before them.
void read_exactly(int fd, unsigned char* out, std::size_t n, std::uint64_t at, std::uint64_t size,
                  const std::string& path) {
  for (std::size_t done = 0; done < n;) {
    const ssize_t got = ::read(fd, out + done, n - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) fail_io(path, "cannot read");
    if (got == 0)
      throw WeightsError(path + ": cannot read: the file ended after " + std::to_string(at + done) + " bytes, expected " +
                         std::to_string(size) + " (was it changed while being read?)");
    done += static_cast<std::size_t>(got);
  }
}

/// What a file that is not a regular one is.
const char* file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO (a named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}
#endif

/// Whether shape has non-negative dimensions whose product is count (the product is guarded against overflow).
bool holds_exactly(const std::vector<std::int64_t>& shape, std::uint64_t count) {
  std::uint64_t product = 1;
  for (std::int64_t dim : shape) {
    if (dim < 0) return false;
    if (dim == 0) product = 0;
    if (product != 0 && static_cast<std::uint64_t>(dim) > count / product) return false;  // product would pass count
    product *= static_cast<std::uint64_t>(dim);
  }
  return product == count;
}

/// A tensor as the header describes it: its name, shape and number of values.
struct Described {
  const std::string& name;
  const std::vector<std::int64_t>& shape;
  std::uint64_t count;
};

/// The header text, padded with spaces so that 8 + its length is a multiple of 8.
std::string header_text(const std::string& path, const std::vector<Described>& tensors,
                        const std::map<std::string, std::string>& metadata) {
  auto fail = [&path](const std::string& message) { throw WeightsError(path + ": " + message); };
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::set<std::string> seen;
  std::uint64_t offset = 0;
  for (const Described& t : tensors) {
    if (t.name == "__metadata__") fail("a tensor cannot be called '__metadata__', the header's metadata key");
    if (!seen.insert(t.name).second) fail("tensor '" + t.name + "' appears twice, expected unique names");
    if (!holds_exactly(t.shape, t.count))
      fail("tensor '" + t.name + "': shape " + shape_to_string(t.shape) + " does not hold its " +
           std::to_string(t.count) + " values (expected non-negative dimensions whose product is the count)");
    if (t.count > (std::numeric_limits<std::uint64_t>::max() - offset) / sizeof(float))
      fail("tensor '" + t.name + "': the tensors' bytes up to it pass 2^64");
    const std::uint64_t end = offset + t.count * sizeof(float);
    header[t.name] = {{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, end}}};
    offset = end;
  }
  std::string text;
  try {
    text = header.dump();
  } catch (const nlohmann::ordered_json::exception& e) {
    fail("a tensor name or metadata string is not valid UTF-8 (" + std::string(e.what()) + ")");
  }
  text.append((8 - text.size() % 8) % 8, ' ');
  return text;
}

}  // namespace

SafeTensors SafeTensors::open(const std::string& path, LoadMode mode) {
#ifdef NETC_POSIX_FILES
  // O_NONBLOCK: opening a FIFO must not wait for a writer (it is rejected below); reading a regular file ignores it.
  const Descriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  if (file.fd < 0) fail_io(path, "cannot open");
  struct stat status {};
  if (::fstat(file.fd, &status) != 0) fail_io(path, "cannot open");
  if (!S_ISREG(status.st_mode))
    throw WeightsError(path + ": is " + file_kind(status.st_mode) + ", expected a safetensors file (a regular file)");
  const auto size = static_cast<std::uint64_t>(status.st_size);
  if (mode == LoadMode::Map && size > 0) {
    if (auto mapped = map_file(file.fd, size)) {
      SafeTensors tensors = parse(std::move(mapped), size, path);
      tensors.mapped_ = true;
      return tensors;
    }
  }
  return read_file(file.fd, size, path);
#else
  (void)mode;
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_io(path, "cannot open");
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) fail_io(path, "cannot read");
  return from_bytes(std::move(bytes), path);
#endif
}

#ifdef NETC_POSIX_FILES
// The 8-byte length first, then the header, checked against the file's size before any data is read; then
// exactly the data the header declares.
SafeTensors SafeTensors::read_file(int fd, std::uint64_t size, const std::string& path) {
  unsigned char first[8] = {};
  read_exactly(fd, first, static_cast<std::size_t>(std::min<std::uint64_t>(size, 8)), 0, size, path);
  const std::size_t start = data_start(first, size, path);
  auto bytes = std::make_shared<std::vector<unsigned char>>(first, first + 8);
  bytes->resize(start);
  read_exactly(fd, bytes->data() + 8, start - 8, 8, size, path);
  SafeTensors file(nullptr, 0, path);
  file.data_start_ = start;
  file.read_header(bytes->data() + 8, start - 8, size - start);
  try {
    bytes->resize(static_cast<std::size_t>(size));
  } catch (const std::bad_alloc&) {
    throw WeightsError(path + ": cannot hold its " + std::to_string(size) + " bytes in memory");
  }
  read_exactly(fd, bytes->data() + start, static_cast<std::size_t>(size) - start, start, size, path);
  file.bytes_ = std::shared_ptr<const unsigned char>(bytes, bytes->data());
  file.size_ = static_cast<std::size_t>(size);
  return file;
}
#endif

// A private read-only mapping that was never written: MADV_DONTNEED only unmaps the pages, and touching them
// again reads them from the file.
void SafeTensors::release_pages(const void* begin, std::size_t size) {
#ifdef NETC_POSIX_FILES
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto first = (reinterpret_cast<std::uintptr_t>(begin) + page - 1) / page * page;
  const auto last = (reinterpret_cast<std::uintptr_t>(begin) + size) / page * page;
  if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
#else
  (void)begin;
  (void)size;
#endif
}

namespace {

/// The element count of shape, or nullopt when a dimension is negative or the product passes 64 bits.
std::optional<std::uint64_t> element_count(const std::vector<std::int64_t>& shape) {
  std::uint64_t count = 1;
  for (std::int64_t dim : shape) {
    if (dim < 0) return std::nullopt;
    if (dim != 0 && count > std::numeric_limits<std::uint64_t>::max() / static_cast<std::uint64_t>(dim))
      return std::nullopt;
    count *= static_cast<std::uint64_t>(dim);
  }
  return count;
}

/// Writes the length, the header, then each tensor's values as `values` makes them, a chunk at a time.
void write_file(const std::string& path, const std::vector<Described>& tensors, const TensorValues& values,
                const std::map<std::string, std::string>& metadata) {
  const std::string header = header_text(path, tensors, metadata);
  unsigned char length[8];
  for (int i = 0; i < 8; ++i) length[i] = static_cast<unsigned char>(std::uint64_t{header.size()} >> (8 * i));
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (out == nullptr) fail_io(path, "cannot write");
  bool ok = std::fwrite(length, 1, 8, out) == 8 && std::fwrite(header.data(), 1, header.size(), out) == header.size();
  std::vector<float> chunk;
  for (std::size_t i = 0; i < tensors.size() && ok; ++i) {
    for (std::uint64_t first = 0; first < tensors[i].count && ok; first += chunk.size()) {
      chunk.resize(static_cast<std::size_t>(std::min<std::uint64_t>(tensors[i].count - first, 1 << 20)));
      values(i, first, chunk.data(), chunk.size());
      // A little-endian host: the floats' bytes are the file's bytes.
      ok = std::fwrite(chunk.data(), sizeof(float), chunk.size(), out) == chunk.size();
    }
  }
  const int write_errno = errno;
  if (std::fclose(out) != 0 || !ok) {
    if (!ok) errno = write_errno;
    fail_io(path, "cannot write");
  }
}

}  // namespace

void write_safetensors(const std::string& path, const std::vector<NamedTensor>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  std::vector<Described> described;
  for (const NamedTensor& t : tensors) described.push_back({t.name, t.shape, t.data.size()});
  write_file(path, described, [&](std::size_t i, std::uint64_t first, float* out, std::size_t count) {
    std::copy_n(tensors[i].data.begin() + static_cast<std::ptrdiff_t>(first), count, out);
  }, metadata);
}

void write_safetensors(const std::string& path, const std::vector<TensorShape>& tensors, const TensorValues& values,
                       const std::map<std::string, std::string>& metadata) {
  std::vector<Described> described;
  for (const TensorShape& t : tensors) {
    const std::optional<std::uint64_t> count = element_count(t.shape);
    if (!count)
      throw WeightsError(path + ": tensor '" + t.name + "': shape " + shape_to_string(t.shape) +
                         " has a negative dimension or more elements than 64 bits count");
    described.push_back({t.name, t.shape, *count});
  }
  write_file(path, described, values, metadata);
}

}  // namespace netc::rt
