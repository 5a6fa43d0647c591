// SourceManager: file texts and their line tables.
#include "diag/Source.hpp"

namespace netc {

std::uint32_t SourceManager::add(std::string path, std::string text) {
  File f{std::move(path), std::move(text), {0}};
  for (std::size_t i = 0; i < f.text.size(); ++i)
    if (f.text[i] == '\n') f.line_starts.push_back(i + 1);
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
  std::size_t end = f.text.find('\n', begin);
  if (end == std::string::npos) end = f.text.size();
  if (end > begin && f.text[end - 1] == '\r') --end;
  return std::string_view(f.text).substr(begin, end - begin);
}

}  // namespace netc
