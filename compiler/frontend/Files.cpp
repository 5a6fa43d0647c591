// Source files on disk and the import search path (see Files.hpp). POSIX calls, so that the reason a file
// cannot be read (errno) reaches the message.
#include "frontend/Files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

// Set by CMake for this file: where an installation keeps netc's data, and the source and build trees.
#ifndef NETC_DATA_DIR
#define NETC_DATA_DIR ""
#endif
#ifndef NETC_DATA_DIR_FROM_BINDIR
#define NETC_DATA_DIR_FROM_BINDIR "../share/netc"
#endif
#ifndef NETC_SOURCE_TREE
#define NETC_SOURCE_TREE ""
#endif
#ifndef NETC_BUILD_TREE
#define NETC_BUILD_TREE ""
#endif

namespace netc::frontend {

namespace fs = std::filesystem;

namespace {

// Why a path cannot be opened, in the words of the messages.
std::string reason(int error) {
  switch (error) {
    case ENOENT:
    case ENOTDIR: return "no such file";
    case ELOOP: return "a symbolic link loop (too many levels of symbolic links)";
    case EACCES: return "permission denied";
    default: return std::strerror(error);
  }
}

// Closes a file descriptor when it goes out of scope.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

bool is_dir(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

// Whether `path` lies inside the directory `dir` (both absolute).
bool inside(const fs::path& path, const fs::path& dir) {
  auto [d, p] = std::mismatch(dir.begin(), dir.end(), path.begin(), path.end());
  return d == dir.end() || (std::next(d) == dir.end() && d->empty());  // "dir/" ends with an empty element
}

// Whether `text` has `block NAME(` (spaces allowed around NAME) with NAME not part of a longer word, outside a
// `//` comment.
bool defines_block(std::string_view text, std::string_view name) {
  auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (std::size_t at = text.find("block"); at != std::string_view::npos; at = text.find("block", at + 1)) {
    if (at > 0 && word_char(text[at - 1])) continue;
    std::size_t line = text.find_last_of("\r\n", at);
    line = line == std::string_view::npos ? 0 : line + 1;
    if (text.substr(line, at - line).find("//") != std::string_view::npos) continue;
    std::size_t i = at + 5;
    std::size_t spaces = i;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i == spaces || text.compare(i, name.size(), name) != 0) continue;
    i += name.size();
    if (i < text.size() && word_char(text[i])) continue;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i < text.size() && text[i] == '(') return true;
  }
  return false;
}

}  // namespace

std::optional<FileId> file_id(const std::string& path, std::string& why) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) {
    why = reason(errno);
    return std::nullopt;
  }
  return FileId{static_cast<std::uint64_t>(status.st_dev), static_cast<std::uint64_t>(status.st_ino)};
}

SourceText read_source(const std::string& path, std::size_t limit) {
  SourceText out;
  const Descriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  struct stat status {};
  if (file.fd < 0 || ::fstat(file.fd, &status) != 0) {
    out.error = reason(errno);
    return out;
  }
  if (S_ISDIR(status.st_mode)) {
    out.error = "not a readable file";
    return out;
  }
  std::vector<char> chunk(1 << 16);
  while (out.text.size() <= limit) {
    const ssize_t n = ::read(file.fd, chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      out.error = std::strerror(errno);
      out.text.clear();
      return out;
    }
    if (n == 0) break;
    out.text.append(chunk.data(), static_cast<std::size_t>(n));
  }
  return out;
}

std::string block_library_dir() {
  const fs::path source = fs::path(NETC_SOURCE_TREE) / "models" / "blocks";
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = (self.parent_path() / NETC_DATA_DIR_FROM_BINDIR / "blocks").lexically_normal();
    if (is_dir(installed)) return installed.string();
    if (std::string_view(NETC_BUILD_TREE).size() > 0 && inside(self, NETC_BUILD_TREE)) return source.string();
  }
  const fs::path configured = fs::path(NETC_DATA_DIR) / "blocks";
  if (std::string_view(NETC_DATA_DIR).size() > 0 && is_dir(configured)) return configured.string();
  return source.string();
}

std::vector<std::string> import_search_path(const std::vector<std::string>& import_dirs) {
  std::vector<std::string> path = import_dirs;
  if (const char* env = std::getenv("NETC_PATH")) {
    std::string_view rest = env;
    while (!rest.empty()) {
      std::size_t colon = std::min(rest.find(':'), rest.size());
      if (colon > 0) path.emplace_back(rest.substr(0, colon));
      rest.remove_prefix(std::min(colon + 1, rest.size()));
    }
  }
  path.push_back(block_library_dir());
  return path;
}

std::string library_file_defining(const std::vector<std::string>& search_path, std::string_view block) {
  // Bounds on the work, whatever the directories hold: entries looked at, files and bytes read.
  constexpr std::size_t kMaxEntries = 10000, kMaxFiles = 1000, kMaxFileBytes = 1 << 20, kMaxBytes = 32 << 20;
  std::size_t entries = 0, files_read = 0, bytes = 0;
  for (const std::string& dir : search_path) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end && entries < kMaxEntries; it.increment(ec), ++entries) {
      std::error_code size_ec;
      if (it->path().extension() == ".net" && it->is_regular_file(size_ec) && it->file_size(size_ec) <= kMaxFileBytes)
        files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      if (++files_read > kMaxFiles || bytes > kMaxBytes) return "";
      SourceText source = read_source(file.string(), kMaxFileBytes);
      bytes += source.text.size();
      if (source.error.empty() && defines_block(source.text, block)) return file.filename().string();
    }
  }
  return "";
}

}  // namespace netc::frontend
