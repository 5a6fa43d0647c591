// The front end's entry point: source text to AST. ANTLR stays behind this header.
#pragma once

#include <optional>

#include "diag/Diagnostics.hpp"
#include "frontend/Ast.hpp"

namespace netc {

/// Limits that keep hostile input from exhausting the stack; exceeding one is an error with a place.
inline constexpr int kMaxBracketNesting = 256;
inline constexpr int kMaxTreeDepth = 2000;
inline constexpr int kMaxSyntaxErrors = 20;

/// Parses file `file` of `sources` (no semantic checks). Lexical and syntax errors go to `diags`;
/// returns no module when there were any. Literals too large for 64 bits are reported but leave a module
/// (their expressions are marked Invalid), so that later errors are found in the same run.
std::optional<ast::Module> parse_module(std::uint32_t file, const SourceManager& sources, Diagnostics& diags);

}  // namespace netc
