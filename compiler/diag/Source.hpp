// Source files held in memory, and the locations (file, line, column) that every AST and IR node carries.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace netc {

/// A place in a source file: 1-based line and column (columns count characters, not bytes).
/// file == 0 means "no file" (command-line arguments, built-in defaults).
struct SourceLoc {
  std::uint32_t file = 0;
  std::uint32_t line = 0;
  std::uint32_t column = 0;

  bool valid() const { return file != 0; }
  friend bool operator==(const SourceLoc&, const SourceLoc&) = default;
};

/// The length in bytes of the UTF-8 character at text[i], or 0 when the bytes there are not a valid one
/// (RFC 3629: no stray continuation bytes, cut characters, overlong forms, surrogates or code points past
/// U+10FFFF).
std::size_t utf8_char_length(std::string_view text, std::size_t i);

/// Whether text[i] ends a line: a LF, or a CR not followed by a LF (CR, LF and CRLF all end lines).
inline bool is_line_end(std::string_view text, std::size_t i) {
  return text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'));
}

/// Owns the text of every file read during a compilation; hands out ids for SourceLoc.
class SourceManager {
public:
  /// Adds a file's text under the given display path; returns its id (never 0).
  std::uint32_t add(std::string path, std::string text);

  const std::string& path(std::uint32_t file) const;
  /// Number of files (their ids are 1..size()).
  std::uint32_t size() const { return static_cast<std::uint32_t>(files_.size()); }
  const std::string& text(std::uint32_t file) const;
  /// The text of one line without its line terminator ("" when out of range). Lines end at CR, LF or CRLF.
  std::string_view line(std::uint32_t file, std::uint32_t line) const;

private:
  struct File {
    std::string path;
    std::string text;
    std::vector<std::size_t> line_starts;
  };
  std::vector<File> files_;
};

}  // namespace netc
