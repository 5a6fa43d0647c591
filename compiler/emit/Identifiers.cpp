// Identifiers and escaped text for generated code (see Identifiers.hpp).
#include "emit/Identifiers.hpp"

#include <cctype>
#include <cstdint>

#include <fmt/format.h>

namespace netc {

namespace {

bool plain(std::string_view name) {
  return !name.empty() && name.front() != '_' && name.back() != '_' && name.find("__") == std::string_view::npos;
}

bool is_upper(char ch) { return std::isupper(static_cast<unsigned char>(ch)) != 0; }
bool is_lower(char ch) { return std::islower(static_cast<unsigned char>(ch)) != 0; }

// The length of the valid UTF-8 sequence of two to four bytes at the start of `s` (RFC 3629: no overlong
// forms, no surrogates, nothing past U+10FFFF), or 0.
std::size_t utf8_sequence(std::string_view s) {
  auto byte = [&](std::size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0u; };
  auto continuation = [&](std::size_t i) { return (byte(i) & 0xC0) == 0x80; };
  unsigned lead = byte(0);
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    unsigned second = byte(1);
    bool ok = continuation(1) && continuation(2) && !(lead == 0xE0 && second < 0xA0) && !(lead == 0xED && second >= 0xA0);
    return ok ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    unsigned second = byte(1);
    bool ok = continuation(1) && continuation(2) && continuation(3) && !(lead == 0xF0 && second < 0x90) &&
              !(lead == 0xF4 && second >= 0x90);
    return ok ? 4 : 0;
  }
  return 0;
}

// The code point of a valid UTF-8 sequence of n bytes.
char32_t decode(std::string_view s, std::size_t n) {
  auto byte = [&](std::size_t i) { return static_cast<char32_t>(static_cast<unsigned char>(s[i])); };
  char32_t c = byte(0) & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
  for (std::size_t i = 1; i < n; ++i) c = (c << 6) | (byte(i) & 0x3F);
  return c;
}

// Code points that end a line for some readers (NEL, the line and paragraph separators) or reorder the text
// around them as displayed (bidirectional controls, as in "Trojan Source" attacks): shown as escapes.
bool invisible_control(char32_t c) {
  return c == 0x85 || c == 0x2028 || c == 0x2029 || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

}  // namespace

std::string identifier_stem(std::string_view name) {
  if (plain(name)) return std::string(name);
  std::string out = "_x";
  for (char ch : name) out += ch == '_' ? std::string("_u") : std::string(1, ch);
  return out;
}

std::string class_name(std::string_view name) {
  std::string camel;
  bool upper = true;
  for (char ch : name) {
    if (ch == '_') {
      upper = true;
      continue;
    }
    camel += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch))) : ch;
    upper = false;
  }
  bool has_lower = false;
  for (char ch : camel) has_lower = has_lower || is_lower(ch);
  bool global_name = camel == "Eigen" || camel == "None" || camel == "True" || camel == "False";
  bool safe = !camel.empty() && is_upper(camel.front()) && has_lower && !global_name;
  return safe ? camel : "Model" + camel;
}

std::string comment_text(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x80) {
      if (std::size_t n = utf8_sequence(text.substr(i)); n > 0) {
        char32_t c = decode(text.substr(i), n);
        out += invisible_control(c) ? fmt::format("\\u{:04x}", static_cast<std::uint32_t>(c)) : std::string(text.substr(i, n));
        i += n;
        continue;
      }
    }
    if (text[i] == '\\') out += "\\x5c";  // not "\\\\": a line that ends in a backslash continues in C++
    else if (text[i] == '?' && i + 1 < text.size() && text[i + 1] == '?') out += "?\\x3f", ++i;  // no trigraph
    else if (text[i] == '\n') out += "\\n";
    else if (text[i] == '\r') out += "\\r";
    else if (text[i] == '\t') out += "\\t";
    else if (byte < 0x20 || byte >= 0x7F) out += fmt::format("\\x{:02x}", byte);
    else out += text[i];
    ++i;
  }
  return out;
}

}  // namespace netc
