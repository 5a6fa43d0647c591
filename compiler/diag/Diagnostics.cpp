// Collecting diagnostics and rendering them in the compiler-standard `file:line:col: severity: message` form.
#include "diag/Diagnostics.hpp"

#include <algorithm>

namespace netc {

Diagnostic& Diagnostics::add(Severity severity, SourceLoc loc, std::string message) {
  if (severity == Severity::Error) ++errors_found_;
  if (!seen_.emplace(loc.file, loc.line, loc.column, message).second) {
    repeated_ = {};
    return repeated_;
  }
  list_.push_back({severity, loc, std::move(message), {}});
  if (severity == Severity::Error) ++errors_;
  return list_.back();
}

Diagnostic& Diagnostics::error(SourceLoc loc, std::string message) { return add(Severity::Error, loc, std::move(message)); }

Diagnostic& Diagnostics::warning(SourceLoc loc, std::string message) {
  return add(Severity::Warning, loc, std::move(message));
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

std::size_t Diagnostics::error_count() const { return errors_; }

const char* severity_word(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

namespace {

// The caret line: the source line's tabs kept, every other character before the column made a space.
std::string caret_line(std::string_view line, std::uint32_t column) {
  std::string out;
  std::uint32_t col = 1;
  for (std::size_t i = 0; i < line.size() && col < column; ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if ((c & 0xC0) == 0x80) continue;  // UTF-8 continuation byte: same character
    out += c == '\t' ? '\t' : ' ';
    ++col;
  }
  return out + "^";
}

// The source line as it can be shown on a terminal: control bytes and invalid UTF-8 become '?'.
std::string printable(std::string_view line) {
  std::string out;
  for (std::size_t i = 0; i < line.size();) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    std::size_t len = utf8_char_length(line, i);
    if (len == 0) {
      out += '?';
      ++i;
    } else if (len == 1 && ((c < 0x20 && c != '\t') || c == 0x7F)) {
      out += '?';
      ++i;
    } else {
      out.append(line.substr(i, len));
      i += len;
    }
  }
  return out;
}

// Lines longer than this are shown as a window around the column, with "..." where text was cut.
constexpr std::size_t kMaxShownChars = 120;

// Splits printable UTF-8 text into characters.
std::vector<std::string> characters(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = 1;
    while (i + len < text.size() && (static_cast<unsigned char>(text[i + len]) & 0xC0) == 0x80) ++len;
    out.push_back(text.substr(i, len));
    i += len;
  }
  return out;
}

// The line as shown and the caret's column in it.
std::pair<std::string, std::uint32_t> shown_line(std::string_view source_line, std::uint32_t column) {
  std::vector<std::string> chars = characters(printable(source_line));
  if (chars.size() <= kMaxShownChars) return {printable(source_line), column};
  std::size_t caret = column > 0 ? column - 1 : 0;
  std::size_t begin = caret > kMaxShownChars / 2 ? caret - kMaxShownChars / 2 : 0;
  std::size_t end = std::min(chars.size(), begin + kMaxShownChars);
  std::string line = begin > 0 ? "..." : "";
  for (std::size_t i = begin; i < end; ++i) line += chars[i];
  if (end < chars.size()) line += "...";
  return {line, static_cast<std::uint32_t>(caret - begin + 1 + (begin > 0 ? 3 : 0))};
}

void render_one(const Diagnostic& d, const SourceManager& sources, std::string& out) {
  if (d.loc.valid()) {
    out += sources.path(d.loc.file) + ":" + std::to_string(d.loc.line) + ":" + std::to_string(d.loc.column) + ": ";
  } else {
    out += "netc: ";
  }
  out += severity_word(d.severity);
  out += ": " + d.message + "\n";
  if (d.loc.valid() && d.loc.line > 0) {
    auto [line, column] = shown_line(sources.line(d.loc.file, d.loc.line), d.loc.column);
    out += line + "\n" + caret_line(line, column) + "\n";
  }
  for (const Diagnostic& n : d.notes) render_one(n, sources, out);
}

}  // namespace

std::string render(const Diagnostic& d, const SourceManager& sources) {
  std::string out;
  render_one(d, sources, out);
  return out;
}

std::string render(const Diagnostics& diags, const SourceManager& sources) {
  std::string out;
  for (const Diagnostic& d : diags.all()) render_one(d, sources, out);
  return out;
}

}  // namespace netc
