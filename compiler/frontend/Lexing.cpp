// Pre-parse checks on text and tokens (see Lexing.hpp).
#include "frontend/Lexing.hpp"

#include <fmt/format.h>

#include "NetLexer.h"
#include "antlr4-runtime.h"
#include "frontend/Parser.hpp"

namespace netc::frontend {

namespace {

// What makes the bytes at text[i] an invalid UTF-8 character (utf8_char_length found them so).
std::string utf8_problem(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char lead = byte(0);
  const std::size_t n = (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (n == 0) return fmt::format("byte 0x{:02X} does not start a valid character", lead);
  std::uint32_t code = lead & (0x7Fu >> n);
  std::string bytes = fmt::format("0x{:02X}", lead);
  for (std::size_t k = 1; k < n; ++k) {
    if (i + k >= text.size())
      return fmt::format("byte 0x{:02X} starts a {}-byte character, but the file ends after {} byte{} of it", lead, n,
                         k, k == 1 ? "" : "s");
    if ((byte(k) & 0xC0) != 0x80)
      return fmt::format("byte 0x{:02X} starts a {}-byte character, but byte 0x{:02X} after it is not a "
                         "continuation byte", lead, n, byte(k));
    code = code << 6 | (byte(k) & 0x3Fu);
    bytes += fmt::format(" 0x{:02X}", byte(k));
  }
  if (code >= 0xD800 && code <= 0xDFFF)
    return fmt::format("bytes {} encode U+{:04X}, a UTF-16 surrogate, not a character", bytes, code);
  if (code > 0x10FFFF) return fmt::format("bytes {} encode U+{:04X}, past U+10FFFF, the last code point", bytes, code);
  return fmt::format("bytes {} are an overlong encoding of U+{:04X}", bytes, code);
}

SourceLoc token_loc(std::uint32_t file, const antlr4::Token* t) {
  return {file, static_cast<std::uint32_t>(t->getLine()), static_cast<std::uint32_t>(t->getCharPositionInLine() + 1)};
}

std::string describe_char(const std::string& text) {
  unsigned char c = text.empty() ? 0 : static_cast<unsigned char>(text[0]);
  if (text.size() == 1 && (c < 0x20 || c == 0x7F)) return fmt::format("byte 0x{:02X}", c);
  return fmt::format("'{}'", text);
}

}  // namespace

bool check_utf8(std::uint32_t file, std::string_view text, Diagnostics& diags) {
  std::uint32_t line = 1, column = 1;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = utf8_char_length(text, i);
    if (len == 0) {
      diags.error({file, line, column}, "invalid UTF-8: " + utf8_problem(text, i) + " (.net files are UTF-8 text)");
      return false;
    }
    if (is_line_end(text, i)) {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += len;
  }
  return true;
}

bool check_tokens(std::uint32_t file, antlr4::CommonTokenStream& tokens, Diagnostics& diags) {
  std::size_t errors = 0;
  int depth = 0;
  int minus_run = 0;  // `- - - 1` nests like brackets do
  for (antlr4::Token* t : tokens.getTokens()) {
    if (errors >= static_cast<std::size_t>(kMaxSyntaxErrors)) break;
    minus_run = t->getType() == NetLexer::MINUS ? minus_run + 1 : 0;
    if (minus_run > kMaxBracketNesting) {
      diags.error(token_loc(file, t), fmt::format("nesting is too deep: more than {} signs in a row", kMaxBracketNesting));
      return false;
    }
    switch (t->getType()) {
      case NetLexer::UNEXPECTED:
        diags.error(token_loc(file, t), "unexpected character " + describe_char(t->getText()));
        ++errors;
        break;
      case NetLexer::UNTERMINATED_STRING:
        diags.error(token_loc(file, t), "unterminated string: missing closing '\"' on this line");
        ++errors;
        break;
      case NetLexer::UNTERMINATED_COMMENT:
        diags.error(token_loc(file, t), "unterminated comment: '/*' has no closing '*/'");
        ++errors;
        break;
      case NetLexer::LPAREN:
      case NetLexer::LBRACK:
      case NetLexer::LBRACE:
        if (++depth > kMaxBracketNesting) {
          diags.error(token_loc(file, t), fmt::format("nesting is too deep: more than {} levels of brackets",
                                                      kMaxBracketNesting));
          return false;
        }
        break;
      case NetLexer::RPAREN:
      case NetLexer::RBRACK:
      case NetLexer::RBRACE:
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return errors == 0;
}

}  // namespace netc::frontend
