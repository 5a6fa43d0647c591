// Checks on the raw text and the token stream that run before the parser: UTF-8, bad characters,
// unterminated strings and comments, and nesting depth.
#pragma once

#include <string_view>

#include "diag/Diagnostics.hpp"

namespace antlr4 {
class CommonTokenStream;
}

namespace netc::frontend {

/// Reports the first invalid UTF-8 sequence in `text`; returns false if there was one.
bool check_utf8(std::uint32_t file, std::string_view text, Diagnostics& diags);

/// Reports unexpected characters, unterminated strings and comments, and bracket nesting beyond the limit;
/// returns false if any was found. The stream must be filled.
bool check_tokens(std::uint32_t file, antlr4::CommonTokenStream& tokens, Diagnostics& diags);

}  // namespace netc::frontend
