// Source files on disk: reading one (bounded, with the reason when it cannot be read), telling two paths to
// one file apart from two files, and the search path of `import <name>` (-I, NETC_PATH, the block library
// that comes with netc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netc::frontend {

/// A file's identity (device and inode): hard links, symbolic links and paths spelled differently that
/// lead to one file are one file.
struct FileId {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  friend bool operator==(const FileId&, const FileId&) = default;
};

/// The identity of the file at `path`; nullopt with `why` set ("no such file", "a symbolic link loop ...")
/// when there is none.
std::optional<FileId> file_id(const std::string& path, std::string& why);

/// A file's text, or why it could not be read.
struct SourceText {
  std::string text;   // at most limit + 1 bytes: more than limit means the file is too large
  std::string error;  // "" when read, else the reason: "no such file", "Input/output error", ...
};

/// Reads the file at `path`, at most limit + 1 bytes (a file that never ends, such as /dev/zero, is found
/// too large rather than filling the memory). A failed read() is an error, not the end of the file.
SourceText read_source(const std::string& path, std::size_t limit);

/// The directories `import <name>` searches, in order: `import_dirs` (-I), the entries of NETC_PATH
/// (colon-separated; empty ones skipped), then the block library that comes with netc (block_library_dir).
std::vector<std::string> import_search_path(const std::vector<std::string>& import_dirs);

/// The block library that comes with netc: share/netc/blocks of the installation netc runs from (found from
/// the running program's place, so an installed tree can be moved); for a program of the build tree, the
/// source tree's models/blocks; else the one CMake's install prefix names (NETC_DATA_DIR).
std::string block_library_dir();

/// The name to write in `import <NAME>` for a .net file on the search path that defines a block called
/// `block` ("" when none does). A textual look for `block NAME(` outside `//` comments (a `/* */` comment is
/// not told apart), cheap enough for an error message: .net files up to 1 MiB at the top of each directory,
/// at most 10,000 directory entries looked at and 1,000 files or 32 MiB read in all.
std::string library_file_defining(const std::vector<std::string>& search_path, std::string_view block);

}  // namespace netc::frontend
