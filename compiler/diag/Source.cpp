// SourceManager: file texts and their line tables.
#include "diag/Source.hpp"

namespace netc {

std::size_t utf8_char_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  const std::size_t n = (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  std::uint32_t code = lead & (0x7Fu >> n);
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(k) & 0xC0) != 0x80) return 0;
    code = code << 6 | (byte(k) & 0x3Fu);
  }
  constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};  // below: an overlong form
  if (code < kSmallest[n] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return 0;
  return n;
}

std::uint32_t SourceManager::add(std::string path, std::string text) {
  File f{std::move(path), std::move(text), {0}};
  for (std::size_t i = 0; i < f.text.size(); ++i)
    if (is_line_end(f.text, i)) f.line_starts.push_back(i + 1);
  files_.push_back(std::move(f));
  return static_cast<std::uint32_t>(files_.size());
}

const std::string& SourceManager::path(std::uint32_t file) const { return files_.at(file - 1).path; }

const std::string& SourceManager::text(std::uint32_t file) const { return files_.at(file - 1).text; }

std::string_view SourceManager::line(std::uint32_t file, std::uint32_t line) const {
  if (file == 0 || file > files_.size()) return {};
  const File& f = files_[file - 1];
  if (line == 0 || line > f.line_starts.size()) return {};
  std::size_t begin = f.line_starts[line - 1];
  std::size_t end = f.text.find_first_of("\r\n", begin);
  if (end == std::string::npos) end = f.text.size();
  return std::string_view(f.text).substr(begin, end - begin);
}

}  // namespace netc
