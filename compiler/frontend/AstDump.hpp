// `netc emit --target ast`: the AST as indented text, every node with its line:column.
#pragma once

#include <string>

#include "diag/Source.hpp"
#include "frontend/Ast.hpp"

namespace netc {

std::string dump_ast(const ast::Module& module, const SourceManager& sources);
/// An expression as .net would write it: `2 * f`, `[64, 128]`, `f x f`.
std::string expr_text(const ast::Expr& e);

}  // namespace netc
