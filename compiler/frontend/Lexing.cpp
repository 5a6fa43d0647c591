// Pre-parse checks on text and tokens (see Lexing.hpp).
#include "frontend/Lexing.hpp"

#include <fmt/format.h>

#include "NetLexer.h"
#include "antlr4-runtime.h"
#include "frontend/Parser.hpp"

namespace netc::frontend {

namespace {

std::size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 0;
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
    unsigned char c = static_cast<unsigned char>(text[i]);
    std::size_t len = utf8_length(c);
    bool ok = len > 0 && i + len <= text.size();
    for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (!ok) {
      diags.error({file, line, column}, fmt::format("invalid UTF-8: byte 0x{:02X} does not start a valid character "
                                                    "(.net files are UTF-8 text)", c));
      return false;
    }
    if (c == '\n') {
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
